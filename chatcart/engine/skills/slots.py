"""Checkout questions by type: how each is asked and how an answer is checked."""

from __future__ import annotations

import phonenumbers

from chatcart.commerce.coupons import coupon_discount, normalise_code
from chatcart.commerce.orders import PaymentMethod
from chatcart.commerce.pricing import price_lines, subtotal_of
from chatcart.commerce.shipping import ShippingKind, find_option
from chatcart.core.errors import CouponRejected, DomainError
from chatcart.core.money import Money
from chatcart.engine.flows import SlotSpec
from chatcart.engine.turn import Turn
from chatcart.i18n.catalogue import N_
from chatcart.messaging.outbound import QuickReply, text

PAYMENT_LABELS = {
    PaymentMethod.SANDBOX: N_("Card (secure payment page)"),
    PaymentMethod.CASH_ON_DELIVERY: N_("Cash on delivery"),
    PaymentMethod.BANK_TRANSFER: N_("Bank transfer"),
}
SHIPPING_LABELS = {ShippingKind.HOME: N_("Home delivery"), ShippingKind.STORE: N_("{carrier} store pickup")}
NO_COUPON = "COUPON_SKIP"
#: The region a phone number without +country code belongs to, by shop time zone.
_REGION_BY_TIMEZONE = {
    "Asia/Taipei": "TW",
    "Asia/Hong_Kong": "HK",
    "Asia/Tokyo": "JP",
    "Europe/Warsaw": "PL",
    "Asia/Shanghai": "CN",
    "Asia/Singapore": "SG",
    "Asia/Kuala_Lumpur": "MY",
}
_REASONS = {
    "invalid_phone": N_(
        "That doesn't look like a mobile number I can use. Please type it with digits only, "
        "like 0912 345 678."
    ),
    "invalid_text": N_("That's too short or too long. Please try again."),
    "unknown_choice": N_("Please tap one of the options."),
    "coupon_unknown": N_("I don't know the coupon code {code}."),
    "coupon_expired": N_("Sorry, the coupon {code} has expired."),
    "coupon_used_up": N_("Sorry, the coupon {code} has been used up."),
    "coupon_first_purchase_only": N_("Sorry, the coupon {code} is for a first purchase only."),
    "coupon_min_spend": N_("The coupon {code} needs a minimum spend of {minimum}."),
}
_TEXT_LIMITS = {"store": (2, 80), "address": (6, 200), "name": (1, 60)}


def ask(turn: Turn, spec: SlotSpec, retry: bool = False) -> None:
    params = {"carrier": _carrier(turn)}
    replies = _choices(turn, spec)
    if retry and turn.state.step_errors >= 2:
        replies = [*replies, turn.button("human")]
    turn.send(text(turn.tr(spec.ask, **params), replies))


def _carrier(turn: Turn) -> str:
    chosen = turn.state.slots.get("shipping")
    return find_option(turn.shop.shipping_options(), chosen).carrier if chosen else ""


def _choices(turn: Turn, spec: SlotSpec) -> list[QuickReply]:
    if spec.type == "shipping_option":
        return [
            turn.quick(SHIPPING_LABELS[o.kind], f"SHIP:{o.id}", carrier=o.carrier)
            for o in turn.shop.shipping_options()
        ]
    if spec.type == "payment_method":
        return [turn.quick(PAYMENT_LABELS[m], f"PAY:{m.value}") for m in turn.shop.payment_methods()]
    if spec.type == "coupon":
        return [turn.quick("No coupon", NO_COUPON)]
    return []


def parse(turn: Turn, spec: SlotSpec, answer: str) -> str:
    """The stored value for an answer, or DomainError with a reason to explain."""
    parsers = {
        "shipping_option": _parse_shipping,
        "payment_method": _parse_payment,
        "phone": _parse_phone,
        "coupon": _parse_coupon,
    }
    parser = parsers.get(spec.type)
    if parser is not None:
        return parser(turn, answer)
    return _parse_text(spec.type, answer)


def _parse_shipping(turn: Turn, answer: str) -> str:
    option_id = answer.removeprefix("SHIP:")
    try:
        return find_option(turn.shop.shipping_options(), option_id).id
    except DomainError:
        raise DomainError("unknown_choice") from None


def _parse_payment(turn: Turn, answer: str) -> str:
    value = answer.removeprefix("PAY:")
    if value not in {m.value for m in turn.shop.payment_methods()}:
        raise DomainError("unknown_choice")
    return value


def _parse_phone(turn: Turn, answer: str) -> str:
    region = _REGION_BY_TIMEZONE.get(turn.shop.workspace.timezone)
    try:
        number = phonenumbers.parse(answer, region)
    except phonenumbers.NumberParseException:
        raise DomainError("invalid_phone") from None
    mobile_types = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
    if not phonenumbers.is_valid_number(number) or phonenumbers.number_type(number) not in mobile_types:
        raise DomainError("invalid_phone")
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def _parse_coupon(turn: Turn, answer: str) -> str:
    """An empty string means no coupon. A code is checked now, so the summary holds no surprise."""
    if answer == NO_COUPON:
        return ""
    code = normalise_code(answer)
    coupon = turn.shop.coupon(code)
    if coupon is None:
        raise CouponRejected("coupon_unknown", code=code)
    workspace = turn.shop.workspace
    lines = price_lines(turn.cart(), turn.cart_products(), turn.lang)
    coupon_discount(
        coupon,
        workspace_id=workspace.id,
        subtotal=subtotal_of(lines, workspace.currency),
        now=turn.now,
        first_purchase=turn.shop.is_first_purchase(),
    )
    return coupon.code


def _parse_text(kind: str, answer: str) -> str:
    value = " ".join(answer.split())
    low, high = _TEXT_LIMITS.get(kind, (1, 200))
    if not low <= len(value) <= high or value.startswith(("SHIP:", "PAY:", NO_COUPON)):
        raise DomainError("invalid_text")
    return value


def explain(turn: Turn, refusal: DomainError) -> None:
    msgid = _REASONS.get(refusal.reason, N_("Sorry, that didn't work."))
    params = {k: turn.money(v) if isinstance(v, Money) else v for k, v in refusal.params.items()}
    turn.say(msgid, None, **params)
