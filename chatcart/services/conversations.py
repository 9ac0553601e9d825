"""Inbound events end to end: stored first (de-duplicated), then processed in order per
contact, one event per transaction, so a crash leaves the event to be processed again."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from chatcart.commerce.content import Workspace
from chatcart.core.errors import NotFound
from chatcart.engine.flows import FlowBook, parse_flows
from chatcart.engine.state import ConversationState
from chatcart.messaging.inbound import EventKind, InboundEvent
from chatcart.messaging.outbound import OutboundMessage
from chatcart.services.runtime import Runtime
from chatcart.services.shop import StoredShop
from chatcart.storage.catalog import get_workspace
from chatcart.storage.contacts import contact_for
from chatcart.storage.conversations import append_message, open_conversation
from chatcart.storage.events import record_event
from chatcart.storage.inbox import contacts_with_pending, pending_for_contact, store_event
from chatcart.storage.tables import InboxRow, WorkspaceRow

log = logging.getLogger(__name__)
#: After this many failed attempts an event is set aside (kept, with its error) so one
#: poisonous event cannot block a customer's conversation for ever.
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Accepted:
    contact_id: str
    inbox_id: int | None

    @property
    def duplicate(self) -> bool:
        return self.inbox_id is None


def accept(rt: Runtime, event: InboundEvent) -> Accepted:
    """Stores the event durably; call before acknowledging it to the platform."""
    now = rt.clock()
    with rt.db.transaction() as session:
        if session.get(WorkspaceRow, event.workspace_id) is None:
            raise NotFound("unknown_workspace", workspace=event.workspace_id)
        contact_id = contact_for(
            session, event.workspace_id, event.sender, now, lang=event.lang_hint, entry_source=event.referral
        )
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


def process_contact(rt: Runtime, workspace_id: str, contact_id: str) -> int:
    """Processes the contact's pending events oldest first; returns how many were handled."""
    handled = 0
    while _process_next(rt, contact_id):
        handled += 1
    if handled:
        rt.notifier.publish(workspace_id, contact_id)
    return handled


def recover(rt: Runtime) -> int:
    """Start-up: events stored but never processed (a crash, a kill) are processed now."""
    with rt.db.transaction() as session:
        pending = [
            (c, session.get_one(InboxRow, _first_pending(session, c)).workspace_id)
            for c in contacts_with_pending(session)
        ]
    return sum(process_contact(rt, workspace_id, contact_id) for contact_id, workspace_id in pending)


def _first_pending(session: Session, contact_id: str) -> int:
    return pending_for_contact(session, contact_id)[0].id


def _process_next(rt: Runtime, contact_id: str) -> bool:
    try:
        with rt.db.transaction() as session:
            rows = pending_for_contact(session, contact_id)
            if not rows:
                return False
            _run_turn(rt, session, rows[0])
            return True
    except Exception as error:  # a turn failed: keep the event, count the attempt, go on
        log.exception("turn failed for contact %s", contact_id)
        return _count_failure(rt, contact_id, error)


def _count_failure(rt: Runtime, contact_id: str, error: Exception) -> bool:
    with rt.db.transaction() as session:
        rows = pending_for_contact(session, contact_id)
        if not rows:
            return False
        row = rows[0]
        row.attempts += 1
        row.last_error = f"{type(error).__name__}: {error}"[:2000]
        if row.attempts >= MAX_ATTEMPTS:
            row.processed_at = rt.clock()
            record_event(
                session, row.workspace_id, "event_failed", rt.clock(), contact_id=contact_id, inbox_id=row.id
            )
            return True
    return False


def _run_turn(rt: Runtime, session: Session, row: InboxRow) -> None:
    now = rt.clock()
    event = InboundEvent.model_validate(row.payload)
    workspace = get_workspace(session, row.workspace_id)
    assert workspace is not None
    conversation = open_conversation(session, workspace.id, row.contact_id, now)
    shop = StoredShop(session, workspace, row.contact_id, conversation, now, rt.links, rt.providers)
    _echo_inbound(session, shop, event, row.id)
    state = ConversationState.model_validate(conversation.state)
    result = rt.engine.handle(event, shop, state, now, flows=_flows_of(session, workspace))
    for reply in result.replies:
        append_outbound(session, shop, reply)
    conversation.state = result.state.model_dump(mode="json")
    conversation.owner = result.state.owner.value
    conversation.last_activity_at = now
    row.processed_at = now


def _flows_of(session: Session, workspace: Workspace) -> FlowBook | None:
    row = session.get_one(WorkspaceRow, workspace.id)
    return parse_flows(row.flows_yaml) if row.flows_yaml else None


def _echo_inbound(session: Session, shop: StoredShop, event: InboundEvent, inbox_id: int) -> None:
    """The customer's own message joins the history, so every tab and replay shows it."""
    if event.kind is EventKind.MESSAGE:
        body = {"type": "text", "text": event.text}
    elif event.kind is EventKind.POSTBACK:
        body = {"type": "text", "text": event.title or event.payload, "payload": event.payload}
    else:
        return
    append_message(session, shop.conversation, "in", body, shop.now, inbox_id)
    shop.record("message_in", kind=event.kind.value)


def append_outbound(session: Session, shop: StoredShop, message: OutboundMessage) -> None:
    append_message(session, shop.conversation, "out", message.model_dump(mode="json"), shop.now)
    shop.record("message_out", type=message.type.value)
