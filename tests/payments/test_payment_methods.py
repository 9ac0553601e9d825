"""Which payment methods a customer is offered: the sandbox card only in demo mode, and
each shop's own choice among what the deployment offers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from chatcart.api.app import create_app
from chatcart.commerce.orders import PaymentMethod
from chatcart.core.errors import DomainError, NotFound
from chatcart.demo.loader import ensure_demo
from chatcart.services.runtime import Runtime, build_runtime
from chatcart.services.workspaces import find_payment_policy, set_payment_policy
from chatcart.settings import Settings
from chatcart.storage.migrate import upgrade
from tests.conftest import FakeClock
from tests.conversations.conftest import Customer

from .conftest import BASE_URL, CLEANSER_SKU, buy, to_payment_question, to_summary

PRODUCTION_SECRET = "a-real-secret-for-this-test-only-0123456789"


@pytest.fixture
def production(database_url: str, clock: FakeClock) -> Iterator[Runtime]:
    """The demo shop's data served by a production deployment (a real secret)."""
    rt = build_runtime(database_url, BASE_URL, clock=clock, secret_key=PRODUCTION_SECRET, production=True)
    upgrade(rt.db)
    ensure_demo(rt)
    yield rt
    rt.db.dispose()


def offered(customer: Customer) -> list[str]:
    return [p for p in customer.quick_reply_payloads() if p.startswith("PAY:")]


def test_the_demo_offers_the_sandbox_card_cash_on_delivery_and_bank_transfer(shop: Runtime) -> None:
    customer = Customer(shop, "demo-buyer")
    to_payment_question(customer, CLEANSER_SKU, "0912345678")
    assert offered(customer) == ["PAY:sandbox", "PAY:cod", "PAY:bank_transfer"]


def test_production_offers_no_sandbox_card_and_refuses_one_typed_in(production: Runtime) -> None:
    assert PaymentMethod.SANDBOX not in production.providers
    customer = Customer(production, "prod-buyer")
    to_summary(customer, CLEANSER_SKU, "sandbox", "0912345678")
    assert "Please tap one of the options" in customer.text, "PAY:sandbox is not a choice in production"
    assert offered(customer) == ["PAY:cod", "PAY:bank_transfer"]
    customer.taps("PAY:cod")
    assert "Please check your order" in customer.text


def test_production_has_no_sandbox_payment_page_even_for_a_real_order(
    production: Runtime, tmp_path: Path
) -> None:
    customer = Customer(production, "prod-payer")
    placed = buy(production, customer, method="bank_transfer")
    settings = Settings(data_dir=tmp_path, base_url=BASE_URL, production=True, secret_key=PRODUCTION_SECRET)
    with TestClient(create_app(production, settings, run_jobs=False)) as client:
        page = client.get(f"/pay/sandbox/{placed.payment_token}?lang=en")
        paid = client.post(f"/pay/sandbox/{placed.payment_token}?lang=en", data={"signature": "x"})
    assert (page.status_code, paid.status_code) == (404, 404)
    assert "<form" not in page.text


def test_a_shop_chooses_its_payment_methods(shop: Runtime) -> None:
    set_payment_policy(shop, "demo", ["cod"])
    customer = Customer(shop, "cod-only")
    to_summary(customer, CLEANSER_SKU, "sandbox", "0912345678")
    assert "Please tap one of the options" in customer.text
    assert offered(customer) == ["PAY:cod"]
    set_payment_policy(shop, "demo", None)
    assert find_payment_policy(shop, "demo").offered(shop.providers) == tuple(shop.providers)


def test_a_production_shop_that_lists_the_sandbox_still_does_not_get_it(production: Runtime) -> None:
    policy = set_payment_policy(production, "demo", ["sandbox", "bank_transfer"])
    assert policy.offered(production.providers) == (PaymentMethod.BANK_TRANSFER,)


@pytest.mark.parametrize(
    ("methods", "holds"),
    [(["card"], None), ([], None), (None, {"sandbox": 0}), (None, {"cheque": 30}), (None, {"cod": "1h"})],
)
def test_a_wrong_payment_policy_is_refused_and_nothing_is_stored(
    shop: Runtime, methods: list[str] | None, holds: dict[str, object] | None
) -> None:
    set_payment_policy(shop, "demo", ["cod", "sandbox"], {"sandbox": 15})
    before = find_payment_policy(shop, "demo")
    with pytest.raises(DomainError) as refusal:
        set_payment_policy(shop, "demo", methods, holds)  # type: ignore[arg-type]
    assert refusal.value.reason in {"invalid_payment_methods", "invalid_payment_holds"}
    assert find_payment_policy(shop, "demo") == before


def test_a_payment_policy_for_an_unknown_shop_is_refused(shop: Runtime) -> None:
    with pytest.raises(NotFound):
        set_payment_policy(shop, "nowhere", ["cod"])
