"""Web chat session tokens and the allowance of new sessions, without a server; and the
inbox key that makes frame ids unique per sender."""

from __future__ import annotations

import pytest

from chatcart.channels.webchat.frames import event_id_of, frame_id_of
from chatcart.channels.webchat.session import SessionLimiter, SessionSigner


def test_a_token_names_the_visitor_it_was_issued_for_in_its_workspace_only() -> None:
    signer = SessionSigner("secret-one")
    session = signer.issue("demo")
    assert signer.visitor_of("demo", session.token) == session.visitor
    assert signer.visitor_of("other", session.token) is None
    assert SessionSigner("secret-two").visitor_of("demo", session.token) is None
    assert signer.issue("demo").visitor != session.visitor


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
        lambda t: t + "=",
        lambda t: t.replace("v1.", "v0.", 1),
        lambda t: "v1.someone-else-123." + t.rsplit(".", 1)[1],
        lambda t: t.rsplit(".", 1)[0] + ".é",
        lambda t: t.rsplit(".", 1)[0] + ".\ud800",
        lambda t: t.rsplit(".", 1)[0],
        lambda t: "",
        lambda t: t + "." + "x" * 300,
    ],
)
def test_any_altered_token_names_no_visitor(mangle: object) -> None:
    signer = SessionSigner("secret-one")
    token = signer.issue("demo").token
    assert signer.visitor_of("demo", mangle(token)) is None  # type: ignore[operator]


def test_the_allowance_counts_granted_sessions_per_address() -> None:
    limiter = SessionLimiter("3/minute;5/day")
    assert [limiter.allow("10.0.0.1") for _ in range(5)] == [True, True, True, False, False]
    assert limiter.allow("10.0.0.2"), "another address has its own allowance"
    assert limiter.retry_after("10.0.0.1") >= 1


def test_refused_requests_do_not_use_up_the_daily_allowance() -> None:
    limiter = SessionLimiter("2/minute;3/day")
    granted = [limiter.allow("10.0.0.1") for _ in range(50)]
    assert granted.count(True) == 2, "the minute's allowance, and no refusal counted against the day"


def test_an_invalid_allowance_is_refused_when_the_app_is_built() -> None:
    with pytest.raises(ValueError):
        SessionLimiter("lots")


def test_the_inbox_key_carries_the_sender_and_gives_the_frame_id_back() -> None:
    key = event_id_of("visitor-1234", "frame:with:colons")
    assert key == "visitor-1234:frame:with:colons"
    assert frame_id_of(key) == "frame:with:colons"
    assert frame_id_of("late-1") == "late-1", "an event stored without a visitor"
    assert event_id_of("a-visitor-1", "f") != event_id_of("b-visitor-1", "f")
