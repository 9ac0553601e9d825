"""Checkout questions by type: how each is asked and how an answer is checked.

A typed answer is held to what the question needs: a store is a store name or number,
a name has no digits, an address looks like one. Anything else is refused with a reason
and the question is asked again; it is never saved blindly as a detail.
"""

from __future__ import annotations

import contextlib
import re

import phonenumbers

from chatcart.commerce.coupons import coupon_discount, normalise_code
from chatcart.commerce.orders import PaymentMethod
from chatcart.commerce.pricing import price_lines, subtotal_of
from chatcart.commerce.shipping import ShippingKind, ShippingOption, find_option
from chatcart.core.errors import CouponRejected, DomainError
from chatcart.core.money import Money
from chatcart.engine.flows import SlotSpec
from chatcart.engine.turn import Turn
from chatcart.i18n.catalogue import N_
from chatcart.messaging.outbound import QuickReply, text
from chatcart.nlu.choices import is_chatter, is_question, is_yes_or_no, without_carrier
from chatcart.nlu.entities import find_quantity
from chatcart.nlu.interface import Understanding
from chatcart.nlu.text import has_cjk, normalise

PAYMENT_LABELS = {
    PaymentMethod.SANDBOX: N_("Card (secure payment page)"),
    PaymentMethod.CASH_ON_DELIVERY: N_("Cash on delivery"),
    PaymentMethod.BANK_TRANSFER: N_("Bank transfer"),
}
SHIPPING_LABELS = {ShippingKind.HOME: N_("Home delivery"), ShippingKind.STORE: N_("{carrier} store pickup")}
NO_COUPON = "COUPON_SKIP"
#: Asked only when the customer says they have a coupon (a button on the summary).
COUPON_QUESTION = SlotSpec(slot="coupon", type="coupon", ask=N_("Please type your coupon code."))
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
    "invalid_phone": N_("That doesn't look like a mobile number I can use. Please type it like {example}."),
    "invalid_text": N_("That's too short or too long. Please try again."),
    "invalid_name": N_("Please type the recipient's full name (no numbers)."),
    "invalid_address": N_("Please type the full delivery address, with the street and number."),
    "invalid_store": N_("Please type the store's name (like {example}) or its 6-digit store number."),
    "unknown_choice": N_("Please tap one of the options, or type it."),
    "coupon_unknown": N_("I don't know the coupon code {code}."),
    "coupon_expired": N_("Sorry, the coupon {code} has expired."),
    "coupon_used_up": N_("Sorry, the coupon {code} has been used up."),
    "coupon_first_purchase_only": N_("Sorry, the coupon {code} is for a first purchase only."),
    "coupon_min_spend": N_("The coupon {code} needs a minimum spend of {minimum}."),
}
_TEXT_LIMITS = {"store": (2, 40), "address": (6, 200), "name": (1, 40)}
_STORE_NUMBER = re.compile(r"^\d{6}$")
#: A Chinese store name names itself a store: 信義門市, 台大店, 松山車站店.
_CJK_STORE = re.compile(r"^[\u3400-\u9fffA-Za-z0-9]{1,14}(門市|店|站)$")
#: A store name in Latin letters: a few words, no sentence ("Shida", "Xinyi store", "Taipei 101").
_LATIN_STORE = re.compile(r"^[A-Za-z][A-Za-z0-9 .'&-]{1,38}$")
#: Words before an address that are not part of it ("地址是…", "my address is …").
_ADDRESS_LEAD = re.compile(
    r"^(?:(?:my |the )?address(?: is)?\s*[:：]?|地址(?:是|為|:|：)?|寄到|送到)\s*", re.IGNORECASE
)
_ADDRESS_MARKS = re.compile(r"(\d|路|街|號|巷|弄|段|樓|村|里|road|street|st\b|ave|lane|no\.)", re.IGNORECASE)


def ask(turn: Turn, spec: SlotSpec, retry: bool = False) -> None:
    params = {"carrier": _carrier(turn)}
    replies = _choices(turn, spec)
    if retry and turn.state.step_errors >= 2:
        replies = [*replies, turn.button("human")]
    turn.send(text(turn.tr(spec.ask, **params), replies))


def carrier_name(turn: Turn, option: ShippingOption) -> str:
    return turn.tr(option.carrier) if option.carrier else ""


def _carrier(turn: Turn) -> str:
    chosen = turn.state.slots.get("shipping")
    return carrier_name(turn, find_option(turn.shop.shipping_options(), chosen)) if chosen else ""


def _choices(turn: Turn, spec: SlotSpec) -> list[QuickReply]:
    if spec.type == "shipping_option":
        return [
            turn.quick(SHIPPING_LABELS[o.kind], f"SHIP:{o.id}", carrier=carrier_name(turn, o))
            for o in turn.shop.shipping_options()
        ]
    if spec.type == "payment_method":
        return [turn.quick(PAYMENT_LABELS[m], f"PAY:{m.value}") for m in turn.shop.payment_methods()]
    if spec.type == "coupon":
        return [turn.quick("No coupon", NO_COUPON)]
    return []


def titled(turn: Turn, spec: SlotSpec, typed: str) -> str | None:
    """The payload of the offered option whose title the customer typed ("貨到付款")."""
    wanted = normalise(typed).strip(" .!。！")
    for reply in _choices(turn, spec):
        if normalise(reply.title) == wanted:
            return reply.payload
    return None


def parse(turn: Turn, spec: SlotSpec, answer: str) -> str:
    """The stored value for an answer, or DomainError with a reason to explain."""
    parsers = {
        "shipping_option": _parse_shipping,
        "payment_method": _parse_payment,
        "phone": _parse_phone,
        "coupon": _parse_coupon,
        "store": _parse_store,
        "name": _parse_name,
        "address": _parse_address,
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


def region(turn: Turn) -> str | None:
    return _REGION_BY_TIMEZONE.get(turn.shop.workspace.timezone)


def phone_example(turn: Turn) -> str:
    """A real-looking mobile number of the shop's country, written as people write it."""
    example = phonenumbers.example_number_for_type(region(turn) or "TW", phonenumbers.PhoneNumberType.MOBILE)
    if example is None:
        return "0912345678"
    return str(phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)).replace(" ", "")


def phone_shown(turn: Turn, number: str) -> str:
    """A stored E.164 number as the customer writes it at home ("0912 345 678")."""
    try:
        parsed = phonenumbers.parse(number, region(turn))
    except phonenumbers.NumberParseException:
        return number
    same_country = phonenumbers.region_code_for_number(parsed) == region(turn)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if same_country
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return str(phonenumbers.format_number(parsed, style))


def valid_phone(turn: Turn, answer: str) -> str | None:
    """The number in E.164 when it is a mobile number of the shop's region (or any with +).
    Letters are refused, not read as keypad digits ("0912abc678" is not 0912222678)."""
    if any(ch.isalpha() for ch in answer):
        return None
    try:
        number = phonenumbers.parse(answer, region(turn))
    except phonenumbers.NumberParseException:
        return None
    mobile_types = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
    if not phonenumbers.is_valid_number(number) or phonenumbers.number_type(number) not in mobile_types:
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def _parse_phone(turn: Turn, answer: str) -> str:
    number = valid_phone(turn, answer)
    if number is None:
        raise DomainError("invalid_phone", example=phone_example(turn))
    return number


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
        first_purchase=turn.shop.is_first_purchase(turn.state.slots.get("phone")),
    )
    return coupon.code


def _parse_store(turn: Turn, answer: str) -> str:
    """A 6-digit store number; in Chinese a name that says it is a store (信義門市, 台大店);
    in Latin letters a short name ("Shida", "Xinyi store"). Never a sentence or a question."""
    value = _without_chatter(without_carrier(_clean(answer)))
    plain = value.replace(" ", "")
    if _STORE_NUMBER.match(plain):
        return value
    if is_question(value) or not value or len(value) > _TEXT_LIMITS["store"][1]:
        raise DomainError("invalid_store", example=turn.tr("Xinyi store"))
    if has_cjk(plain):
        if _CJK_STORE.match(normalise(plain)):  # 门市 (Simplified) is 門市 too
            return value
    elif _LATIN_STORE.match(value):
        return value
    raise DomainError("invalid_store", example=turn.tr("Xinyi store"))


def _without_chatter(value: str) -> str:
    """The store without a word in front that only agrees ("好啦 忠孝門市" is 忠孝門市)."""
    first, _, rest = value.partition(" ")
    return rest.strip() if rest.strip() and is_chatter(first) else value


def _parse_name(turn: Turn, answer: str) -> str:
    value = _clean(answer)
    if not value or len(value) > _TEXT_LIMITS["name"][1] or any(ch.isdigit() for ch in value):
        raise DomainError("invalid_name")
    if is_question(value) or len(value.split()) > 5 or find_quantity(value) is not None:
        raise DomainError("invalid_name")  # "三包" is a quantity, not a person
    if is_yes_or_no(value):
        raise DomainError("invalid_name")  # "不用", "ok": an answer, not a person
    return value


def _parse_address(turn: Turn, answer: str) -> str:
    value = _ADDRESS_LEAD.sub("", _clean(answer)).strip()
    low, high = _TEXT_LIMITS["address"]
    if not low <= len(value) <= high or not _ADDRESS_MARKS.search(value) or is_question(value):
        raise DomainError("invalid_address")
    return value


def _clean(answer: str) -> str:
    value = " ".join(answer.split())
    if value.startswith(("SHIP:", "PAY:", NO_COUPON)):
        return ""
    return value


def _parse_text(kind: str, answer: str) -> str:
    value = _clean(answer)
    low, high = _TEXT_LIMITS.get(kind, (1, 200))
    if not low <= len(value) <= high:
        raise DomainError("invalid_text")
    return value


def contact_details(turn: Turn, u: Understanding) -> dict[str, str]:
    """Who receives the parcel and where, said along with something else ("寄給我媽，王媽媽
    0988123456，台中市西區民生路100號"): each detail that passes its own check."""
    found: dict[str, str] = {}
    number = valid_phone(turn, u.entities.phone) if u.entities.phone else None
    if number is None:
        return found
    found["phone"] = number
    checks = (("recipient", _parse_name, u.entities.name), ("address", _parse_address, u.entities.address))
    for slot, check, value in checks:
        if value:
            with contextlib.suppress(DomainError):
                found[slot] = check(turn, value)
    return found


def explain(turn: Turn, refusal: DomainError) -> None:
    msgid = _REASONS.get(refusal.reason, N_("Sorry, that didn't work."))
    params = {k: turn.money(v) if isinstance(v, Money) else v for k, v in refusal.params.items()}
    turn.say(msgid, None, **params)
