"""Open questions answered by an optional language model, grounded in the shop's data.

Only free text the rules did not handle reaches it — no FAQ entry, no product found, not
understood — and only while the bot owns the conversation and no step is in progress: a
complaint or a request for a person goes to a person before this is ever asked. The model
works through tools (assistant_tools.py) in a bounded loop; nothing it asks for changes the
turn until the loop ends, so an endpoint that fails halfway leaves the turn untouched and
the usual fallback answers, as if no model were configured. What it finally says is checked
(assistant_guard.py) before the customer sees it (ADR 14).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from chatcart.core.events import EventName
from chatcart.core.text import pick
from chatcart.engine.assistant_model import AssistantModel, ChatMessage, ModelUnavailable, ToolCall
from chatcart.engine.cards import MAX_CARDS, show_products
from chatcart.engine.skills import assistant_tools as tools
from chatcart.engine.skills import buying, checkout, support
from chatcart.engine.skills.assistant_guard import (
    MAX_ANSWER_CHARS,
    Evidence,
    StepFailed,
    parse_arguments,
    ungrounded,
)
from chatcart.engine.skills.assistant_prompt import system_prompt
from chatcart.engine.state import Owner
from chatcart.engine.turn import Turn
from chatcart.messaging.outbound import text
from chatcart.nlu.interface import Intent, Understanding

#: Completions asked for one message: enough to search, look closer and answer; a model
#: still calling tools after this is unsure, and a person takes over.
MAX_ROUNDS = 4
#: Tool calls run from one completion; more get an error result.
MAX_CALLS_PER_ROUND = 4
#: Products named in an answer are shown as cards too (with Buy), at most this many.
MENTIONED_CARDS = 3
#: What the understanding may have said for text the model is asked about: nothing, or a
#: search that found nothing. Greetings, yes/no and every other intent have their skills.
_OPEN_INTENTS = {None, Intent.SEARCH}
#: The one step whose question the model may answer: "what are you looking for?".
_SEARCH_STEP = "search.query"


@dataclass(frozen=True)
class Answer:
    text: str


@dataclass(frozen=True)
class GaveUp:
    """The loop ran out of rounds without a final answer."""


Outcome = Answer | GaveUp | tools.Action


def answers(turn: Turn, u: Understanding) -> bool:
    """True when the model handled the message; False when none is configured, the text is
    not for it, or the endpoint failed — then the caller's fallback runs unchanged."""
    model = turn.assistant
    if model is None or not _for_the_model(turn, u):
        return False
    evidence = Evidence()
    try:
        outcome = converse(turn, model, u.text, evidence)
    except ModelUnavailable:
        return False
    if turn.state.step == _SEARCH_STEP:
        turn.state.finish()
    _deliver(turn, outcome, evidence)
    return True


def _for_the_model(turn: Turn, u: Understanding) -> bool:
    """Open text only: an intent the rules act on, a step's own question, chatter or a
    person's conversation is never the model's (a complaint or "a person, please" is routed
    to a person before this is reached; checked again here because a guard is cheap)."""
    return (
        turn.owner is Owner.BOT
        and u.intent in _OPEN_INTENTS
        and turn.state.step in (None, _SEARCH_STEP)
        and not u.chatter
        and bool(u.text.strip())
    )


def converse(turn: Turn, model: AssistantModel, said: str, evidence: Evidence) -> Outcome:
    """The tool loop: at most MAX_ROUNDS completions. Read tools answer the model; the
    first write tool (or a final text) ends it. Raises `ModelUnavailable` when the endpoint
    fails or gives an empty answer."""
    lang = turn.lang
    messages = [
        ChatMessage("system", system_prompt(pick(turn.shop.workspace.name, lang), lang)),
        *_what_the_customer_sees(turn),
        ChatMessage("user", said),
    ]
    for round_ in range(MAX_ROUNDS):
        reply = model.complete(messages, tools.SPECS)
        if not reply.tool_calls:
            if not reply.text.strip():
                raise ModelUnavailable("an empty answer")
            return Answer(reply.text.strip())
        calls = _numbered(reply.tool_calls, round_)
        messages.append(ChatMessage("assistant", reply.text, tuple(_echo(call) for call in calls)))
        for index, call in enumerate(calls):
            result = tools.run(turn, call, evidence) if index < MAX_CALLS_PER_ROUND else _TOO_MANY
            if not isinstance(result, dict):
                return result
            content = json.dumps(result, ensure_ascii=False, default=str)
            messages.append(ChatMessage("tool", content, tool_call_id=call.id))
    return GaveUp()


def _what_the_customer_sees(turn: Turn) -> list[ChatMessage]:
    """The products just shown as cards, in order, by id and title: "the second one" and "does
    it come in red?" mean one of them. Ids and titles only — prices, stock and sizes still
    come from the tools, so every fact the answer states has a tool result behind it."""
    products = [turn.shop.product(pid) for pid in turn.state.shown[:MAX_CARDS]]
    lines = [
        f"{n}. product_id={p.id}: {pick(p.title, turn.lang)}"
        for n, p in enumerate((p for p in products if p is not None), start=1)
    ]
    if not lines:
        return []
    note = "The customer was just shown these products, in this order:\n" + "\n".join(lines)
    return [ChatMessage("system", note)]


_TOO_MANY = {"error": f"at most {MAX_CALLS_PER_ROUND} tool calls at once"}


def _numbered(calls: tuple[ToolCall, ...], round_: int) -> list[ToolCall]:
    """The calls with ids their tool messages can answer: a model may send none, a huge one
    or the same one twice, and each result must name exactly one call."""
    numbered: list[ToolCall] = []
    for index, call in enumerate(calls):
        taken = {c.id for c in numbered}
        good_id = 0 < len(call.id) <= 64 and call.id.isprintable() and call.id not in taken
        numbered.append(
            ToolCall(call.id if good_id else f"call_{round_}_{index}", call.name[:64], call.arguments)
        )
    return numbered


def _echo(call: ToolCall) -> ToolCall:
    """The call as sent back to the model: its arguments as the engine parsed them (or
    none), never the raw text, which may be invalid JSON an endpoint would refuse."""
    try:
        arguments = json.dumps(parse_arguments(call.arguments), ensure_ascii=False)
    except StepFailed:
        arguments = "{}"
    return ToolCall(call.id, call.name, arguments)


def _deliver(turn: Turn, outcome: Outcome, evidence: Evidence) -> None:
    if isinstance(outcome, Answer):
        _answer(turn, outcome.text, evidence)
    elif isinstance(outcome, tools.AddToCart):
        _record(turn, "add_to_cart")
        if outcome.product.in_stock and outcome.quantity > 1:
            turn.state.wants["quantity"] = str(outcome.quantity)
        buying.buy(turn, outcome.product.id, outcome.size, outcome.color)
    elif isinstance(outcome, tools.StartCheckout):
        _record(turn, "start_checkout")
        checkout.start(turn)
    else:
        _record(turn, "hand_off" if isinstance(outcome, tools.HandOffToPerson) else "gave_up")
        turn.say("I'm not sure enough to answer that myself.")
        support.hand_off(turn, "assistant")


def _answer(turn: Turn, answer: str, evidence: Evidence) -> None:
    """The model's answer when every number and link in it came from the turn's tools;
    otherwise the products found, or an honest "a person can tell you"."""
    if ungrounded(answer, evidence) or len(answer) > MAX_ANSWER_CHARS:
        _record(turn, "blocked")
        _safe_reply(turn, evidence)
        return
    _record(turn, "answered")
    mentioned = [p for p in evidence.products if p.title_in(turn.lang) in answer][:MENTIONED_CARDS]
    replies = turn.buttons_named("human", "menu")
    if not mentioned:
        turn.send(text(answer, replies))
        return
    turn.send(text(answer))
    show_products(turn, mentioned, replies)


def _safe_reply(turn: Turn, evidence: Evidence) -> None:
    if evidence.products:
        turn.say("Here is what I found:")
        show_products(turn, evidence.products[:MAX_CARDS], turn.buttons_named("browse", "cart", "human"))
        return
    turn.say(
        "I can't answer that reliably myself; a person from our team can tell you.",
        turn.buttons_named("human", "faq", "menu"),
    )


def _record(turn: Turn, outcome: str) -> None:
    turn.record(EventName.ASSISTANT_REPLIED, outcome=outcome)
