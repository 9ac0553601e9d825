"""Checkout with progressive profiling: ask only what this order needs, offer what the
customer told us before, summarise, and place the order only after an explicit
confirmation of exactly that summary."""

from __future__ import annotations

import hashlib

from chatcart.commerce.coupons import coupon_discount
from chatcart.commerce.orders import Delivery, Order, PaymentMethod
from chatcart.commerce.pricing import PricedLine, Quote, price_lines, quote
from chatcart.commerce.shipping import ShippingKind, ShippingOption, find_option
from chatcart.core.errors import CouponRejected, DomainError, OutOfStock
from chatcart.core.events import EventName
from chatcart.engine import recommend
from chatcart.engine.cards import variant_label
from chatcart.engine.flows import SlotSpec
from chatcart.engine.ports import OrderDraft
from chatcart.engine.skills import slots
from chatcart.engine.skills.cart import items_text, view_cart
from chatcart.engine.skills.discovery import offer_alternatives
from chatcart.engine.turn import Turn
from chatcart.i18n.catalogue import N_
from chatcart.messaging.outbound import Button, buttons

STEP = "checkout"
CONFIRM_STEP = "checkout.confirm"
#: Slots a customer can ask to change from the summary, with the button that offers it.
EDITABLE = {
    "shipping": N_("Delivery"),
    "recipient": N_("Recipient"),
    "phone": N_("Phone"),
    "payment": N_("Payment"),
}
#: Slots that depend on the shipping choice: changing the delivery asks them again.
_PLACE_SLOTS = ("store", "address")


def start(turn: Turn) -> None:
    if turn.cart().is_empty:
        turn.say("Your cart is empty.", turn.buttons_named("browse", "search"))
        return
    if turn.state.flow != STEP:
        turn.state.start(f"{STEP}.start", token=turn.new_token())
        turn.record(EventName.CHECKOUT_STARTED)
    take_wants(turn)
    _prefill(turn)
    ask_next(turn)


def take_wants(turn: Turn) -> None:
    """Choices the customer named before checkout ("7-11 pickup, cash on delivery") fill
    their questions, so nothing already said is asked again."""
    for slot, value in turn.state.wants.items():
        if slot in ("shipping", "payment", "store", "address", "recipient", "phone", "coupon") and value:
            turn.state.slots[slot] = value
    turn.state.wants = {k: v for k, v in turn.state.wants.items() if k == "quantity"}


def _prefill(turn: Turn) -> None:
    """Details the contact gave on an earlier order are reused and shown in the summary,
    where one tap changes any of them. A remembered store or address is reused only with
    the same way of delivery it was given for."""
    if turn.state.slots.get("no_prefill"):
        return
    profile = turn.contact.profile
    values = turn.state.slots
    for spec in turn.flows.checkout:
        if not spec.remember or spec.slot not in profile or spec.slot in values:
            continue
        if spec.slot in _PLACE_SLOTS and values.get("shipping") != profile.get("shipping"):
            continue
        if spec.slot == "shipping" and not _known_option(turn, profile["shipping"]):
            continue
        if spec.slot == "payment" and not _offered_payment(turn, profile["payment"]):
            continue
        values[spec.slot] = profile[spec.slot]


def _offered_payment(turn: Turn, method: str) -> bool:
    return method in {m.value for m in turn.shop.payment_methods()}


def _known_option(turn: Turn, option_id: str) -> bool:
    return any(o.id == option_id for o in turn.shop.shipping_options())


def pending(turn: Turn) -> SlotSpec | None:
    """The first question this order still needs answered."""
    kind = shipping_option(turn).kind.value if "shipping" in turn.state.slots else None
    for spec in turn.flows.checkout:
        if spec.slot in turn.state.slots:
            continue
        if spec.when is not None and spec.when != kind:
            continue
        return spec
    return None


def shipping_option(turn: Turn) -> ShippingOption:
    return find_option(turn.shop.shipping_options(), turn.state.slots["shipping"])


def ask_next(turn: Turn) -> None:
    spec = pending(turn)
    if spec is None:
        summarise(turn)
        return
    turn.state.advance(f"{STEP}.{spec.slot}")
    slots.ask(turn, spec)


def ask_again(turn: Turn) -> None:
    """After an aside (a question answered, a product shown): the step in progress again."""
    if turn.state.step == CONFIRM_STEP:
        summarise(turn)
        return
    ask_next(turn)


def answer(turn: Turn, value_text: str) -> None:
    """The customer's answer to the pending question, tapped (or typed and understood)."""
    spec = pending(turn)
    if spec is None or turn.state.step != f"{STEP}.{spec.slot}":
        ask_next(turn)
        return
    try:
        value = slots.parse(turn, spec, value_text)
    except DomainError as refusal:
        turn.state.step_errors += 1
        slots.explain(turn, refusal)
        slots.ask(turn, spec, retry=True)
        return
    turn.state.slots[spec.slot] = value
    ask_next(turn)


def current_quote(turn: Turn) -> Quote:
    workspace = turn.shop.workspace
    lines = price_lines(turn.cart(), turn.cart_products(), turn.lang)
    base = quote(lines, workspace.currency, shipping_option(turn))
    code = turn.state.slots.get("coupon") or ""
    if not code:
        return base
    coupon = turn.shop.coupon(code)
    if coupon is None:
        raise CouponRejected("coupon_unknown", code=code)
    discount = coupon_discount(
        coupon,
        workspace_id=workspace.id,
        subtotal=base.subtotal,
        now=turn.now,
        first_purchase=turn.shop.is_first_purchase(turn.state.slots.get("phone")),
    )
    return quote(lines, workspace.currency, shipping_option(turn), discount, coupon.code)


def fingerprint(turn: Turn, summary: Quote) -> str:
    """What the customer confirms: items, amounts, delivery and payment. A confirmation of
    an older summary (the cart changed since) no longer matches and places nothing."""
    values = turn.state.slots
    parts = [f"{line.sku}x{line.quantity}={line.total.amount}" for line in summary.lines]
    parts += [str(summary.total.amount), summary.total.currency]
    parts += [values.get(k, "") for k in ("shipping", "store", "address", "recipient", "phone", "payment")]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def summarise(turn: Turn) -> None:
    if turn.cart().is_empty:
        turn.state.finish()
        nothing = "Your cart is empty now, so there is nothing to check out."
        turn.say(nothing, turn.buttons_named("browse", "search"))
        return
    try:
        summary = current_quote(turn)
    except CouponRejected as refusal:
        turn.state.slots.pop("coupon", None)
        slots.explain(turn, refusal)
        ask_next(turn)
        return
    turn.state.advance(CONFIRM_STEP)
    shown = fingerprint(turn, summary)
    if turn.state.slots.get("quote") not in (None, shown):
        # Another summary, another Confirm button: the older ones place nothing.
        turn.state.slots["token"] = turn.new_token()
    turn.state.slots["quote"] = shown
    coupon = [turn.quick("I have a coupon", "COUPON")] if not summary.coupon_code else None
    turn.send(buttons("\n".join(_summary_lines(turn, summary)), _summary_buttons(turn), coupon))


def _summary_lines(turn: Turn, summary: Quote) -> list[str]:
    """Each line translated on its own; the discount line only when a coupon applies."""
    tr = turn.tr
    lines = [tr("Please check your order:")]
    lines += [_line_text(turn, line) for line in summary.lines]
    lines.append(tr("Subtotal: {amount}", amount=turn.money(summary.subtotal)))
    if summary.coupon_code and summary.discount.amount:
        discount = turn.money(summary.discount)
        lines.append(tr("Coupon {code}: -{amount}", code=summary.coupon_code, amount=discount))
    lines.append(tr("Shipping: {amount}", amount=turn.money(summary.shipping_fee)))
    lines.append(tr("Total: {amount}", amount=turn.money(summary.total)))
    lines.append("")
    lines.append(tr("Deliver to: {delivery}", delivery=delivery_text(turn)))
    payment = tr(slots.PAYMENT_LABELS[PaymentMethod(turn.state.slots["payment"])])
    lines.append(tr("Payment: {payment}", payment=payment))
    return lines


def _summary_buttons(turn: Turn) -> list[Button]:
    return [
        Button(title=turn.tr("Confirm order"), payload=f"CONFIRM:{turn.state.slots['token']}"),
        Button(title=turn.tr("Change something"), payload="CHECKOUT_EDIT"),
        Button(title=turn.tr("Cancel"), payload="CHECKOUT_CANCEL"),
    ]


def _line_text(turn: Turn, line: PricedLine) -> str:
    product = turn.shop.product(line.product_id)
    title = variant_label(turn, product, line.sku) if product is not None else line.title
    return f"• {title} × {line.quantity}  {turn.money(line.total)}"


def delivery_text(turn: Turn) -> str:
    option = shipping_option(turn)
    values = turn.state.slots
    place = values.get("address", "") if option.kind is ShippingKind.HOME else _store_text(turn, option)
    return f"{values.get('recipient', '')}, {slots.phone_shown(turn, values.get('phone', ''))}, {place}"


def _store_text(turn: Turn, option: ShippingOption) -> str:
    """The store as shown: "全家 台大店", not "全家 全家 台大店" when the carrier was typed too."""
    store = turn.state.slots.get("store", "")
    carrier = slots.carrier_name(turn, option)
    names = {carrier.lower(), option.carrier.lower()}
    return store if any(store.lower().startswith(n) for n in names if n) else f"{carrier} {store}"


def edit(turn: Turn) -> None:
    """At the summary, Change something: which detail, or the items themselves."""
    if turn.state.flow != STEP:
        start(turn)
        return
    replies = [turn.quick("Items", "CART")]
    replies += [turn.quick(label, f"EDIT:{slot}") for slot, label in EDITABLE.items()]
    replies.append(turn.quick("Coupon", "COUPON"))
    turn.say("What would you like to change?", replies)


def edit_slot(turn: Turn, slot: str) -> None:
    """Forget one detail (and what depends on it) and ask it again; then a fresh summary.
    "place" is the store or address alone, keeping the way of delivery."""
    if turn.state.flow != STEP or slot not in (*EDITABLE, "coupon", "place"):
        start(turn)
        return
    turn.state.slots["no_prefill"] = "1"
    forget = {"shipping": ("shipping", *_PLACE_SLOTS), "place": _PLACE_SLOTS}.get(slot, (slot,))
    for name in forget:
        turn.state.slots.pop(name, None)
    if slot == "coupon":
        ask_coupon(turn)
        return
    ask_next(turn)


def ask_coupon(turn: Turn) -> None:
    if turn.state.flow != STEP:
        turn.say("You can add a coupon when you check out.", turn.buttons_named("checkout", "cart"))
        return
    turn.state.advance(f"{STEP}.coupon")
    slots.ask(turn, slots.COUPON_QUESTION)


def answer_coupon(turn: Turn, text: str) -> None:
    """The coupon step is asked only on request: a code, or "no coupon" back to the summary."""
    try:
        turn.state.slots["coupon"] = slots.parse(turn, slots.COUPON_QUESTION, text)
    except DomainError as refusal:
        turn.state.step_errors += 1
        slots.explain(turn, refusal)
        slots.ask(turn, slots.COUPON_QUESTION, retry=True)
        return
    summarise(turn)


def stop(turn: Turn) -> None:
    """Cancel during checkout: nothing is ordered, and the customer decides about the cart."""
    turn.state.finish()
    count = turn.cart().item_count
    if not count:
        turn.say("OK, I've stopped the checkout.", turn.menu_replies())
        return
    turn.say(
        "OK, I've stopped the checkout; nothing was ordered. Your cart still has {items}.",
        [turn.quick("Empty my cart", "CART_CLEAR"), turn.button("cart"), turn.button("menu")],
        items=items_text(turn, turn.cart()),
    )


def confirm(turn: Turn, token: str) -> None:
    existing = turn.shop.order_for_token(token)
    if existing is not None:
        turn.say(
            "Order {number} is already placed; I haven't placed it again.",
            turn.menu_replies(),
            number=existing.number,
        )
        return
    if turn.state.flow == STEP and turn.state.slots.get("token") != token:
        turn.say("That summary is out of date, so I haven't placed it. Here is your order now:")
        ask_next(turn)
        return
    if turn.state.step != CONFIRM_STEP or turn.state.slots.get("token") != token:
        turn.say("That confirmation has expired. Let's check your cart again.")
        view_cart(turn)
        return
    _place(turn, token)


def _place(turn: Turn, token: str) -> None:
    values = turn.state.slots
    try:
        summary = current_quote(turn)
    except CouponRejected as refusal:
        values.pop("coupon", None)
        slots.explain(turn, refusal)
        ask_next(turn)
        return
    if fingerprint(turn, summary) != values.get("quote"):
        turn.say("Your order changed since that summary, so I haven't placed it. Here it is again:")
        summarise(turn)
        return
    if _too_many_unpaid(turn):
        return
    delivery = Delivery(
        values["shipping"],
        values.get("recipient", ""),
        values.get("phone", ""),
        values.get("address", ""),
        values.get("store", ""),
    )
    try:
        draft = OrderDraft(summary, delivery, PaymentMethod(values["payment"]), token)
        _check_stock(turn, draft)
        order = turn.place_order(draft)
    except OutOfStock as refusal:
        _sold_out_meanwhile(turn, refusal)
        return
    _remember(turn)
    turn.state.finish()
    turn.state.wants = {}
    _after_order(turn, order)


def _too_many_unpaid(turn: Turn) -> bool:
    """Unpaid orders hold stock: a contact may keep only a few waiting at once."""
    limit = turn.flows.limits.max_unpaid_orders
    waiting = turn.shop.unpaid_orders()
    if waiting < limit:
        return False
    turn.say(
        "You already have {count} orders waiting for payment. Please pay or cancel one of them "
        "first; a person from our team can help.",
        turn.buttons_named("orders", "human"),
        count=waiting,
    )
    return True


def _remember(turn: Turn) -> None:
    """The details to offer next time, as the flows say (recipient, phone, delivery, payment)."""
    values = turn.state.slots
    remembered = {s.slot: values[s.slot] for s in turn.flows.checkout if s.remember and values.get(s.slot)}
    turn.update_contact(profile=remembered)


def _check_stock(turn: Turn, draft: OrderDraft) -> None:
    """Against the turn's snapshot of stock; the write takes the stock atomically, and if
    someone was faster the turn is decided again on fresh stock and lands here."""
    for line in draft.quote.lines:
        product = turn.shop.product(line.product_id)
        if product is None or product.variant(line.sku).stock < line.quantity:
            raise OutOfStock("sold_out_meanwhile", product=line.product_id, sku=line.sku)


def _sold_out_meanwhile(turn: Turn, refusal: OutOfStock) -> None:
    """Two customers, one last item: the one who confirmed second is told kindly."""
    turn.state.finish()
    product = turn.shop.product(str(refusal.params.get("product", "")))
    cart = turn.cart()
    for line in list(cart.lines):
        if product is not None and line.product_id == product.id:
            cart = cart.remove(line.sku)
    turn.save_cart(cart)
    if product is None:
        turn.say("Sorry, an item in your cart has just sold out.")
        view_cart(turn)
        return
    turn.say(
        "I'm so sorry: someone bought the last {title} a moment ago, so I couldn't place the order. "
        "I've taken it out of your cart.",
        title=product.title_in(turn.lang),
    )
    offer_alternatives(turn, product)


def _after_order(turn: Turn, order: Order) -> None:
    total = order.quote.total
    turn.say(
        "Thank you! Order {number} is placed. Total: {total}.", number=order.number, total=turn.money(total)
    )
    threshold = turn.flows.high_value_over.get(total.currency)
    if threshold is not None and total.amount >= threshold:
        turn.hand_off("high_value")
        turn.say(
            "For an order of this size, a person from our team will contact you here to confirm the "
            "details and the payment.",
            turn.buttons_named("orders", "menu"),
        )
        return
    payment = turn.shop.start_payment(order)
    message = turn.tr(payment.instructions, **payment.params)
    links = [Button(title=turn.tr("Pay now"), url=payment.url)] if payment.url else []
    links.append(Button(title=turn.tr("Track order"), url=turn.shop.tracking_url(order)))
    turn.send(buttons(message, links, turn.buttons_named("orders", "menu")))
    recommend.after_order(turn, order, turn.buttons_named("orders", "menu"))
