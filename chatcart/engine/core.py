"""The conversation engine: one inbound event in, replies and the next state out.

It decides; it does no I/O. Everything it needs from the world comes through the `Shop`
port, and time and ids are passed in, so a turn is a plain function call in tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chatcart.core.events import EventName
from chatcart.core.ids import new_id, new_order_number, new_token
from chatcart.engine import recommend
from chatcart.engine.assistant_model import AssistantModel
from chatcart.engine.commands import Command
from chatcart.engine.flows import FlowBook, default_flows
from chatcart.engine.ports import Shop
from chatcart.engine.routing import route_postback
from chatcart.engine.skills import (
    buying,
    cart,
    changes,
    checkout,
    checkout_text,
    direct,
    discovery,
    followups,
    navigation,
    orders,
    support,
)
from chatcart.engine.skills.assistant import answers as assistant_answers
from chatcart.engine.skills.fallback import not_understood
from chatcart.engine.skills.resume import offer as offer_resume
from chatcart.engine.skills.resume import resume, worth_offering
from chatcart.engine.state import ConversationState, Owner
from chatcart.engine.turn import Factories, Turn
from chatcart.i18n.catalogue import SUPPORTED, Translator
from chatcart.messaging.inbound import EventKind, InboundEvent
from chatcart.messaging.outbound import OutboundMessage
from chatcart.nlu.interface import Context, Intent, Understander, Understanding
from chatcart.nlu.language import clearly_in
from chatcart.nlu.shop_intents import SHOP_LABEL

#: Answers typed at these steps are data (a store, an address, a name), not a choice of
#: language: "信義門市" typed on the English page keeps the conversation in English.
_DATA_STEPS = {f"checkout.{slot}" for slot in ("store", "address", "recipient", "phone", "coupon")}
#: What answers "cancel order …?": yes, or "cancel" itself, or no.
_CANCEL_ANSWERS = {Intent.YES, Intent.CANCEL, Intent.NO}
#: Intents that win over whatever step the conversation is at.
_INTERRUPTS = {
    Intent.HUMAN,
    Intent.COMPLAINT,
    Intent.CANCEL,
    Intent.MENU,
    Intent.LANGUAGE_EN,
    Intent.LANGUAGE_ZH,
}
#: Polite words that may sit inside a real question ("可以大量訂購嗎", "ok do you ship to Japan"):
#: the FAQ and the catalog get the first look.
_WEAK_INTENTS = {Intent.YES, Intent.NO, Intent.THANKS, Intent.GREET}
#: Intents that answer a question without abandoning the step in progress.
_ASIDES = {Intent.ORDER_STATUS, Intent.CART, Intent.FAQ, Intent.BROWSE, Intent.CHECKOUT}
#: Intents a question may carry by one word while it asks what the shop's FAQ answers ("can I
#: collect my order somewhere?", "下單後幾天會到？", "最近有什麼折價活動？"): a
#: confident FAQ answer comes first. A person asked for and a complaint always win; the weak
#: intents already go to the FAQ first.
_FAQ_FIRST = {Intent.ORDER_STATUS, Intent.CHECKOUT, Intent.BROWSE, Intent.FAQ}
#: While a person owns the conversation, these taps still reach the bot: the customer can
#: always come back to it, and asking for a person again is answered.
_OWNER_FREE_POSTBACKS = {"BOT", "HUMAN"}


@dataclass(frozen=True)
class TurnResult:
    replies: list[OutboundMessage]
    state: ConversationState
    understanding: Understanding | None
    #: What the turn changes, for the service layer to apply in one transaction.
    commands: list[Command]


DEFAULT_FACTORIES = Factories(new_token=new_token, new_id=new_id, new_order_number=new_order_number)


class Engine:
    def __init__(
        self,
        understander: Understander,
        flows: FlowBook | None = None,
        factories: Factories = DEFAULT_FACTORIES,
        assistant: AssistantModel | None = None,
    ) -> None:
        self.understander = understander
        self.flows = flows or default_flows()
        self.factories = factories
        #: The optional language model for open questions (ADR 14); None keeps it offline.
        self.assistant = assistant

    def handle(
        self,
        event: InboundEvent,
        shop: Shop,
        state: ConversationState,
        now: datetime,
        flows: FlowBook | None = None,
    ) -> TurnResult:
        turn = Turn(
            shop=shop,
            state=state.model_copy(deep=True),
            flows=flows or self.flows,
            tr=Translator(shop.contact.lang or shop.workspace.lang),
            now=now,
            make=self.factories,
            understander=self.understander,
            owner=shop.owner,
            assistant=self.assistant,
        )
        idle_since = turn.state.last_active_at
        self._dispatch(turn, event, idle_since)
        turn.state.last_active_at = now
        return TurnResult(turn.replies, turn.state, turn.understanding, turn.commands)

    def _dispatch(self, turn: Turn, event: InboundEvent, idle_since: datetime | None) -> None:
        if event.kind is EventKind.OPEN:
            if not turn.state.welcomed:
                navigation.welcome(turn, context_product=event.payload)
            elif turn.owner is Owner.BOT and self._should_offer_resume(turn, idle_since):
                offer_resume(turn)
            return
        if event.kind is EventKind.POSTBACK:
            self._postback(turn, event.payload)
            return
        if event.kind is EventKind.MESSAGE:
            self._message(turn, event.text, idle_since)

    def _postback(self, turn: Turn, payload: str) -> None:
        if turn.owner is Owner.HUMAN and payload not in _OWNER_FREE_POSTBACKS:
            return
        turn.state.misunderstood = 0
        turn.state.resume_offered = False
        route_postback(turn, payload)

    def _message(self, turn: Turn, text: str, idle_since: datetime | None) -> None:
        if not self._acceptable(turn, text):
            return
        turn.understanding = self._understand(turn, text)
        self._follow_language(turn)
        if turn.owner is Owner.HUMAN:
            return
        if self._should_offer_resume(turn, idle_since):
            offer_resume(turn)
            return
        self._route_text(turn)

    def _acceptable(self, turn: Turn, text: str) -> bool:
        """Empty and oversized messages get a clear answer and change nothing else."""
        if not text.strip():
            turn.say("Your message looks empty. What can I help you with?", turn.menu_replies())
            return False
        limit = turn.flows.limits.max_message_chars
        if len(text) > limit:
            turn.say(
                "That message is too long for me (over {limit} characters). Could you shorten it?",
                turn.menu_replies(),
                limit=limit,
            )
            return False
        return True

    def _understand(self, turn: Turn, text: str) -> Understanding:
        """An intent below the flows' confidence threshold is not acted on: the text goes to
        the FAQ and the catalog, and a miss ends in the fallback (menu, then a person)."""
        context = Context(turn.lang, turn.state.step, _shop_today(turn), turn.shop.intents())
        understood = self.understander.understand(text, context)
        if understood.intent is not None and understood.confidence < turn.flows.min_confidence:
            return replace(understood, intent=None)
        return understood

    def _follow_language(self, turn: Turn) -> None:
        """Replies follow the language the customer writes in when they clearly write in
        another one; a brand or product name in Latin letters switches nothing, and a
        language the customer chose explicitly is kept."""
        u = turn.understanding
        contact = turn.contact
        turn.state.lang_samples += 1
        if u is None or u.lang is None or contact.lang_chosen or turn.state.step in _DATA_STEPS:
            return
        if u.lang.startswith("zh") and turn.tr.lang == "ja":  # kanji alone (烏龍茶) is Japanese too
            return
        detected = _chinese_variant(turn.tr.lang, turn.shop.workspace.lang) if u.lang == "zh" else u.lang
        if detected not in SUPPORTED or detected == turn.tr.lang or not clearly_in(u.text, detected):
            return
        turn.update_contact(lang=detected)
        turn.tr = Translator(detected)

    def _should_offer_resume(self, turn: Turn, idle_since: datetime | None) -> bool:
        """Back after a while with a step in progress or a cart waiting, saying hello (or
        opening the chat): greeted with what is waiting, not with the menu."""
        if turn.state.resume_offered or idle_since is None or not worth_offering(turn):
            return False
        away = turn.now - idle_since
        return away >= timedelta(minutes=turn.flows.resume_after_minutes) and _only_hello(turn.understanding)

    def _route_text(self, turn: Turn) -> None:
        u = turn.understanding
        assert u is not None
        understood = self._route_intent(turn, u)
        if understood:
            turn.state.misunderstood = 0
            turn.record(
                EventName.UNDERSTOOD, intent=_recorded_intent(u), sentiment=u.sentiment, urgent=u.urgent
            )
        elif turn.state.step == "buy.variant" and buying.ask_again(turn):
            return
        else:
            not_understood(turn)

    def _route_intent(self, turn: Turn, u: Understanding) -> bool:
        intent = u.intent
        if turn.state.step == orders.CANCEL_STEP and (u.agrees or intent in _CANCEL_ANSWERS):
            orders.answer_cancel(turn, yes=intent is not Intent.NO)
            return True
        if u.empties_cart and not u.is_question and not turn.cart().is_empty:
            cart.clear(turn)
            return True
        if u.asks_shipping_fee and intent not in _INTERRUPTS and not (u.wants_change or u.wants_removal):
            support.shipping_fees(turn, resume_button=not turn.state.step)
            _resume_step(turn)
            return True
        if intent is Intent.COMPLAINT and (u.asks_policy or _calm_question(u)):
            support.answer_policy_question(turn, u, resume_button=not turn.state.step)
            _resume_step(turn)
            return True
        if intent is Intent.CANCEL and followups.never_mind_then(
            turn, u, self._understand, self._route_intent
        ):
            return True
        if u.angry and intent not in (Intent.HUMAN, Intent.COMPLAINT) and not u.asks_policy:
            turn.state.finish()
            support.hand_off(turn, "angry")
            return True
        if intent is not None and intent in _INTERRUPTS:
            return _interrupt(turn, intent)
        if u.shop_intent is not None and _answered_shop_intent(turn, u.shop_intent):
            return True
        if followups.swapped(turn, u):
            return True
        flow = turn.state.flow
        if u.wants_cheaper and flow != checkout.STEP and discovery.cheaper(turn, u):
            return True
        if flow == checkout.STEP and (intent not in _ASIDES or u.agrees):
            checkout_text.handle(turn, u)
            return True
        if (
            flow == "buy"
            and intent not in _ASIDES
            and (buying.choice_from_text(turn) or buying.hold_step(turn))
        ):
            return True
        if u.entities.order_number and intent in (None, Intent.ORDER_STATUS, Intent.SEARCH):
            orders.status(turn)
            return True
        if u.wants_recommendation:
            recommend.asked(turn)
            return True
        if _changed_cart(turn, u) or _checkout_with_choices(turn, u) or direct.purchase(turn, u):
            return True
        if _changes_a_placed_order(turn, u):
            return True
        if intent in _FAQ_FIRST and support.answer_despite_intent(turn, u):
            return True
        simple = _SIMPLE_INTENTS.get(intent) if intent is not None else None
        if intent in _WEAK_INTENTS and _answer_or_search(turn, u):
            return True
        if simple is not None:
            simple(turn)
            return True
        return _answer_or_search(turn, u)


def _calm_question(u: Understanding) -> bool:
    """A question in complaint words with nothing negative in it ("would this suit someone
    who never brewed tea?"): answered, with a person one tap away, not handed over. On the
    commerce test set, messages that are no complaint handed to a person fall from 2.0% to
    1.5%, complaints handed over from 76.5% to 76.0% (docs/nlu.md, "Sentiment and urgency")."""
    return u.is_question and u.sentiment >= 0 and not u.angry


def _recorded_intent(u: Understanding) -> str:
    """What the numbers count a message as: a shop's own intent by its id, free text as search."""
    if u.shop_intent is not None and u.intent is None:
        return SHOP_LABEL + u.shop_intent
    return u.intent or Intent.SEARCH


def _answered_shop_intent(turn: Turn, intent_id: str) -> bool:
    """One of the shop's own intents, answered; a step in progress is asked again after it,
    unless a person was asked to join."""
    if not support.answer_shop_intent(turn, intent_id):
        return False
    if turn.owner is Owner.BOT:
        _resume_step(turn)
    return True


def _shop_today(turn: Turn) -> date:
    """Today where the shop is: "tomorrow" said at 23:30 in Taipei is not UTC's tomorrow."""
    try:
        return turn.now.astimezone(ZoneInfo(turn.shop.workspace.timezone)).date()
    except (ZoneInfoNotFoundError, ValueError):
        return turn.now.date()


def _resume_step(turn: Turn) -> None:
    """After an aside answered mid-purchase, the question that was pending, again."""
    if turn.state.flow == checkout.STEP:
        checkout.ask_again(turn)
    elif turn.state.step == "buy.variant":
        buying.ask_again(turn)


def _only_hello(u: Understanding | None) -> bool:
    """A greeting, a yes, or the chat opened: nothing asked that should be answered first."""
    if u is None or u.intent in (Intent.GREET, Intent.YES):
        return True
    return u.intent is None and not u.remainder.strip()


def _chinese_variant(current: str, shop_lang: str) -> str:
    """Script-neutral Chinese keeps the contact's variant, else the shop's, else Taiwan's."""
    for candidate in (current, shop_lang):
        if candidate.startswith("zh"):
            return candidate
    return "zh-TW"


def _interrupt(turn: Turn, intent: Intent) -> bool:
    if intent is Intent.COMPLAINT:
        turn.state.finish()
        support.hand_off(turn, "complaint")
    elif intent is Intent.HUMAN:
        support.hand_off(turn, "customer_request")
    elif intent is Intent.CANCEL and turn.state.flow == checkout.STEP:
        checkout.stop(turn)
    elif intent is Intent.CANCEL:
        navigation.cancel(turn)
    elif intent is Intent.MENU:
        navigation.menu(turn)
    else:
        navigation.change_language(turn, "en" if intent is Intent.LANGUAGE_EN else "zh-TW")
        if turn.state.step:
            resume(turn)
    return True


def _changed_cart(turn: Turn, u: Understanding) -> bool:
    """A change of the cart in words ("make that 2", "drop the serum") outside checkout."""
    if not (u.wants_change or u.wants_removal) or u.is_question or turn.cart().is_empty:
        return False
    if not changes.apply_cart_change(turn, u, quantity_allowed=False):
        return False
    cart.view_cart(turn)
    return True


def _changes_a_placed_order(turn: Turn, u: Understanding) -> bool:
    """A change asked for after the order ("can I change the address?"): a person does it."""
    if not (u.wants_change or u.is_question) or checkout_text.named_detail(u) is None:
        return False
    if not any(o.status.value in ("pending_payment", "paid") for o in turn.shop.orders()):
        return False
    support.person_changes_orders(turn)
    return True


def _checkout_with_choices(turn: Turn, u: Understanding) -> bool:
    """Delivery or payment named ("7-11, cash on delivery") with items in the cart: check out."""
    if turn.cart().is_empty or u.is_question or u.remainder.strip() or not changes.named_choices(turn, u):
        return False
    direct.remember_wants(turn, u)
    checkout.start(turn)
    return True


def _answer_or_search(turn: Turn, u: Understanding) -> bool:
    """Free text: the shop's FAQ first, then the catalog (the catalog first for a shopping
    request: "gift under 1000" wants gifts, not the gift-wrapping answer); an empty search
    is a miss, and a question neither answers gets an honest "a person can tell you"."""
    shopping = _is_shopping(u)
    if not shopping and support.answer_from_text(turn, u.normalised):
        return True
    if u.intent is Intent.SEARCH and not u.remainder.strip():
        discovery.ask_search(turn)
        return True
    if u.out_of_scope:
        support.out_of_scope(turn)
        return True
    products = discovery.search_products(turn, u.remainder)
    if products:
        discovery.show_search_results(turn, products)
        direct.offer_choice(turn, u, products)
        return True
    if shopping and support.answer_from_text(turn, u.normalised):
        return True
    if assistant_answers(turn, u):
        return True
    if u.intent is Intent.SEARCH or turn.state.step == "search.query":
        turn.say(
            "I couldn't find anything for that. Try other words, or browse the categories.",
            turn.buttons_named("browse", "human"),
        )
        return True
    if u.is_question and not u.chatter:
        support.cannot_answer(turn)
        return True
    return False


def _is_shopping(u: Understanding) -> bool:
    """A budget named, or a search asked for in words and not as a question."""
    budget = u.entities.price_min is not None or u.entities.price_max is not None
    return budget or (u.intent is Intent.SEARCH and not u.is_question)


_SIMPLE_INTENTS: dict[Intent, Callable[[Turn], None]] = {
    Intent.GREET: navigation.greet,
    Intent.BROWSE: discovery.browse,
    Intent.CART: cart.view_cart,
    Intent.CHECKOUT: checkout.start,
    Intent.ORDER_STATUS: orders.status,
    Intent.FAQ: support.faq_menu,
    Intent.THANKS: navigation.thanks,
    Intent.YES: navigation.menu,
    Intent.NO: navigation.menu,
}
