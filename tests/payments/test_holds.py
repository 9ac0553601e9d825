"""How long an unpaid order holds its stock: short by default and per payment method, set
per shop; an order a person closes waits for that person; cash on delivery has no window."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chatcart.services.orders import EXPIRE_JOB
from chatcart.services.runtime import Runtime
from chatcart.services.workspaces import set_payment_policy
from chatcart.storage.jobs import list_jobs
from tests.conversations.conftest import Customer

from .conftest import KETTLE_SKU, buy, order_row


def expiry_after(shop: Runtime, number: str) -> timedelta | None:
    """When the order's expiry job is due, counted from the order's placing."""
    row = order_row(shop, number)
    with shop.db.transaction() as session:
        due = [j.run_at for j in list_jobs(session, limit=1000) if j.key == f"{EXPIRE_JOB}:{row.id}"]
    return due[0] - row.created_at if due else None


@pytest.mark.parametrize(
    ("method", "window"),
    [("sandbox", timedelta(minutes=30)), ("bank_transfer", timedelta(hours=6)), ("cod", None)],
)
def test_the_default_hold_depends_on_the_payment_method(
    shop: Runtime, method: str, window: timedelta | None
) -> None:
    placed = buy(shop, Customer(shop, f"holder-{method}"), method=method)
    assert expiry_after(shop, placed.number) == window


def test_a_shop_sets_its_own_holds(shop: Runtime) -> None:
    set_payment_policy(shop, "demo", hold_minutes={"bank_transfer": 120, "sandbox": 10})
    transfer = buy(shop, Customer(shop, "transfer-2h"), method="bank_transfer")
    card = buy(shop, Customer(shop, "card-10m"), phone="0922333444")
    assert expiry_after(shop, transfer.number) == timedelta(hours=2)
    assert expiry_after(shop, card.number) == timedelta(minutes=10)


def test_an_order_held_for_a_person_waits_for_that_person_not_the_card_window(shop: Runtime) -> None:
    placed = buy(shop, Customer(shop, "big-holder"), sku=KETTLE_SKU)
    assert expiry_after(shop, placed.number) == timedelta(hours=24)
    set_payment_policy(shop, "demo", hold_minutes={"person": 48 * 60})
    later = buy(shop, Customer(shop, "big-holder-2"), sku=KETTLE_SKU, phone="0922333444")
    assert expiry_after(shop, later.number) == timedelta(hours=48)
