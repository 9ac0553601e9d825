"""Order status: "where is my order?" answered from the contact's own orders only."""

from __future__ import annotations

from chatcart.commerce.orders import Order, OrderStatus, PaymentMethod
from chatcart.core.events import EventName
from chatcart.engine.turn import Turn
from chatcart.i18n.catalogue import N_
from chatcart.messaging.outbound import Button, buttons

STATUS_LABELS = {
    OrderStatus.PENDING_PAYMENT: N_("waiting for payment"),
    OrderStatus.PAID: N_("paid, being prepared"),
    OrderStatus.SHIPPED: N_("shipped"),
    OrderStatus.DELIVERED: N_("delivered"),
    OrderStatus.COMPLETED: N_("completed"),
    OrderStatus.CANCELLED: N_("cancelled"),
    OrderStatus.REFUNDED: N_("refunded"),
}
CASH_ON_DELIVERY_LABEL = N_("confirmed — pay on delivery")
HELD_LABEL = N_("confirmed — our team will contact you about the payment")
RECENT = 3
#: The step while "cancel order …?" waits for a yes or a no.
CANCEL_STEP = "orders.cancel"


def status_label(order: Order) -> str:
    """What the customer is told of an order's state (chat and tracking page alike): an
    unpaid cash-on-delivery order is confirmed, not late; an order a person closes waits
    for that person, not for a payment."""
    if order.status is OrderStatus.PENDING_PAYMENT and order.held_for_person:
        return HELD_LABEL
    if order.status is OrderStatus.PENDING_PAYMENT and order.payment_method is PaymentMethod.CASH_ON_DELIVERY:
        return CASH_ON_DELIVERY_LABEL
    return STATUS_LABELS[order.status]


def status(turn: Turn) -> None:
    u = turn.understanding
    number = u.entities.order_number if u else None
    if number:
        order = turn.shop.order_by_number(number)
        if order is None:
            turn.say(
                "I can't find order {number} on your account. Please check the number.",
                turn.buttons_named("orders", "human"),
                number=number,
            )
            return
        _describe(turn, order)
        return
    orders = list(turn.shop.orders())[:RECENT]
    if not orders:
        turn.say("You have no orders yet.", turn.buttons_named("browse", "human"))
        return
    for order in orders:
        _describe(turn, order)


def _describe(turn: Turn, order: Order) -> None:
    body = turn.tr(
        "Order {number}: {status}. Total {total}.",
        number=order.number,
        status=turn.tr(status_label(order)),
        total=turn.money(order.quote.total),
    )
    actions = [Button(title=turn.tr("Track order"), url=turn.shop.tracking_url(order))]
    if order.status is OrderStatus.PENDING_PAYMENT:
        actions.append(Button(title=turn.tr("Cancel this order"), payload=f"ORDER_CANCEL:{order.number}"))
    turn.send(buttons(body, actions, turn.buttons_named("menu", "human")))
    turn.record(EventName.UNDERSTOOD, intent="order_status")


def ask_cancel(turn: Turn, number: str) -> None:
    """A tap on "Cancel this order" is asked once more: a cancelled order cannot come back."""
    order = _cancellable(turn, number)
    if order is None:
        return
    turn.state.start(CANCEL_STEP, number=order.number)
    turn.say(
        "Cancel order {number} ({total})? Its items go back on sale.",
        [turn.quick("Yes, cancel it", f"ORDER_CANCEL_YES:{order.number}"), turn.quick("Keep it", "ORDERS")],
        number=order.number,
        total=turn.money(order.quote.total),
    )


def answer_cancel(turn: Turn, yes: bool) -> None:
    """A yes ("是的，取消") or a no typed to "cancel order …?": as if a button was tapped."""
    number = turn.state.slots.get("number", "")
    turn.state.finish()
    if yes:
        cancel(turn, number)
        return
    turn.say("OK, order {number} stays as it is.", turn.menu_replies(), number=number)


def cancel(turn: Turn, number: str) -> None:
    if turn.state.step == CANCEL_STEP:
        turn.state.finish()
    order = _cancellable(turn, number)
    if order is None:
        return
    turn.cancel_order(order)
    turn.say(
        "Order {number} is cancelled; nothing will be charged.", turn.menu_replies(), number=order.number
    )


def _cancellable(turn: Turn, number: str) -> Order | None:
    """The customer's own order, still waiting for payment; otherwise they are told why not."""
    order = turn.shop.order_by_number(number)
    if order is None or order.status is not OrderStatus.PENDING_PAYMENT:
        turn.say(
            "Order {number} can't be cancelled here any more. A person from our team can help.",
            turn.buttons_named("orders", "human"),
            number=number,
        )
        return None
    return order
