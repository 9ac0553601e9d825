"""One customer's whole journey through the real stack (inbox, engine, storage), in-process.

Each move goes through `ShellSession.send`, as `chatcart shell --json` would send it. The
journey ends when an order row exists for the contact (purchased), when a person has the
conversation (a hand-off recorded or the conversation owned by a person), when the customer
has nothing left to say, or after `MAX_TURNS` moves (stuck). An exception raised by the
product ends it too, recorded rather than raised, so one broken journey never hides the
figures of the others.
"""

from __future__ import annotations

import json
import traceback
from dataclasses import dataclass, field

from bench.customers.persona import Persona
from bench.customers.policy import Memory, Move, next_move
from bench.customers.shop import Order, Peek, TeaShop
from bench.customers.view import BotView, read_view
from chatcart.cli.shell import ShellSession

MAX_TURNS = 25
#: Seconds between two moves of one customer: typing takes a while, but never half an hour.
SECONDS_PER_MOVE = 20


@dataclass(frozen=True)
class Exchange:
    """One move and what came back: the customer's text (or tap), the bot's texts, the step."""

    customer: str
    bot: tuple[str, ...]
    options: tuple[str, ...]
    step: str | None


@dataclass
class Journey:
    persona: Persona
    turns: int = 0
    purchased_at: int | None = None
    handed_off_at: int | None = None
    complaint_turns: list[int] = field(default_factory=list)
    #: How the customer's final wish reads as order lines (after any change of mind).
    wanted: dict[str, int] | None = None
    orders: tuple[Order, ...] = ()
    repeats: int = 0
    #: Why it ended without reaching a goal: "turn limit", "no move", or "" otherwise.
    stopped: str = ""
    error: str = ""
    last_step: str | None = None
    transcript: list[Exchange] = field(default_factory=list)

    @property
    def last_bot_text(self) -> str:
        for exchange in reversed(self.transcript):
            if exchange.bot:
                return "\n".join(exchange.bot)
        return ""


def run_journey(shop: TeaShop, persona: Persona) -> Journey:
    journey = Journey(persona)
    memory = Memory(goal=persona.goal)
    try:
        _walk(shop, persona, journey, memory)
    except Exception:  # the harness reports the product's failures, never hides them
        journey.error = traceback.format_exc()
    journey.repeats = memory.repeats
    journey.wanted = memory.goal.lines() if memory.goal is not None else None
    return journey


def _walk(shop: TeaShop, persona: Persona, journey: Journey, memory: Memory) -> None:
    session = ShellSession(shop.rt, shop.workspace, persona.name, persona.lang)
    contact = shop.contact_id(persona.name, persona.lang)
    view = read_view([], shop.peek(contact))
    while journey.turns < MAX_TURNS:
        move = next_move(persona, memory, view, shop.variants)
        if move is None:
            journey.stopped = "no move"
            return
        view = _send(shop, session, contact, move)
        journey.turns += 1
        journey.last_step = view.step
        journey.transcript.append(_exchange(move, view))
        if move.complaint:
            journey.complaint_turns.append(journey.turns)
        if _ended(journey, view.peek):
            return
    journey.stopped = "turn limit"


def _send(shop: TeaShop, session: ShellSession, contact: str, move: Move) -> BotView:
    if move.pause_days:
        shop.clock.advance(days=move.pause_days)
    shop.clock.advance(seconds=SECONDS_PER_MOVE)
    line = {"postback": move.payload} if move.payload else {"text": move.text}
    replies = session.send(json.dumps(line, ensure_ascii=False))
    return read_view(replies, shop.peek(contact))


def _exchange(move: Move, view: BotView) -> Exchange:
    options = tuple(f"{o.title} ({o.payload})" for o in view.options)
    return Exchange(move.shown, view.texts, options, view.step)


def _ended(journey: Journey, peek: Peek) -> bool:
    journey.orders = peek.orders
    if peek.orders and journey.purchased_at is None:
        journey.purchased_at = journey.turns
    if (peek.handoffs or peek.owner == "human") and journey.handed_off_at is None:
        journey.handed_off_at = journey.turns
    return journey.purchased_at is not None or journey.handed_off_at is not None
