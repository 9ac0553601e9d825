"""Web chat sessions: the server, not the browser, decides who a visitor is.

A visitor id alone proves nothing (anyone who learns one could read that visitor's history:
name, phone, address, payment links). The server therefore mints the id itself and hands
out a token signed with the app's secret (HMAC-SHA256) that binds the id to one workspace;
the widget keeps both and opens every socket with the token in its first frame, never in
the URL (URLs end up in logs and Referer headers). See docs/decisions/0011-webchat-session.md.

Minting is rate-limited per client address with the `limits` library, so one client cannot
create thousands of identities (each of which could, e.g., hold stock with unpaid orders).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import uuid
from dataclasses import dataclass

from limits import parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from chatcart.channels.webchat.channel import VISITOR_ID

TOKEN_VERSION = "v1"
#: Longer tokens are refused before any work is done on them.
MAX_TOKEN_LENGTH = 200
#: The default allowance of new sessions per client address (settings.webchat_session_rate).
DEFAULT_SESSION_RATE = "20/minute;200/day"


@dataclass(frozen=True)
class WebChatSession:
    """A freshly minted visitor and the token that proves it."""

    visitor: str
    token: str


class SessionSigner:
    """Issues and checks session tokens: `v1.<visitor>.<signature>`."""

    def __init__(self, secret: str) -> None:
        self._key = secret.encode()

    def issue(self, workspace_id: str) -> WebChatSession:
        visitor = str(uuid.uuid4())
        return WebChatSession(visitor, f"{TOKEN_VERSION}.{visitor}.{self._sign(workspace_id, visitor)}")

    def visitor_of(self, workspace_id: str, token: str) -> str | None:
        """The visitor this token was issued for in this workspace, or None for any token the
        server did not sign (forged, altered, for another workspace, or not a token at all)."""
        if len(token) > MAX_TOKEN_LENGTH:
            return None
        version, _, rest = token.partition(".")
        visitor, _, signature = rest.partition(".")
        if version != TOKEN_VERSION or not VISITOR_ID.fullmatch(visitor):
            return None
        expected = self._sign(workspace_id, visitor).encode()
        # Bytes, so a non-ASCII signature is just a mismatch (str comparison would raise).
        given = signature.encode("utf-8", "surrogatepass")
        return visitor if hmac.compare_digest(expected, given) else None

    def _sign(self, workspace_id: str, visitor: str) -> str:
        message = f"webchat-session\x00{workspace_id}\x00{visitor}".encode()
        digest = hmac.new(self._key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class SessionLimiter:
    """How many sessions one client address may mint: every rate of `rates` (e.g.
    `20/minute;200/day`) must allow it. In this process's memory: each API process counts
    on its own, so N processes allow N times the rate (still bounded)."""

    def __init__(self, rates: str = DEFAULT_SESSION_RATE) -> None:
        self._limits = parse_many(rates)
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def allow(self, address: str) -> bool:
        """Counts one session for `address`; False (and nothing counted) when it is over."""
        if not all(self._limiter.test(limit, "webchat-session", address) for limit in self._limits):
            return False
        return all([self._limiter.hit(limit, "webchat-session", address) for limit in self._limits])

    def retry_after(self, address: str) -> int:
        """Seconds until `address` may mint a session again."""
        resets = [self._limiter.get_window_stats(limit, "webchat-session", address) for limit in self._limits]
        waits = [stats.reset_time - time.time() for stats in resets if stats.remaining == 0]
        return max(1, int(max(waits, default=1)))
