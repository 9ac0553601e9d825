"""The conversation engine: one inbound event in, replies and the next state out.

It decides; it does no I/O. Everything it needs from the world comes through the `Shop`
port, and time and ids are passed in, so a turn is a plain function call in tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from chatcart.core.events import EventName
from chatcart.core.ids import new_id, new_order_number, new_token
from chatcart.engine.commands import Command
from chatcart.engine.flows import FlowBook, default_flows
from chatcart.engine.ports import Shop
from chatcart.engine.routing import route_postback
from chatcart.engine.skills import buying, checkout, discovery, navigation, orders, support
from chatcart.engine.skills.fallback import not_understood
from chatcart.engine.skills.resume import offer as offer_resume
from chatcart.engine.state import ConversationState, Owner
from chatcart.engine.turn import Factories, Turn
from chatcart.i18n.catalogue import SUPPORTED, Translator
from chatcart.messaging.inbound import EventKind, InboundEvent
from chatcart.messaging.outbound import OutboundMessage
from chatcart.nlu.interface import Context, Intent, Understander, Understanding

#: Language is detected from the first few messages only; after that it is the contact's.
DETECT_LANGUAGE_FOR = 3
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
    ) -> None:
        self.understander = understander
        self.flows = flows or default_flows()
        self.factories = factories

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
        )
        idle_since = turn.state.last_active_at
        self._dispatch(turn, event, idle_since)
        turn.state.last_active_at = now
        return TurnResult(turn.replies, turn.state, turn.understanding, turn.commands)

    def _dispatch(self, turn: Turn, event: InboundEvent, idle_since: datetime | None) -> None:
        if event.kind is EventKind.OPEN:
            if not turn.state.welcomed:
                navigation.welcome(turn, context_product=event.payload)
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
        understood = self.understander.understand(text, Context(turn.lang, turn.state.step))
        if understood.intent is not None and understood.confidence < turn.flows.min_confidence:
            return replace(understood, intent=None)
        return understood

    def _follow_language(self, turn: Turn) -> None:
        u = turn.understanding
        contact = turn.contact
        turn.state.lang_samples += 1
        if u is None or contact.lang_chosen or turn.state.lang_samples > DETECT_LANGUAGE_FOR:
            return
        detected = _chinese_variant(turn.tr.lang, turn.shop.workspace.lang) if u.lang == "zh" else u.lang
        if detected in SUPPORTED and detected != turn.tr.lang:
            turn.update_contact(lang=detected)
            turn.tr = Translator(detected)

    def _should_offer_resume(self, turn: Turn, idle_since: datetime | None) -> bool:
        if not turn.state.step or turn.state.resume_offered or idle_since is None:
            return False
        away = turn.now - idle_since
        intent = turn.understanding.intent if turn.understanding else None
        return away >= timedelta(minutes=turn.flows.resume_after_minutes) and intent in (
            None,
            Intent.GREET,
            Intent.YES,
        )

    def _route_text(self, turn: Turn) -> None:
        u = turn.understanding
        assert u is not None
        understood = self._route_intent(turn, u)
        if understood:
            turn.state.misunderstood = 0
            turn.record(EventName.UNDERSTOOD, intent=u.intent or Intent.SEARCH)
        else:
            not_understood(turn)

    def _route_intent(self, turn: Turn, u: Understanding) -> bool:
        intent = u.intent
        if intent is not None and intent in _INTERRUPTS:
            return _interrupt(turn, intent)
        flow = turn.state.flow
        if flow == checkout.STEP and intent not in _ASIDES:
            return _checkout_text(turn, u)
        if flow == "buy" and intent not in _ASIDES and buying.choice_from_text(turn):
            return True
        simple = _SIMPLE_INTENTS.get(intent) if intent is not None else None
        if intent in _WEAK_INTENTS and _answer_or_search(turn, u):
            return True
        if simple is not None:
            simple(turn)
            return True
        return _answer_or_search(turn, u)


def _chinese_variant(current: str, shop_lang: str) -> str:
    """Script-neutral Chinese keeps the contact's variant, else the shop's, else Taiwan's."""
    for candidate in (current, shop_lang):
        if candidate.startswith("zh"):
            return candidate
    return "zh-TW"


def _interrupt(turn: Turn, intent: Intent) -> bool:
    if intent in (Intent.HUMAN, Intent.COMPLAINT):
        support.hand_off(turn, "complaint" if intent is Intent.COMPLAINT else "customer_request")
    elif intent is Intent.CANCEL:
        navigation.cancel(turn)
    elif intent is Intent.MENU:
        navigation.menu(turn)
    else:
        navigation.change_language(turn, "en" if intent is Intent.LANGUAGE_EN else "zh-TW")
    return True


def _checkout_text(turn: Turn, u: Understanding) -> bool:
    if turn.state.step == checkout.CONFIRM_STEP:
        if u.intent is Intent.YES:
            checkout.confirm(turn, turn.state.slots["token"])
        elif u.intent is Intent.NO:
            checkout.edit(turn)
        else:
            checkout.summarise(turn)
        return True
    checkout.answer(turn, u.text)
    return True


def _answer_or_search(turn: Turn, u: Understanding) -> bool:
    """Free text: the shop's FAQ first, then the catalog; an empty search is a miss."""
    if support.answer_from_text(turn, u.normalised):
        return True
    if u.intent is Intent.SEARCH and not u.remainder.strip():
        discovery.ask_search(turn)
        return True
    products = discovery.search_products(turn, u.remainder)
    if products:
        discovery.show_search_results(turn, products)
        return True
    if u.intent is Intent.SEARCH or turn.state.step == "search.query":
        turn.say(
            "I couldn't find anything for that. Try other words, or browse the categories.",
            turn.buttons_named("browse", "human"),
        )
        return True
    return False


_SIMPLE_INTENTS: dict[Intent, Callable[[Turn], None]] = {
    Intent.GREET: navigation.greet,
    Intent.BROWSE: discovery.browse,
    Intent.CART: buying.view_cart,
    Intent.CHECKOUT: checkout.start,
    Intent.ORDER_STATUS: orders.status,
    Intent.FAQ: support.faq_menu,
    Intent.THANKS: navigation.thanks,
    Intent.YES: navigation.menu,
    Intent.NO: navigation.menu,
}
