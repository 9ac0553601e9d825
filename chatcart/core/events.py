"""The catalogue of event names: what the engine, the services and analytics record and
count. One enum, so a renamed or misspelt event fails the type check instead of silently
dropping out of the numbers."""

from __future__ import annotations

from enum import StrEnum


class EventName(StrEnum):
    MESSAGE_IN = "message_in"
    MESSAGE_OUT = "message_out"
    UNDERSTOOD = "understood"
    NOT_UNDERSTOOD = "not_understood"
    PRODUCTS_SHOWN = "products_shown"
    FAQ_ANSWERED = "faq_answered"
    ADD_TO_CART = "add_to_cart"
    CHECKOUT_STARTED = "checkout_started"
    ORDER_PLACED = "order_placed"
    PAID = "paid"
    ORDER_CANCELLED = "order_cancelled"
    HANDOFF = "handoff"
    ASSIGNED = "assigned"
    HANDED_BACK = "handed_back"
    CONVERSATION_CLOSED = "conversation_closed"
    #: An inbound event failed every attempt: it was set aside and a person took over.
    EVENT_FAILED = "event_failed"
    #: The optional language model handled a message: answered, blocked, acted or handed off.
    ASSISTANT_REPLIED = "assistant_replied"
    #: Recommendations were shown, each with its reason (ADR 15): where, which, and why.
    RECOMMENDED = "recommended"
    #: One of the shop's own intents was recognised and answered as the shop taught.
    SHOP_INTENT_ANSWERED = "shop_intent_answered"


#: Events that settle a conversation's outcome (a stronger outcome is never downgraded).
OUTCOME_OF_EVENT = {
    EventName.ORDER_PLACED: "purchased",
    EventName.HANDOFF: "handed_off",
    EventName.FAQ_ANSWERED: "answered",
    EventName.SHOP_INTENT_ANSWERED: "answered",
    EventName.PRODUCTS_SHOWN: "answered",
}
