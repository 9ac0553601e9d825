"""A demo shop with its web pages, customers who buy through the chat, and readers of what
was stored: orders, events, messages and stock."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from chatcart.api.app import create_app
from chatcart.demo.loader import ensure_demo
from chatcart.services.runtime import Runtime
from chatcart.settings import Settings
from chatcart.storage.tables import EventRow, MessageRow, OrderRow, VariantRow
from tests.conversations.conftest import Customer

BASE_URL = "http://shop.test"
#: Demo products: a NT$450 cleanser (one variant), a NT$5,980 kettle (its first size).
CLEANSER, CLEANSER_SKU = "SKN-005", "SKN-005-120"
KETTLE, KETTLE_SKU = "HOM-003", "HOM-003-08L"
#: What a customer types for the store and the recipient, in English and in Chinese.
ENGLISH_ANSWERS = ("Xinyi store", "Amy Chen")
CHINESE_ANSWERS = ("信義門市", "陳美玲")
#: NT$650 tea: enough for the NT$500 minimum spend of the first-purchase coupon WELCOME100.
TEA_SKU = "TEA-002-150"


@pytest.fixture
def shop(runtime: Runtime) -> Iterator[Runtime]:
    ensure_demo(runtime)
    yield runtime


@pytest.fixture
def client(shop: Runtime, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path, base_url=BASE_URL)
    with TestClient(create_app(shop, settings, run_jobs=False)) as test_client:
        yield test_client


@dataclass(frozen=True)
class Placed:
    """An order as the customer got it in the chat (the links the bot gave), and its tokens."""

    number: str
    payment_token: str
    tracking_token: str
    links: tuple[str, ...]

    @property
    def pay_path(self) -> str:
        return _path(next(url for url in self.links if "/pay/" in url))

    @property
    def track_path(self) -> str:
        return _path(next(url for url in self.links if "/orders/" in url))


def _path(url: str) -> str:
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == BASE_URL, url
    return parts.path + (f"?{parts.query}" if parts.query else "")


def link_urls(customer: Customer) -> tuple[str, ...]:
    return tuple(b["url"] for m in customer.replies for b in m.get("buttons") or [] if b.get("url"))


def buy(
    shop: Runtime,
    customer: Customer,
    sku: str = CLEANSER_SKU,
    method: str = "sandbox",
    phone: str = "0912345678",
    coupon: str = "",
    words: tuple[str, str] = ENGLISH_ANSWERS,
) -> Placed:
    """A new customer buys one of `sku` through the chat's checkout (store pickup) and confirms."""
    to_summary(customer, sku, method, phone, coupon, words)
    customer.taps(customer.payload_starting("CONFIRM:"))
    links = link_urls(customer)
    with shop.db.transaction() as session:
        placed = next((r for r in session.scalars(select(OrderRow)) if r.number in customer.text), None)
    assert placed is not None, f"no order was placed: {customer.text}"
    return Placed(placed.number, placed.payment_token, placed.tracking_token, links)


def to_summary(
    customer: Customer,
    sku: str,
    method: str,
    phone: str,
    coupon: str = "",
    words: tuple[str, str] = ENGLISH_ANSWERS,
) -> None:
    """To the order summary; a coupon is given from there ("I have a coupon")."""
    asked_for_coupon = to_payment_question(customer, sku, phone, words, coupon)
    customer.taps(f"PAY:{method}")
    if coupon and not asked_for_coupon:
        customer.taps("COUPON")
        customer.says(coupon)


def to_payment_question(
    customer: Customer, sku: str, phone: str, words: tuple[str, str] = ENGLISH_ANSWERS, coupon: str = ""
) -> bool:
    """Typed answers (store, recipient) are in the customer's language, which they keep.
    True if the checkout asked for a coupon on the way (and got `coupon`, or none)."""
    customer.taps(f"BUY:{sku.rsplit('-', 1)[0]}")
    sizes = [p for p in customer.quick_reply_payloads() if p.startswith("SIZE:")]
    if sizes:
        customer.taps(sizes[0])
    if any(p.startswith("QTY:") for p in customer.quick_reply_payloads()):
        customer.taps(f"QTY:{sku}:1")
    if not any(p.startswith("SHIP:") for p in customer.quick_reply_payloads()):
        customer.taps("CHECKOUT")
    customer.taps(customer.payload_starting("SHIP:store-711"))
    for answer in words:
        customer.says(answer)
    customer.says(phone)
    if "COUPON_SKIP" not in customer.quick_reply_payloads():
        return False
    if coupon:
        customer.says(coupon)
    else:
        customer.taps("COUPON_SKIP")
    return True


def token_in(url: str) -> str:
    return parse_qs(urlsplit(url).query)["t"][0]


def order_row(shop: Runtime, number: str) -> OrderRow:
    with shop.db.transaction() as session:
        row = session.scalar(select(OrderRow).where(OrderRow.number == number))
    assert row is not None
    return row


def events_named(shop: Runtime, name: str) -> int:
    with shop.db.transaction() as session:
        return int(session.scalar(select(func.count()).where(EventRow.name == name)) or 0)


def messages_starting(shop: Runtime, prefix: str) -> int:
    with shop.db.transaction() as session:
        bodies = session.scalars(select(MessageRow.body))
        return sum(1 for body in bodies if str(body.get("text") or "").startswith(prefix))


def stock_of(shop: Runtime, sku: str) -> int:
    with shop.db.transaction() as session:
        return int(session.scalar(select(VariantRow.stock).where(VariantRow.sku == sku)) or 0)
