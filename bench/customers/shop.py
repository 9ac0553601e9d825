"""The tea shop the population buys from: a fresh SQLite workspace filled in-process with the
same doors a shop owner uses (`create_workspace`, the catalog importer, the FAQ loader), on a
runtime whose clock the harness moves by hand, so a day away takes no time.

It also holds the simulator's one privilege over a real customer: `peek`, which reads the
conversation's stored step, the cart, the hand-offs and the orders of a contact. Customers
use the step only when the bot's messages do not say what it is asking; the harness uses the
rest to decide when a journey has ended.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from chatcart.commerce.content import Workspace
from chatcart.messaging.inbound import Identity
from chatcart.services.catalog_import import import_catalog_file, parse_catalog_file
from chatcart.services.contacts import identify
from chatcart.services.runtime import Runtime, build_runtime
from chatcart.services.workspaces import create_workspace, set_faq
from chatcart.storage.contacts import load_cart
from chatcart.storage.migrate import upgrade
from chatcart.storage.tables import ConversationRow, HandoffRow, OrderRow

HERE = Path(__file__).parent
FEED = HERE / "tea_shop.csv"
FAQ = HERE / "tea_faq.yaml"
WORKSPACE = "chashan-tea"
SHOP_NAME = "茶山茶行 Chashan Tea"
SHOP_LANG = "zh-TW"
BASE_URL = "http://tea.test"
#: The channel ShellSession speaks on; a contact is found by (channel, name).
CHANNEL = "shell"


class ManualClock:
    """A clock the harness moves by hand: each turn takes a few seconds, a day away is instant."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass(frozen=True)
class VariantFacts:
    """What a customer can see of a variant on its card: product, size, colour, category."""

    product_id: str
    size: str | None
    color: str | None
    category: str


@dataclass(frozen=True)
class Order:
    number: str
    lines: dict[str, int]


@dataclass(frozen=True)
class Peek:
    """The stored side of a conversation after a turn."""

    step: str | None
    slots: dict[str, str]
    owner: str
    handoffs: int
    cart: dict[str, int]
    orders: tuple[Order, ...]


@dataclass
class TeaShop:
    rt: Runtime
    clock: ManualClock
    variants: dict[str, VariantFacts]
    workspace: str = WORKSPACE

    def contact_id(self, name: str, lang: str) -> str:
        found = identify(self.rt, self.workspace, Identity(channel=CHANNEL, external_id=name), lang)
        if found is None:
            raise LookupError(f"no workspace {self.workspace}")
        return found

    def peek(self, contact_id: str) -> Peek:
        with self.rt.db.snapshot() as session:
            conversation = session.scalars(
                select(ConversationRow)
                .where(ConversationRow.contact_id == contact_id)
                .order_by(ConversationRow.is_open.desc(), ConversationRow.started_at.desc())
            ).first()
            handoffs = session.scalar(
                select(func.count())
                .select_from(HandoffRow)
                .join(ConversationRow, HandoffRow.conversation_id == ConversationRow.id)
                .where(ConversationRow.contact_id == contact_id)
            )
            cart = {line.sku: line.quantity for line in load_cart(session, contact_id).lines}
            orders = tuple(
                Order(row.number, _order_lines(row.lines))
                for row in session.scalars(select(OrderRow).where(OrderRow.contact_id == contact_id))
            )
        state: dict[str, Any] = dict(conversation.state or {}) if conversation is not None else {}
        return Peek(
            step=state.get("step"),
            slots={str(k): str(v) for k, v in (state.get("slots") or {}).items()},
            owner=conversation.owner if conversation is not None else "bot",
            handoffs=int(handoffs or 0),
            cart=cart,
            orders=orders,
        )


def _order_lines(lines: list[Any]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for line in lines:
        totals[str(line["sku"])] = totals.get(str(line["sku"]), 0) + int(line["quantity"])
    return totals


def variant_facts() -> dict[str, VariantFacts]:
    """SKU → what its card shows, read from the same feed the shop imports."""
    workspace = Workspace(WORKSPACE, {SHOP_LANG: SHOP_NAME}, SHOP_LANG, "TWD", "Asia/Taipei")
    parsed = parse_catalog_file(FEED, workspace)
    categories = {c.id: next(iter(c.name.values())) for c in parsed.categories}
    return {
        v.sku: VariantFacts(p.id, v.size, v.color, categories.get(p.category_id, ""))
        for p in parsed.products
        for v in p.variants
    }


@contextmanager
def open_shop(
    workdir: Path | None = None, understander: str = "trained", history: bool = False
) -> Iterator[TeaShop]:
    """A migrated SQLite database with the tea shop's catalog and FAQ, removed afterwards
    unless `workdir` is given; the engine reads messages with the understander named. With
    `history`, earlier orders of teas with teaware, so recommendations are shown."""
    with tempfile.TemporaryDirectory(prefix="chatcart-customers-") as scratch:
        folder = workdir or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        clock = ManualClock()
        url = f"sqlite:///{folder / 'customers.db'}"
        rt = build_runtime(url, BASE_URL, clock=clock, understander=understander)
        try:
            upgrade(rt.db)
            create_workspace(rt, WORKSPACE, name=SHOP_NAME, lang=SHOP_LANG, currency="TWD")
            import_catalog_file(rt, WORKSPACE, FEED)
            set_faq(rt, WORKSPACE, FAQ.read_text(encoding="utf-8"))
            if history:
                from bench.customers.history import seed_history

                seed_history(rt, variant_facts())
            yield TeaShop(rt, clock, variant_facts())
        finally:
            rt.db.dispose()
