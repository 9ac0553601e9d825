"""A shop that is not the demo, for follow-ups to what was just shown: a Taiwanese select
shop selling tea, teaware and a few dresses, titles in Chinese and English in one field, so
one search can show a mixed list (tea beside teaware) or one dress in several colours."""

from __future__ import annotations

from chatcart.commerce.catalog import Category, Need, Product, Variant
from chatcart.core.money import Money
from chatcart.services.runtime import Runtime
from chatcart.services.workspaces import create_workspace
from chatcart.storage.catalog import save_category, save_product

BOUTIQUE = "boutique"


def _twd(amount: str) -> Money:
    return Money.of(amount, "TWD")


def _teas() -> list[Product]:
    return [
        Product(
            "DD",
            "tea",
            {"zh-TW": "凍頂烏龍茶 Dong Ding Oolong"},
            _twd("450"),
            (
                Variant("DD-75", 20, size="75g", price=_twd("260")),
                Variant("DD-150", 30, size="150g"),
                Variant("DD-300", 20, size="300g", price=_twd("850")),
            ),
            needs=("everyday",),
        ),
        Product(
            "ALI",
            "tea",
            {"zh-TW": "阿里山高山茶 Alishan High Mountain Oolong"},
            _twd("680"),
            (Variant("ALI-75", 15, size="75g"), Variant("ALI-150", 10, size="150g", price=_twd("1250"))),
            needs=("everyday",),
        ),
        Product(
            "BLK",
            "tea",
            {"zh-TW": "日月潭紅茶 Sun Moon Lake Black Tea"},
            _twd("520"),
            (Variant("BLK-100", 25, size="100g"),),
            needs=("everyday",),
        ),
        Product(
            "GIFTBOX",
            "tea",
            {"zh-TW": "茶香禮盒 Tea Gift Box"},
            _twd("760"),
            (Variant("GB-2", 10, size="2罐"), Variant("GB-4", 6, size="4罐", price=_twd("1480"))),
            needs=("gift",),
        ),
    ]


def _teaware() -> list[Product]:
    return [
        Product(
            "GAIWAN",
            "ware",
            {"zh-TW": "白瓷蓋碗 Porcelain Gaiwan"},
            _twd("1200"),
            (Variant("GW-W", 5, color="white"), Variant("GW-B", 3, color="blue")),
            needs=("gift",),
        ),
        Product(
            "CUPS",
            "ware",
            {"zh-TW": "青瓷品茗杯 Celadon Tea Cups"},
            _twd("380"),
            (Variant("CUP-2", 12, size="2入"),),
            needs=("gift",),
        ),
    ]


def _dresses() -> list[Product]:
    return [
        Product(
            "LINEN",
            "dress",
            {"zh-TW": "亞麻綁帶洋裝 Linen Wrap Dress"},
            _twd("1280"),
            (
                Variant("LN-S-RED", 4, size="S", color="red"),
                Variant("LN-M-RED", 6, size="M", color="red"),
                Variant("LN-L-RED", 2, size="L", color="red"),
                Variant("LN-S-NVY", 5, size="S", color="navy"),
                Variant("LN-M-NVY", 8, size="M", color="navy"),
            ),
        ),
        Product(
            "FLORAL",
            "dress",
            {"zh-TW": "碎花雪紡洋裝 Floral Chiffon Dress"},
            _twd("980"),
            (
                Variant("FL-S-WHT", 3, size="S", color="white"),
                Variant("FL-M-WHT", 4, size="M", color="white"),
                Variant("FL-M-YEL", 2, size="M", color="yellow"),
            ),
        ),
    ]


def open_boutique(rt: Runtime) -> None:
    """The select shop, in zh-TW: tea, teaware and dresses, nine products."""
    create_workspace(rt, BOUTIQUE, name="小日子選物", lang="zh-TW", currency="TWD", timezone="Asia/Taipei")
    categories = [
        Category(
            "tea",
            {"zh-TW": "茶葉", "en": "Tea"},
            (
                Need("everyday", {"zh-TW": "日常", "en": "Everyday"}),
                Need("gift", {"zh-TW": "送禮", "en": "Gifts"}),
            ),
        ),
        Category(
            "ware", {"zh-TW": "茶器", "en": "Teaware"}, (Need("gift", {"zh-TW": "送禮", "en": "Gifts"}),)
        ),
        Category("dress", {"zh-TW": "洋裝", "en": "Dresses"}),
    ]
    with rt.db.transaction() as session:
        for position, category in enumerate(categories):
            save_category(session, BOUTIQUE, category, position)
        for position, product in enumerate([*_teas(), *_teaware(), *_dresses()]):
            save_product(session, BOUTIQUE, product, position)
