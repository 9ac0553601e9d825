"""FAQ answers and the way to a person, which is always one tap away."""

from __future__ import annotations

from chatcart.core.text import pick
from chatcart.engine.state import Owner
from chatcart.engine.turn import Turn
from chatcart.messaging.outbound import text
from chatcart.nlu.faq import best_faq

MAX_FAQ_BUTTONS = 10


def faq_menu(turn: Turn) -> None:
    entries = list(turn.shop.faq())[:MAX_FAQ_BUTTONS]
    if not entries:
        turn.say(
            "There are no FAQ entries yet. A person can answer you.", turn.buttons_named("human", "menu")
        )
        return
    turn.say("Common questions:", [turn.quick(e.title(turn.lang), f"FAQ:{e.id}") for e in entries])


def faq_answer(turn: Turn, entry_id: str) -> None:
    entry = next((e for e in turn.shop.faq() if e.id == entry_id), None)
    if entry is None:
        faq_menu(turn)
        return
    _answer(turn, pick(entry.answer, turn.lang), entry.id)


def answer_from_text(turn: Turn, text: str) -> bool:
    entry, _score = best_faq(text, list(turn.shop.faq()))
    if entry is None:
        return False
    _answer(turn, pick(entry.answer, turn.lang), entry.id)
    return True


def _answer(turn: Turn, answer: str, entry_id: str) -> None:
    replies = turn.buttons_named("faq", "menu", "human")
    if turn.state.step:
        replies.insert(0, turn.quick("Continue where I was", "RESUME"))
    turn.send(text(answer, replies))
    turn.shop.record("faq_answered", faq=entry_id)


def hand_off(turn: Turn, reason: str) -> None:
    turn.shop.hand_off(reason)
    turn.state.owner = Owner.HUMAN
    if reason == "complaint":
        turn.say(
            "I'm sorry about this. I've passed your message to a person on our team, who will reply "
            "here as soon as possible.",
            [turn.button("bot")],
        )
        return
    turn.say(
        "I've asked a person from our team to join. They will reply here, usually within a few hours "
        "during opening times. You can keep shopping with me meanwhile.",
        [turn.button("bot")],
    )


def waiting_for_person(turn: Turn) -> None:
    """While a person owns the conversation the bot stays out of it, but never traps."""
    turn.say(
        "Your message is with our team; a person will reply here. Tap below to continue with the bot.",
        [turn.button("bot")],
    )


def back_to_bot(turn: Turn) -> None:
    turn.state.owner = Owner.BOT
    turn.shop.record("handed_back")
    turn.say("I'm back. What would you like to do?", turn.menu_replies())
