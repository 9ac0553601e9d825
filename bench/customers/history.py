"""Earlier orders for the tea shop (`--history`), so the population meets the shop's
recommendations ("Often bought with …", ADR 15) and the figures say whether they cost any
turns. Each tea was bought before with a piece of teaware. The rows are the shop's past:
written as stored orders, they take no stock from the population."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from bench.customers.shop import CHANNEL, WORKSPACE, VariantFacts
from chatcart.messaging.inbound import Identity
from chatcart.services.contacts import identify
from chatcart.services.runtime import Runtime
from chatcart.storage.tables import OrderItemRow, OrderRow

TEAWARE_CATEGORY = "茶具"


def seed_history(rt: Runtime, facts: Mapping[str, VariantFacts], per_pair: int = 2) -> int:
    """`per_pair` paid orders of each tea with one piece of teaware; returns how many."""
    first_sku = {f.product_id: sku for sku, f in reversed(list(facts.items()))}
    ware = sorted({f.product_id for f in facts.values() if f.category.startswith(TEAWARE_CATEGORY)})
    teas = sorted({f.product_id for f in facts.values()} - set(ware))
    contact = identify(rt, WORKSPACE, Identity(channel=CHANNEL, external_id="earlier-buyer"), "zh-TW")
    assert contact is not None and ware and teas, "the tea shop sells tea and teaware"
    placed = 0
    with rt.db.transaction() as session:
        for index, tea in enumerate(teas):
            for copy in range(per_pair):
                products = (tea, ware[index % len(ware)])
                order_id = f"hist{index:04d}{copy:02d}"
                session.add(_order(order_id, contact, [first_sku[p] for p in products], products, rt))
                session.flush()
                session.add_all(
                    OrderItemRow(order_id=order_id, product_id=p, workspace_id=WORKSPACE) for p in products
                )
                placed += 1
    return placed


def _order(
    order_id: str, contact_id: str, skus: list[str], products: tuple[str, ...], rt: Runtime
) -> OrderRow:
    now = rt.clock()
    lines = [
        {"product_id": p, "sku": s, "title": p, "quantity": 1, "unit_price": "100"}
        for p, s in zip(products, skus, strict=True)
    ]
    amount = Decimal(100 * len(lines))
    return OrderRow(
        id=order_id,
        workspace_id=WORKSPACE,
        number=f"CC-HIST-{order_id[-6:]}",
        contact_id=contact_id,
        conversation_id=None,
        status="paid",
        lines=lines,
        currency="TWD",
        subtotal=amount,
        discount=Decimal(0),
        shipping_fee=Decimal(0),
        total=amount,
        coupon_code=None,
        delivery={"option_id": "home", "recipient": "Earlier", "phone": ""},
        payment_method="bank_transfer",
        payment_token=f"pay-{order_id}",
        tracking_token=f"track-{order_id}",
        checkout_token=f"checkout-{order_id}",
        phone="",
        created_at=now,
        updated_at=now,
    )
