"""Inbound events end to end: stored first (de-duplicated), then processed in order per
contact, once, as snapshot → decide → write (docs/decisions/0007-turn-model.md).

1. `accept` stores the event before the platform is acknowledged.
2. `process_contact` takes the contact's oldest pending event, reads a snapshot without a
   write lock (services/shop.py: the cached catalog, contact, cart, conversation), lets the
   engine decide (slow work — an LLM, a remote search — blocks no one), then applies the
   result in one short transaction (services/apply.py). A conflict there (the conversation
   changed, the last item was taken, the event was done by another processor) sends the
   turn back to be decided on fresh data.
3. A turn that raises is retried at once a few times; an event that fails every attempt is
   set aside as dead, the conversation goes to a person, and the customer is told so — the
   customer's later messages are not held up behind it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from sqlalchemy.orm import Session

from chatcart.core.errors import NotFound
from chatcart.core.ids import new_id
from chatcart.engine.core import TurnResult
from chatcart.engine.flows import FlowBook, default_flows, parse_flows
from chatcart.engine.state import ConversationState, Owner
from chatcart.i18n.catalogue import N_, Translator
from chatcart.messaging.inbound import InboundEvent
from chatcart.messaging.outbound import OutboundMessage, QuickReply, text
from chatcart.services.apply import AlreadyProcessed, Conflict, TurnTarget, apply_turn, dead_letter
from chatcart.services.runtime import Runtime
from chatcart.services.shop import SnapshotShop
from chatcart.storage.catalog import get_workspace, workspace_of, workspace_row
from chatcart.storage.contacts import contact_for, load_contact
from chatcart.storage.conversations import find_open, is_stale
from chatcart.storage.inbox import contacts_with_pending, count_failure, oldest_pending, store_event

log = logging.getLogger(__name__)
#: Attempts at one event before it is set aside and a person takes over.
MAX_ATTEMPTS = 3
#: Times a turn is decided again after its write met a changed world, before it counts as failed.
MAX_REDECIDE = 5
PERSON_WILL_HELP = N_(
    "Sorry, something went wrong on our side with your last message. A person from our team "
    "will reply here as soon as possible."
)


@dataclass(frozen=True)
class Accepted:
    contact_id: str
    inbox_id: int | None

    @property
    def duplicate(self) -> bool:
        return self.inbox_id is None


def accept(rt: Runtime, event: InboundEvent, contact_id: str | None = None) -> Accepted:
    """Stores the event durably; call before acknowledging it to the platform. A channel
    that already knows the sender's contact (the web chat resolves it when the socket
    opens) passes it, and the event is stored in one statement."""
    now = rt.clock()
    with rt.db.transaction() as session:
        if contact_id is None:
            contact_id = _contact_of_sender(session, event, now)
        inbox_id = store_event(
            session,
            event.workspace_id,
            event.sender.channel,
            event.event_id,
            contact_id,
            event.model_dump(mode="json"),
            now,
        )
    return Accepted(contact_id, inbox_id)


def _contact_of_sender(session: Session, event: InboundEvent, now: datetime) -> str:
    if workspace_row(session, event.workspace_id) is None:
        raise NotFound("unknown_workspace", workspace=event.workspace_id)
    return contact_for(
        session, event.workspace_id, event.sender, now, lang=event.lang_hint, entry_source=event.referral
    )


def process_contact(rt: Runtime, workspace_id: str, contact_id: str) -> int:
    """Processes the contact's pending events oldest first; returns how many were handled."""
    handled = 0
    while (progress := _process_next(rt, contact_id)) is not Progress.IDLE:
        handled += 1
        if progress is Progress.LAST:
            break
    if handled:
        rt.notifier.publish(workspace_id, contact_id)
    return handled


class Progress(Enum):
    """After one step: nothing was pending, the last pending event was handled, or more
    may be pending (the write saw another, or a path that did not look)."""

    IDLE = "idle"
    LAST = "last"
    MORE = "more"


def recover(rt: Runtime) -> int:
    """Events stored but never processed (a crash, a kill, another process's cut-short turn)."""
    with rt.db.snapshot() as session:
        pending = contacts_with_pending(session)
    return sum(process_contact(rt, workspace_id, contact_id) for workspace_id, contact_id in pending)


def _process_next(rt: Runtime, contact_id: str) -> Progress:
    """One event: processed, set aside as dead, or found done by another processor."""
    for _ in range(MAX_ATTEMPTS):
        try:
            return _decide_and_write(rt, contact_id)
        except AlreadyProcessed:
            return Progress.MORE
        except Exception as error:
            log.exception("turn failed for contact %s", contact_id)
            if _count_failure(rt, contact_id, error) >= MAX_ATTEMPTS:
                return _set_aside(rt, contact_id)
    return _set_aside(rt, contact_id)


def _decide_and_write(rt: Runtime, contact_id: str) -> Progress:
    for _ in range(MAX_REDECIDE):
        with rt.db.snapshot() as session:
            snapshot = _take_snapshot(rt, session, contact_id)
            if snapshot is None:
                return Progress.IDLE
            result = _decide(rt, snapshot)
        try:
            with rt.db.transaction() as session:
                apply_turn(session, snapshot.target, result, snapshot.shop.now, rt.senders.keys())
                more = oldest_pending(session, contact_id) is not None
            return Progress.MORE if more else Progress.LAST
        except Conflict as conflict:
            log.info("turn for contact %s decided again: %s", contact_id, conflict)
    raise RuntimeError(f"turn conflicted {MAX_REDECIDE} times in a row")


@dataclass(frozen=True)
class TurnSnapshot:
    target: TurnTarget
    shop: SnapshotShop
    flows: FlowBook | None


def _decide(rt: Runtime, snapshot: TurnSnapshot) -> TurnResult:
    current = snapshot.target.current
    state = ConversationState.model_validate(current.state if current is not None else {})
    return rt.engine.handle(
        snapshot.target.event, snapshot.shop, state, snapshot.shop.now, flows=snapshot.flows
    )


def _take_snapshot(rt: Runtime, session: Session, contact_id: str) -> TurnSnapshot | None:
    now = rt.clock()
    target = _target(session, contact_id, now)
    if target is None:
        return None
    workspace = workspace_row(session, target.workspace_id)
    if workspace is None:
        raise NotFound("unknown_workspace", workspace=target.workspace_id)
    owner = Owner(target.current.owner) if target.current is not None else Owner.BOT
    cached = rt.catalogs.get(session, workspace)
    shop = SnapshotShop(
        session, workspace_of(workspace), contact_id, owner, cached, now, rt.links, rt.providers
    )
    return TurnSnapshot(target, shop, parse_flows(workspace.flows_yaml) if workspace.flows_yaml else None)


def _target(session: Session, contact_id: str, now: datetime) -> TurnTarget | None:
    row = oldest_pending(session, contact_id)
    if row is None:
        return None
    current = find_open(session, row.workspace_id, contact_id)
    return TurnTarget(
        inbox_id=row.id,
        event=InboundEvent.model_validate(row.payload),
        workspace_id=row.workspace_id,
        contact_id=contact_id,
        current=current,
        new_id=new_id(),
        stale=current is not None and is_stale(current, now),
    )


def _count_failure(rt: Runtime, contact_id: str, error: Exception) -> int:
    with rt.db.transaction() as session:
        row = oldest_pending(session, contact_id)
        if row is None:
            return 0
        return count_failure(session, row.id, f"{type(error).__name__}: {error}")


def _set_aside(rt: Runtime, contact_id: str) -> Progress:
    """Dead-letters the contact's oldest event without the engine (which is what failed):
    a person takes the conversation and the customer hears so in their language."""
    for _ in range(MAX_REDECIDE):
        now = rt.clock()
        with rt.db.snapshot() as session:
            target = _target(session, contact_id, now)
            if target is None:
                return Progress.IDLE
            workspace = get_workspace(session, target.workspace_id)
            lang = load_contact(session, contact_id).lang or (workspace.lang if workspace else "en")
        try:
            with rt.db.transaction() as session:
                dead_letter(session, target, _person_will_help(lang), now, rt.senders.keys())
            log.error(
                "event %s set aside after %s attempts; handed to a person", target.inbox_id, MAX_ATTEMPTS
            )
            return Progress.MORE
        except AlreadyProcessed:
            return Progress.MORE
        except Conflict:
            continue
    return Progress.IDLE


def _person_will_help(lang: str) -> OutboundMessage:
    tr = Translator(lang)
    back = default_flows().buttons["bot"]
    return text(tr(PERSON_WILL_HELP), [QuickReply(title=tr(back.title), payload=back.payload)])
