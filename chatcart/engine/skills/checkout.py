"""Checkout with progressive profiling: ask only what this order needs, summarise, and
place the order only after an explicit confirmation."""

from __future__ import annotations

from chatcart.commerce.coupons import coupon_discount
from chatcart.commerce.orders import Delivery, Order, PaymentMethod
from chatcart.commerce.pricing import PricedLine, Quote, price_lines, quote
from chatcart.commerce.shipping import ShippingKind, ShippingOption, find_option
from chatcart.core.errors import CouponRejected, DomainError, OutOfStock
from chatcart.core.events import EventName
from chatcart.engine.cards import variant_label
from chatcart.engine.flows import SlotSpec
from chatcart.engine.ports import OrderDraft
from chatcart.engine.skills import slots
from chatcart.engine.skills.buying import view_cart
from chatcart.engine.skills.discovery import offer_alternatives
from chatcart.engine.turn import Turn
from chatcart.messaging.outbound import Button, buttons

STEP = "checkout"
CONFIRM_STEP = "checkout.confirm"


def start(turn: Turn) -> None:
    if turn.cart().is_empty:
        turn.say("Your cart is empty.", turn.buttons_named("browse", "search"))
        return
    if turn.state.flow != STEP:
        turn.state.start(f"{STEP}.start", token=turn.new_token())
        turn.record(EventName.CHECKOUT_STARTED)
    _prefill(turn)
    ask_next(turn)


def _prefill(turn: Turn) -> None:
    """Details the contact gave on an earlier order are reused, and shown in the summary."""
    if turn.state.slots.get("no_prefill"):
        return
    profile = turn.contact.profile
    for spec in turn.flows.checkout:
        if spec.remember and spec.slot in profile and spec.slot not in turn.state.slots:
            turn.state.slots[spec.slot] = profile[spec.slot]


def _pending(turn: Turn) -> SlotSpec | None:
    kind = _shipping(turn).kind.value if "shipping" in turn.state.slots else None
    for spec in turn.flows.checkout:
        if spec.slot in turn.state.slots:
            continue
        if spec.when is not None and spec.when != kind:
            continue
        return spec
    return None


def _shipping(turn: Turn) -> ShippingOption:
    return find_option(turn.shop.shipping_options(), turn.state.slots["shipping"])


def ask_next(turn: Turn) -> None:
    spec = _pending(turn)
    if spec is None:
        summarise(turn)
        return
    turn.state.advance(f"{STEP}.{spec.slot}")
    slots.ask(turn, spec)


def answer(turn: Turn, value_text: str) -> None:
    """The customer's answer to the pending question, typed or tapped."""
    spec = _pending(turn)
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
    cart = turn.cart()
    lines = price_lines(cart, turn.cart_products(), turn.lang)
    base = quote(lines, workspace.currency, _shipping(turn))
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
        first_purchase=turn.shop.is_first_purchase(),
    )
    return quote(lines, workspace.currency, _shipping(turn), discount, coupon.code)


def summarise(turn: Turn) -> None:
    try:
        summary = current_quote(turn)
    except CouponRejected as refusal:
        turn.state.slots.pop("coupon", None)
        slots.explain(turn, refusal)
        ask_next(turn)
        return
    turn.state.advance(CONFIRM_STEP)
    turn.say_with_buttons(
        "Please check your order:\n{lines}\nSubtotal: {subtotal}\nDiscount: -{discount}\n"
        "Shipping: {shipping}\nTotal: {total}\n\nDeliver to: {delivery}\nPayment: {payment}",
        _summary_buttons(turn),
        lines="\n".join(_line_text(turn, line) for line in summary.lines),
        subtotal=turn.money(summary.subtotal),
        discount=turn.money(summary.discount),
        shipping=turn.money(summary.shipping_fee),
        total=turn.money(summary.total),
        delivery=_delivery_text(turn),
        payment=turn.tr(slots.PAYMENT_LABELS[PaymentMethod(turn.state.slots["payment"])]),
    )


def _summary_buttons(turn: Turn) -> list[Button]:
    return [
        Button(title=turn.tr("Confirm order"), payload=f"CONFIRM:{turn.state.slots['token']}"),
        Button(title=turn.tr("Change details"), payload="CHECKOUT_EDIT"),
        Button(title=turn.tr("Cancel"), payload="CANCEL"),
    ]


def _line_text(turn: Turn, line: PricedLine) -> str:
    product = turn.shop.product(line.product_id)
    title = variant_label(turn, product, line.sku) if product is not None else line.title
    return f"• {title} × {line.quantity}  {turn.money(line.total)}"


def _delivery_text(turn: Turn) -> str:
    option = _shipping(turn)
    values = turn.state.slots
    place = (
        values.get("address", "")
        if option.kind is ShippingKind.HOME
        else f"{option.carrier} {values.get('store', '')}"
    )
    return f"{values.get('recipient', '')}, {values.get('phone', '')}, {place}"


def edit(turn: Turn) -> None:
    token = turn.state.slots.get("token") or turn.new_token()
    turn.state.start(f"{STEP}.start", token=token, no_prefill="1")
    ask_next(turn)


def confirm(turn: Turn, token: str) -> None:
    existing = turn.shop.order_for_token(token)
    if existing is not None:
        turn.say(
            "Order {number} is already placed; I haven't placed it again.",
            turn.menu_replies(),
            number=existing.number,
        )
        return
    if turn.state.step != CONFIRM_STEP or turn.state.slots.get("token") != token:
        turn.say("That confirmation has expired. Let's check your cart again.")
        view_cart(turn)
        return
    _place(turn, token)


def _place(turn: Turn, token: str) -> None:
    values = turn.state.slots
    delivery = Delivery(
        values["shipping"],
        values.get("recipient", ""),
        values.get("phone", ""),
        values.get("address", ""),
        values.get("store", ""),
    )
    try:
        draft = OrderDraft(current_quote(turn), delivery, PaymentMethod(values["payment"]), token)
        _check_stock(turn, draft)
        order = turn.place_order(draft)
    except OutOfStock as refusal:
        _sold_out_meanwhile(turn, refusal)
        return
    except CouponRejected as refusal:
        values.pop("coupon", None)
        slots.explain(turn, refusal)
        ask_next(turn)
        return
    turn.update_contact(profile={"recipient": delivery.recipient, "phone": delivery.phone})
    turn.state.finish()
    _after_order(turn, order)


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
