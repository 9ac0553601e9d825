"""The write of a turn: one short transaction that applies what the engine decided.

It claims the inbound event (once), writes the conversation only if its version is the one
the snapshot read, applies the commands through their doors (which re-check stock and
coupon uses atomically), stores the customer's message and the replies — the replies as
outbox rows addressed to the sender's channel identity, with idempotency keys — and the
turn's events. Anything that changed since the snapshot raises `Conflict`: the caller
rolls back and decides the turn again on fresh data.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from chatcart.core.errors import CouponRejected, OutOfStock
from chatcart.core.events import OUTCOME_OF_EVENT, EventName
from chatcart.engine.commands import (
    CancelOrder,
    Command,
    HandBack,
    HandOff,
    PlaceOrder,
    RecordEvent,
    SaveCart,
    UpdateContact,
)
from chatcart.engine.core import TurnResult
from chatcart.engine.state import ConversationState, Owner
from chatcart.messaging.inbound import EventKind, InboundEvent
from chatcart.messaging.outbound import OutboundMessage
from chatcart.services.orders import cancel_unpaid, place_order
from chatcart.services.outbox import schedule_deliveries
from chatcart.services.ownership import handed_back, handed_off
from chatcart.storage.contacts import save_cart, update_contact
from chatcart.storage.conversations import (
    ConversationView,
    NewMessage,
    append_messages,
    better_outcome,
    insert_open,
    update_if_unchanged,
)
from chatcart.storage.events import record_events
from chatcart.storage.inbox import claim_event


class Conflict(Exception):
    """What the snapshot saw changed before the write: decide the turn again."""


class AlreadyProcessed(Exception):
    """Another processor finished this event first."""


@dataclass(frozen=True)
class TurnTarget:
    """Where a turn's write goes: the event, the contact, and the conversation as the
    snapshot saw it (`current` None, or stale, means `new_id` is opened)."""

    inbox_id: int
    event: InboundEvent
    workspace_id: str
    contact_id: str
    current: ConversationView | None
    new_id: str
    stale: bool

    @property
    def conversation_id(self) -> str:
        return self.current.id if self.current is not None and not self.stale else self.new_id


def apply_turn(
    session: Session, target: TurnTarget, result: TurnResult, now: datetime, push: Collection[str] = ()
) -> None:
    """`push`: the channels the server pushes to; their replies get a delivery job each."""
    if not claim_event(session, target.inbox_id, "processed", now):
        raise AlreadyProcessed
    events = [(c.name, c.data) for c in result.commands if isinstance(c, RecordEvent)]
    if target.event.kind in (EventKind.MESSAGE, EventKind.POSTBACK):
        events.insert(0, (EventName.MESSAGE_IN, {"kind": target.event.kind.value}))
    events += [(EventName.MESSAGE_OUT, {"type": r.type.value}) for r in result.replies]
    _store(session, target, result, events, now, push)


def dead_letter(
    session: Session, target: TurnTarget, reply: OutboundMessage, now: datetime, push: Collection[str] = ()
) -> None:
    """An event that failed every attempt: set aside, and the conversation to a person with
    one clear reply, written without the engine (which is what failed)."""
    if not claim_event(session, target.inbox_id, "dead", now):
        raise AlreadyProcessed
    already_human = target.current is not None and target.current.owner == Owner.HUMAN.value
    commands: list[Command] = [] if already_human else [HandOff("bot_error")]
    result = TurnResult([reply], _carried_state(target), None, commands)
    _store(session, target, result, [(EventName.EVENT_FAILED, {"inbox_id": target.inbox_id})], now, push)


def _store(
    session: Session,
    target: TurnTarget,
    result: TurnResult,
    events: list[tuple[EventName, dict[str, Any]]],
    now: datetime,
    push: Collection[str],
) -> None:
    """The conversation (versioned), the commands through their doors, the messages (and
    their deliveries, on push channels) and the events, in the caller's transaction."""
    messages = _messages(target, result.replies)
    _write_conversation(
        session, target, result, _owner_after(target, result.commands), events, len(messages), now
    )
    _apply_commands(session, target, result.commands, now)
    first_seq = target.current.next_seq if target.current is not None and not target.stale else 1
    append_messages(session, target.conversation_id, first_seq, messages, now)
    pushed = [m.idempotency_key for m in messages if m.direction == "out" and m.channel in push]
    schedule_deliveries(session, [key for key in pushed if key], now)
    record_events(session, target.workspace_id, events, now, target.conversation_id, target.contact_id)


def _carried_state(target: TurnTarget) -> ConversationState:
    return ConversationState.model_validate(target.current.state if target.current else {})


def _owner_after(target: TurnTarget, commands: list[Command]) -> Owner:
    owner = Owner(target.current.owner) if target.current is not None else Owner.BOT
    for command in commands:
        if isinstance(command, HandOff):
            owner = Owner.HUMAN
        elif isinstance(command, HandBack):
            owner = Owner.BOT
    return owner


def _write_conversation(
    session: Session,
    target: TurnTarget,
    result: TurnResult,
    owner: Owner,
    events: list[tuple[EventName, dict[str, Any]]],
    message_count: int,
    now: datetime,
) -> None:
    current = target.current
    outcome = current.outcome if current is not None and not target.stale else None
    for name, _ in events:
        if name in OUTCOME_OF_EVENT:
            outcome = better_outcome(outcome, OUTCOME_OF_EVENT[name])
    outcome = _outcome_of_commands(outcome, result.commands)
    values: dict[str, Any] = {
        "state": result.state.model_dump(mode="json"),
        "owner": owner.value,
        "outcome": outcome,
        "last_activity_at": now,
    }
    if owner is Owner.BOT:
        values["assignee"] = None
    if current is not None and not target.stale:
        values["next_seq"] = current.next_seq + message_count
        if not update_if_unchanged(session, current, **values):
            raise Conflict("conversation changed")
        return
    if current is not None and not update_if_unchanged(session, current, is_open=False):
        raise Conflict("conversation changed")
    try:
        with session.begin_nested():
            insert_open(
                session,
                target.new_id,
                target.workspace_id,
                target.contact_id,
                next_seq=1 + message_count,
                started_at=now,
                **values,
            )
    except IntegrityError as error:
        raise Conflict("another conversation was opened") from error


def _outcome_of_commands(outcome: str | None, commands: list[Command]) -> str | None:
    for command in commands:
        if isinstance(command, PlaceOrder):
            outcome = better_outcome(outcome, "purchased")
        elif isinstance(command, HandOff):
            outcome = better_outcome(outcome, "handed_off")
    return outcome


def _apply_commands(session: Session, target: TurnTarget, commands: list[Command], now: datetime) -> None:
    for command in commands:
        _apply(session, target, command, now)


def _apply(session: Session, target: TurnTarget, command: Command, now: datetime) -> None:
    conversation_id = target.conversation_id
    if isinstance(command, SaveCart):
        save_cart(session, target.contact_id, command.cart)
    elif isinstance(command, UpdateContact):
        update_contact(session, target.contact_id, **_contact_changes(command))
    elif isinstance(command, HandOff):
        handed_off(session, target.workspace_id, conversation_id, target.contact_id, command.reason, now)
    elif isinstance(command, HandBack):
        handed_back(session, target.workspace_id, conversation_id, target.contact_id, command.by, now)
    elif isinstance(command, PlaceOrder):
        _place(session, command, conversation_id)
    elif isinstance(command, CancelOrder):
        cancel_unpaid(session, command.order_id, now, reason="customer")


def _place(session: Session, command: PlaceOrder, conversation_id: str) -> None:
    try:
        with session.begin_nested():
            place_order(session, command.order, command.checkout_token, conversation_id)
    except (OutOfStock, CouponRejected, IntegrityError) as error:
        raise Conflict(f"order not placed: {type(error).__name__}") from error


def _contact_changes(command: UpdateContact) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if command.lang is not None:
        changes["lang"] = command.lang
    if command.lang_chosen is not None:
        changes["lang_chosen"] = command.lang_chosen
    if command.profile:
        changes["profile"] = command.profile
    return changes


def _messages(target: TurnTarget, replies: list[OutboundMessage]) -> list[NewMessage]:
    sender = target.event.sender
    messages = [_echo] if (_echo := _inbound_echo(target)) is not None else []
    for index, reply in enumerate(replies):
        messages.append(
            NewMessage(
                direction="out",
                body=reply.model_dump(mode="json"),
                channel=sender.channel,
                recipient=sender.external_id,
                author="bot",
                status="queued",
                idempotency_key=f"{target.workspace_id}:{sender.channel}:{target.event.event_id}:{index}",
            )
        )
    return messages


def _inbound_echo(target: TurnTarget) -> NewMessage | None:
    """The customer's own message joins the history, so every tab and replay shows it."""
    event = target.event
    if event.kind is EventKind.MESSAGE:
        body: dict[str, Any] = {"type": "text", "text": event.text}
    elif event.kind is EventKind.POSTBACK:
        body = {"type": "text", "text": event.title or event.payload, "payload": event.payload}
    else:
        return None
    return NewMessage(
        direction="in",
        body=body,
        channel=event.sender.channel,
        recipient=event.sender.external_id,
        author="customer",
        status="received",
        platform_message_id=event.event_id,
        inbox_id=target.inbox_id,
    )
