"""FAQ answers and the way to a person, which is always one tap away."""

from __future__ import annotations

import re

from chatcart.core.events import EventName
from chatcart.core.text import pick
from chatcart.engine.skills.slots import SHIPPING_LABELS
from chatcart.engine.state import Owner
from chatcart.engine.turn import Turn
from chatcart.messaging.outbound import text
from chatcart.nlu.interface import Intent, Understanding
from chatcart.nlu.keywords import intent_keywords
from chatcart.nlu.text import contains_term, has_cjk

MAX_FAQ_BUTTONS = 10
#: Asks where an order is or how it stands: the customer's own orders answer that, not the FAQ.
_ASKS_ABOUT_AN_ORDER = re.compile(r"\b(?:where|status|track\w*)\b|到哪|在哪|進度|狀態|查.{0,2}訂單")


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


def answer_from_text(turn: Turn, text: str, resume_button: bool = True) -> bool:
    """The FAQ entry the text asks; `resume_button` False when the caller resumes the step
    itself, right after the answer."""
    match = turn.understander.match_faq(text, turn.shop.faq())
    if match is None:
        return False
    _answer(turn, pick(match.entry.answer, turn.lang), match.entry.id, resume_button)
    return True


def answer_despite_intent(turn: Turn, u: Understanding) -> bool:
    """A question the FAQ answers though one of its words names an intent ("can I collect my
    order somewhere?", "下單後幾天會到？"): answered when the FAQ finds an entry with
    confidence for the whole question and what it asks besides the intent's own words still
    reaches that entry, so "my orders?" or "我要結帳可以嗎" still do what they say. Never with
    an order number, nor when it asks where an order is."""
    if u.intent is None or u.entities.order_number or not (u.is_question or u.intent is Intent.FAQ):
        return False
    if u.intent is Intent.ORDER_STATUS and _ASKS_ABOUT_AN_ORDER.search(u.normalised):
        return False
    whole = turn.understander.match_faq(u.normalised, turn.shop.faq())
    rest = _without_words(u.normalised, intent_keywords().get(u.intent, []))
    # What it asks besides the intent's words must still reach that entry on its own.
    beyond = turn.understander.match_faq(rest, [whole.entry]) if whole and rest else None
    if whole is None or beyond is None:
        return False
    _answer(turn, pick(whole.entry.answer, turn.lang), whole.entry.id)
    return True


def _without_words(text: str, words: list[str]) -> str:
    """The text with these words (longest first) taken out: Chinese ones wherever they are,
    others as whole words ("shop" goes, "shopping" stays)."""
    for word in sorted(words, key=len, reverse=True):
        if not contains_term(text, word):
            continue
        pattern = re.escape(word) if has_cjk(word) else rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])"
        text = re.sub(pattern, " ", text)
    return " ".join(text.split())


def _answer(turn: Turn, answer: str, entry_id: str, resume_button: bool = True) -> None:
    _answer_with_buttons(turn, answer, resume_button)
    turn.record(EventName.FAQ_ANSWERED, faq=entry_id)


def answer_shop_intent(turn: Turn, intent_id: str) -> bool:
    """One of the shop's own intents: its answer as the shop wrote it (in the customer's
    language, else the shop's), and a person asked to join where the shop said so. False
    when the intent is gone (edited away since the message was understood)."""
    intent = turn.shop.intents().named(intent_id)
    if intent is None:
        return False
    turn.record(EventName.SHOP_INTENT_ANSWERED, intent=intent.id)
    answer = pick(intent.answer, turn.lang, turn.shop.workspace.lang) if intent.answer else ""
    if intent.hand_off:
        if answer:
            turn.send(text(answer))
        hand_off(turn, "shop_intent")
        return True
    _answer_with_buttons(turn, answer)
    return True


def _answer_with_buttons(turn: Turn, answer: str, resume_button: bool = True) -> None:
    replies = turn.buttons_named("faq", "menu", "human")
    if not resume_button:
        replies = []
    elif turn.state.step:
        replies.insert(0, turn.quick("Continue where I was", "RESUME"))
    turn.send(text(answer, replies))


def shipping_fees(turn: Turn, resume_button: bool = True) -> None:
    """What delivery costs, from the shop's own shipping options: always the amounts the
    checkout will charge, whatever an FAQ text may say."""
    lines = [turn.tr("Shipping costs:")]
    for option in turn.shop.shipping_options():
        label = turn.tr(
            SHIPPING_LABELS[option.kind], carrier=turn.tr(option.carrier) if option.carrier else ""
        )
        lines.append("• " + turn.tr("{label}: {amount}", label=label, amount=turn.money(option.fee)))
    free = next((o.free_over for o in turn.shop.shipping_options() if o.free_over is not None), None)
    if free is not None:
        lines.append(turn.tr("Free shipping on orders of {amount} or more.", amount=turn.money(free)))
    replies = turn.buttons_named("faq", "menu") if resume_button else None
    turn.send(text("\n".join(lines), replies))


def person_changes_orders(turn: Turn) -> None:
    turn.say(
        "An order already placed is changed by a person from our team: tap below and tell them "
        "what to change.",
        turn.buttons_named("human", "orders"),
    )


def answer_policy_question(turn: Turn, u: Understanding, resume_button: bool = True) -> bool:
    """A policy asked in complaint words ("退貨規定是什麼？"): the FAQ answers it, or an
    honest "a person can answer" with the button; the conversation stays with the bot."""
    if answer_from_text(turn, u.normalised, resume_button):
        return True
    cannot_answer(turn, resume_button)
    return True


def out_of_scope(turn: Turn) -> None:
    """Not shop business ("will it rain tomorrow?"): said plainly, with the menu, rather
    than products that happen to share a word with it ("weather" is not "leather")."""
    turn.say(
        "I can only help with our shop: products, orders, delivery and payment. What are you looking for?",
        turn.menu_replies(),
    )


def cannot_answer(turn: Turn, resume_button: bool = True) -> None:
    """A question the FAQ does not answer with confidence (nor the catalog): said honestly,
    with a person one tap away, rather than a guessed answer or "I didn't catch that".
    `resume_button` False when the caller asks the step's question again itself."""
    replies = turn.buttons_named("human", "faq", "menu")
    if resume_button and turn.state.step:
        replies.insert(0, turn.quick("Continue where I was", "RESUME"))
    turn.say("I don't have that answer myself; a person from our team can tell you.", replies)


def hand_off(turn: Turn, reason: str) -> None:
    if turn.owner is Owner.HUMAN:
        waiting_for_person(turn)
        return
    turn.hand_off(reason)
    if reason in ("complaint", "angry"):
        turn.say(
            "I'm sorry about this. I've passed your message to a person on our team, who will reply "
            "here as soon as possible.",
            [turn.button("bot")],
        )
        return
    turn.say(
        "I've asked a person from our team to join. They will reply here, usually within a few hours "
        "during opening times. To carry on with me meanwhile, tap Back to the bot.",
        [turn.button("bot")],
    )


def waiting_for_person(turn: Turn) -> None:
    """Asked for a person while one already has the conversation: say so, and keep the way
    back to the bot open, so the customer is never trapped."""
    turn.say(
        "Your message is with our team; a person will reply here. Tap below to continue with the bot.",
        [turn.button("bot")],
    )


def back_to_bot(turn: Turn) -> None:
    turn.hand_back()
    if turn.state.step:
        turn.say("I'm back. Let's go on where we were:")
        return  # the caller asks the step's question again
    turn.say("I'm back. What would you like to do?", turn.menu_replies())
