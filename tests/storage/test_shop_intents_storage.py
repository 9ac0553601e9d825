"""A shop's intents on SQLite and PostgreSQL: stored as taught (order, languages, answer,
hand-off), replaced whole, never visible from another shop; and one fingerprint per content,
the key of the model an understander learns from them."""

from __future__ import annotations

from datetime import UTC, datetime

from chatcart.commerce.content import ShopIntent, ShopIntents, Workspace
from chatcart.storage.catalog import add_workspace, load_shop_intents, replace_shop_intents
from chatcart.storage.db import Database

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
WHOLESALE = ShopIntent(
    "wholesale",
    {"en": ("do you sell wholesale", "bulk order"), "zh-TW": ("可以批發嗎",)},
    {"en": "From 20 packs.", "zh-TW": "20 包起。"},
    hand_off=True,
)
TASTING = ShopIntent(
    "tasting", {"en": ("tea tasting", "tasting class", "book a tasting")}, {"en": "Saturdays."}
)


def test_intents_are_stored_as_taught_and_kept_apart_per_shop(database: Database) -> None:
    with database.transaction() as session:
        for shop in ("shop-a", "shop-b"):
            add_workspace(session, Workspace(shop, {"en": shop}, "en", "TWD", "Asia/Taipei"), NOW)
        replace_shop_intents(session, "shop-a", ShopIntents((WHOLESALE, TASTING)))
    with database.transaction() as session:
        stored = load_shop_intents(session, "shop-a")
        assert [i.id for i in stored.intents] == ["wholesale", "tasting"]
        assert stored.named("wholesale") == WHOLESALE
        assert stored == ShopIntents((WHOLESALE, TASTING))
        assert not load_shop_intents(session, "shop-b")
        replace_shop_intents(session, "shop-a", ShopIntents((TASTING,)))
    with database.transaction() as session:
        assert load_shop_intents(session, "shop-a").intents == (TASTING,)


def test_the_fingerprint_follows_the_content() -> None:
    edited = ShopIntent(TASTING.id, TASTING.examples, {"en": "Sundays."})
    assert ShopIntents((TASTING,)).fingerprint == ShopIntents((TASTING,)).fingerprint
    assert ShopIntents((TASTING,)).fingerprint != ShopIntents((edited,)).fingerprint
    assert len({ShopIntents((TASTING,)), ShopIntents((TASTING,)), ShopIntents((edited,))}) == 2
