"""Security headers on every HTTP response, decided by what the response is.

- Every response: `X-Content-Type-Options: nosniff` (a JSON or text body is never run as
  a script or style because a browser guessed its type).
- HTML pages (the shop, order tracking, the payment page): a Content-Security-Policy that
  forbids framing (`frame-ancestors 'none'`, plus `X-Frame-Options: DENY` for older
  browsers), so no other site can overlay the payment page (clickjacking); and a
  Referrer-Policy that sends no Referer at all from pages whose URL carries a secret (the
  payment page's token, the tracking link's `t`).
- Everything else keeps working cross-origin: the widget script, its config and session
  endpoints and its WebSocket are loaded by other sites' pages (docs/widget.md), and a
  framing ban on them would mean nothing.

The policy allows inline scripts because the shop's templates use `onclick` attributes;
moving those into a script file would let `script-src` drop `'unsafe-inline'`.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' https: http: data:",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ]
)
#: Query parameters and path prefixes that make a URL a secret.
TOKEN_PARAMS = ("t", "token")
TOKEN_PATHS = ("/pay/",)


def headers_for(path: str, query: str, content_type: str) -> dict[str, str]:
    """The headers a response with this path, query string and content type gets."""
    headers = {"X-Content-Type-Options": "nosniff"}
    if not content_type.startswith("text/html"):
        return headers
    headers["Content-Security-Policy"] = PAGE_POLICY
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = (
        "no-referrer" if _carries_token(path, query) else "strict-origin-when-cross-origin"
    )
    return headers


def _carries_token(path: str, query: str) -> bool:
    names = {pair.split("=", 1)[0] for pair in query.split("&") if pair}
    return path.startswith(TOKEN_PATHS) or any(name in names for name in TOKEN_PARAMS)


class SecurityHeaders:
    """ASGI middleware adding `headers_for` to HTTP responses (WebSockets pass untouched);
    a header the route set itself is left as the route set it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        query = bytes(scope.get("query_string", b"")).decode("latin-1")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = _with_headers(message, path, query)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _with_headers(start: Message, path: str, query: str) -> Message:
    raw: list[tuple[bytes, bytes]] = list(start.get("headers", []))
    present = {name.lower() for name, _value in raw}
    content_type = next((v.decode("latin-1") for n, v in raw if n.lower() == b"content-type"), "")
    for name, value in headers_for(path, query, content_type.lower()).items():
        if name.lower().encode() not in present:
            raw.append((name.lower().encode(), value.encode()))
    return {**start, "headers": raw}
