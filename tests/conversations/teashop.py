"""A shop that is not the demo: a Taiwanese tea house whose titles mix Chinese and English
in one field, the way shops there write them, with a sold-out size and its own FAQ."""

from __future__ import annotations

from chatcart.commerce.catalog import Category, Product, Variant
from chatcart.core.money import Money
from chatcart.services.runtime import Runtime
from chatcart.services.workspaces import create_workspace, set_faq
from chatcart.storage.catalog import save_category, save_product

TEA_SHOP = "teahouse"
_FAQ = """
- id: shipping-time
  questions:
    en: [how long does delivery take, when will it arrive, how many days for shipping]
    zh-TW: [運送要多久, 幾天會到, 多久會到貨]
  answer:
    en: "We ship within 1 business day; store pickup takes 2–3 days, home delivery 1–2 days."
    zh-TW: "我們在 1 個工作天內出貨；超商取貨約 2–3 天、宅配約 1–2 天送達。"
- id: returns
  questions:
    en: [can i return it, what is your return policy]
    zh-TW: [可以退貨嗎, 退貨規定]
  answer:
    en: "Unopened tea can be returned within 7 days of delivery."
    zh-TW: "未拆封的茶葉，收到後 7 天內可以退貨。"
- id: pickup
  questions:
    en: [can i pick up at a convenience store, do you ship to 7-11]
    zh-TW: [可以超商取貨嗎, 可以寄超商嗎]
  answer:
    en: "Yes: 7-ELEVEN and FamilyMart pickup, free over NT$1,000."
    zh-TW: "可以，7-ELEVEN 與全家超商取貨皆可，滿 NT$1,000 免運。"
"""


def _twd(amount: str) -> Money:
    return Money.of(amount, "TWD")


def _products() -> list[Product]:
    return [
        Product(
            "DD",
            "tea",
            {"zh-TW": "凍頂烏龍茶 Dong Ding Oolong"},
            _twd("450"),
            (
                Variant("DD-150", 30, size="150g"),
                Variant("DD-300", 20, size="300g", price=_twd("850")),
            ),
        ),
        Product(
            "ALI",
            "tea",
            {"zh-TW": "阿里山高山茶 Alishan High Mountain Tea"},
            _twd("680"),
            (Variant("ALI-75", 15, size="75g"), Variant("ALI-150", 10, size="150g", price=_twd("1250"))),
        ),
        Product(
            "BLK",
            "tea",
            {"zh-TW": "日月潭紅茶 Sun Moon Lake Black Tea"},
            _twd("520"),
            (Variant("BLK-100", 25, size="100g"),),
        ),
        Product(
            "VITC",
            "health",
            {"zh-TW": "維他命C發泡錠 Vitamin C Tablets", "en": "Vitamin C Effervescent Tablets"},
            _twd("280"),
            (Variant("VITC-20", 40, size="20入"),),
        ),
        Product(
            "SERUM",
            "health",
            {"zh-TW": "茶籽保濕精華 Tea Seed Serum"},
            _twd("890"),
            (Variant("SERUM-30", 8, size="30ml"), Variant("SERUM-50", 0, size="50ml", price=_twd("1290"))),
        ),
        Product(
            "GAIWAN",
            "ware",
            {"zh-TW": "白瓷蓋碗 Porcelain Gaiwan"},
            _twd("1200"),
            (Variant("GW-W", 5, color="white"), Variant("GW-B", 3, color="blue")),
        ),
    ]


def open_tea_shop(rt: Runtime) -> None:
    """The tea house, in zh-TW, with three categories, six products and two FAQ entries."""
    create_workspace(rt, TEA_SHOP, name="山嵐茶行", lang="zh-TW", currency="TWD", timezone="Asia/Taipei")
    categories = [
        Category("tea", {"zh-TW": "茶葉", "en": "Tea"}),
        Category("health", {"zh-TW": "保健與保養", "en": "Health & care"}),
        Category("ware", {"zh-TW": "茶器", "en": "Teaware"}),
    ]
    with rt.db.transaction() as session:
        for position, category in enumerate(categories):
            save_category(session, TEA_SHOP, category, position)
        for position, product in enumerate(_products()):
            save_product(session, TEA_SHOP, product, position)
    set_faq(rt, TEA_SHOP, _FAQ)
