"""Importing another shop's catalog: Meta/Google feeds and Shopify products.json."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from chatcart.commerce.catalog import Category, Product
from chatcart.commerce.content import Workspace
from chatcart.core.errors import NotFound
from chatcart.core.money import Money
from chatcart.demo.loader import ensure_demo
from chatcart.services.catalog_import import (
    CatalogFileError,
    Rejection,
    category_id,
    import_catalog_file,
    parse_catalog_file,
    parse_feed_csv,
    parse_shopify_json,
)
from chatcart.services.runtime import Runtime
from chatcart.services.workspaces import create_workspace
from chatcart.storage.catalog import load_categories, load_products, save_category
from chatcart.storage.tables import WorkspaceRow

FIXTURES = Path(__file__).parent / "fixtures" / "catalog"
HEADER = (FIXTURES / "feed.csv").read_text(encoding="utf-8").splitlines()[0]
OUTDOOR = Workspace("outdoor", {"en": "Trail Co"}, "en", "TWD", "Asia/Taipei")
TEA = Workspace("tea", {"zh-TW": "山嵐茶行"}, "zh-TW", "TWD", "Asia/Taipei")


def by_id(products: list[Product]) -> dict[str, Product]:
    return {p.id: p for p in products}


def feed(*rows: str) -> str:
    return "\n".join((HEADER, *rows)) + "\n"


def row(row_id: str, price: str = "100 TWD", availability: str = "in stock", title: str = "Thing") -> str:
    return f"{row_id},{title},,{availability},new,{price},,,Brand,,,,Misc"


def make_outdoor(rt: Runtime) -> None:
    create_workspace(rt, "outdoor", name="Trail Co", lang="en", currency="TWD", timezone="Asia/Taipei")


def catalog_version(rt: Runtime, workspace_id: str) -> int:
    with rt.db.transaction() as session:
        row = session.get(WorkspaceRow, workspace_id)
        assert row is not None, f"no workspace {workspace_id}"
        return row.catalog_version


# --- Meta / Google feed ----------------------------------------------------------------------


def test_each_bad_feed_row_is_rejected_with_its_file_line_and_reason() -> None:
    parsed = parse_catalog_file(FIXTURES / "feed.csv", OUTDOOR)

    assert [(r.line, r.row_id, r.reason) for r in parsed.rejected] == [
        (5, "CHAIR-01", "missing_title"),
        (10, "STOVE-01", "invalid_price"),
        (14, "POLE-01", "missing_currency"),
        (19, "LAMP-200", "duplicate_id"),
    ]
    assert all(r.detail for r in parsed.rejected)
    assert "line 9" in parsed.rejected[-1].detail


def test_every_valid_feed_row_is_imported_as_a_variant_of_its_item_group() -> None:
    parsed = parse_catalog_file(FIXTURES / "feed.csv", OUTDOOR)
    products = by_id(parsed.products)

    assert list(products) == ["TENT-2P", "SB-300", "SHOE-TR", "LAMP-200", "SOCK-MW", "JKT-RAIN", "BTL-750"]
    assert sum(len(p.variants) for p in parsed.products) == 15
    jacket = products["JKT-RAIN"]
    assert [v.sku for v in jacket.variants] == [
        "JKT-RAIN-S-NVY",
        "JKT-RAIN-M-NVY",
        "JKT-RAIN-L-NVY",
        "JKT-RAIN-M-YLW",
    ]
    assert jacket.title == {"en": "Stormshell Rain Jacket"}
    assert jacket.price == Money.of(2890, "TWD")
    assert jacket.category_id == "jackets"
    assert jacket.link == "https://ridgeline-outdoor.example/products/stormshell-rain-jacket"
    assert jacket.image_url.endswith("jkt-rain-s-nvy.jpg")
    assert jacket.keywords == () and jacket.needs == ()
    assert [v.sku for v in products["BTL-750"].variants] == ["BTL-750-BLU", "BTL-750-BLK"]
    assert "CHAIR-01" not in products and "STOVE-01" not in products and "POLE-01" not in products


def test_a_group_whose_rows_name_their_variant_gets_the_title_they_share() -> None:
    text = feed(
        "TEA-150,阿里山高山茶 Alishan High Mountain Oolong 150g,,in stock,new,680 TWD,,,B,TEA,150g,,Tea",
        "TEA-300,阿里山高山茶 Alishan High Mountain Oolong 300g,,in stock,new,1250 TWD,,,B,TEA,300g,,Tea",
        "CUP-BLU,Celadon Cup - Blue,,in stock,new,450 TWD,,,B,CUP,,Blue,Cups",
        "CUP-GRN,Celadon Cup - Green,,in stock,new,450 TWD,,,B,CUP,,Green,Cups",
        "MUG-1,Mug,,in stock,new,300 TWD,,,B,MUG,,,Cups",
        "MUG-2,Tumbler,,in stock,new,300 TWD,,,B,MUG,,,Cups",
    )
    titles = {p.id: p.title["zh-TW"] for p in parse_feed_csv(text, TEA).products}

    assert titles == {"TEA": "阿里山高山茶 Alishan High Mountain Oolong", "CUP": "Celadon Cup", "MUG": "Mug"}


def test_categories_are_the_last_segment_of_the_product_type_of_imported_rows_only() -> None:
    parsed = parse_catalog_file(FIXTURES / "feed.csv", OUTDOOR)

    assert [(c.id, c.name) for c in parsed.categories] == [
        ("tents", {"en": "Tents"}),
        ("sleeping-bags", {"en": "Sleeping Bags"}),
        ("trail-running", {"en": "Trail Running"}),
        ("lighting", {"en": "Lighting"}),
        ("socks", {"en": "Socks"}),
        ("jackets", {"en": "Jackets"}),
        ("hydration", {"en": "Hydration"}),
    ]


def test_out_of_stock_rows_get_zero_stock_and_in_stock_rows_the_default() -> None:
    products = by_id(parse_catalog_file(FIXTURES / "feed.csv", OUTDOOR, default_stock=12).products)

    assert [v.stock for v in products["SB-300"].variants] == [0]
    assert not products["SB-300"].in_stock
    assert {v.sku: v.stock for v in products["SHOE-TR"].variants} == {
        "SHOE-TR-40": 12,
        "SHOE-TR-42": 12,
        "SHOE-TR-44": 0,
    }
    assert products["JKT-RAIN"].variant("JKT-RAIN-L-NVY").stock == 0


def test_feed_colours_are_mapped_to_colour_keys_and_sizes_kept() -> None:
    products = by_id(parse_catalog_file(FIXTURES / "feed.csv", OUTDOOR).products)

    assert products["TENT-2P"].colors == ("green", "grey")
    assert products["JKT-RAIN"].colors == ("navy", "yellow")
    assert products["JKT-RAIN"].sizes == ("S", "M", "L")
    assert products["LAMP-200"].variants[0].color is None


def test_an_unknown_feed_colour_is_kept_lower_cased() -> None:
    text = feed("MUG-1,Mug,,in stock,new,300 TWD,,,B,,,Forest Moss,Kitchen")

    assert parse_feed_csv(text, OUTDOOR).products[0].variants[0].color == "forest moss"


def test_the_first_of_two_rows_with_the_same_id_wins() -> None:
    lamp = by_id(parse_catalog_file(FIXTURES / "feed.csv", OUTDOOR).products)["LAMP-200"]

    assert lamp.price == Money.of(890, "TWD")
    assert len(lamp.variants) == 1


def test_variants_with_different_prices_carry_their_own_above_the_lowest() -> None:
    parsed = parse_catalog_file(FIXTURES / "feed_zh.csv", TEA)
    oolong = by_id(parsed.products)["LS-OOLONG"]

    assert oolong.title == {"zh-TW": "梨山高冷烏龍茶"}
    assert oolong.price == Money.of(980, "TWD")
    assert oolong.variant("LS-OOLONG-75").price is None
    assert oolong.variant("LS-OOLONG-150").price == Money.of(1880, "TWD")
    assert oolong.unit_price("LS-OOLONG-150") == Money.of(1880, "TWD")
    assert oolong.sizes == ("75g", "150g")
    assert (len(parsed.products), sum(len(p.variants) for p in parsed.products)) == (5, 6)
    assert parsed.rejected == []


def test_chinese_category_names_get_short_stable_hash_ids() -> None:
    parsed = parse_catalog_file(FIXTURES / "feed_zh.csv", TEA)

    assert [c.name for c in parsed.categories] == [
        {"zh-TW": "烏龍茶"},
        {"zh-TW": "冷泡茶"},
        {"zh-TW": "茶杯"},
    ]
    ids = [c.id for c in parsed.categories]
    assert ids == [category_id("烏龍茶"), category_id("冷泡茶"), category_id("茶杯")]
    assert all(i.startswith("cat-") and len(i) == 12 for i in ids)
    assert len(set(ids)) == 3
    assert by_id(parsed.products)["TGY-150"].category_id == ids[0]


def test_latin_category_names_become_readable_slugs() -> None:
    assert category_id("Sleeping Bags") == "sleeping-bags"
    assert category_id("  Café & Tea!  ") == "cafe-tea"


def test_a_row_without_product_type_goes_to_the_uncategorised_category() -> None:
    parsed = parse_feed_csv(feed("MUG-1,Mug,,in stock,new,300 TWD,,,B,,,,"), TEA)

    assert parsed.products[0].category_id == "uncategorised"
    assert parsed.categories == [
        Category("uncategorised", {"en": "Other", "zh-TW": "其他", "ja": "その他", "pl": "Inne"})
    ]


def test_a_price_in_another_currency_is_rejected_as_currency_mismatch() -> None:
    parsed = parse_feed_csv(feed(row("A-1", price="39.90 USD"), row("A-2")), OUTDOOR)

    assert [(r.line, r.row_id, r.reason) for r in parsed.rejected] == [(2, "A-1", "currency_mismatch")]
    assert [p.id for p in parsed.products] == ["A-2"]


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        (row("", title="No id"), "missing_id"),
        (row("A-9", price="-5 TWD"), "negative_price"),
        (row("A-9", price=""), "invalid_price"),
        (row("A-9", price='"1,29 TWD"'), "invalid_price"),
        (row("A-9", availability="maybe"), "invalid_availability"),
    ],
)
def test_an_invalid_row_is_rejected_without_stopping_the_others(bad_row: str, reason: str) -> None:
    parsed = parse_feed_csv(feed(row("A-1"), bad_row, row("A-2")), OUTDOOR)

    assert [(r.line, r.reason) for r in parsed.rejected] == [(3, reason)]
    assert [p.id for p in parsed.products] == ["A-1", "A-2"]


def test_thousands_separators_google_availability_and_preorders_are_understood() -> None:
    text = feed(
        row("A-1", price='"1,290.00 TWD"'),
        row("A-2", availability="in_stock"),
        row("A-3", availability="preorder"),
        row("A-4", availability="backorder"),
        row("A-5", availability="discontinued"),
    )
    products = by_id(parse_feed_csv(text, OUTDOOR, default_stock=5).products)

    assert products["A-1"].price == Money(Decimal("1290.00"), "TWD")
    assert [products[i].variants[0].stock for i in ("A-1", "A-2", "A-3", "A-4", "A-5")] == [5, 5, 0, 0, 0]


def test_a_tab_separated_feed_with_a_bom_is_read() -> None:
    text = "\ufeffid\ttitle\tprice\tavailability\tproduct_type\nA-1\tThing, large\t100 TWD\tin stock\tMisc\n"
    parsed = parse_feed_csv(text, OUTDOOR)

    assert parsed.rejected == []
    assert parsed.products[0].title == {"en": "Thing, large"}


def test_line_numbers_count_file_lines_when_a_description_spans_several() -> None:
    text = feed(
        'A-1,Thing,"first line\nsecond line",in stock,new,100 TWD,,,B,,,,Misc', row("A-2", price="x TWD")
    )

    assert parse_feed_csv(text, OUTDOOR).rejected == [
        Rejection(4, "A-2", "invalid_price", "price 'x TWD' is not a number")
    ]


def test_a_csv_that_is_not_a_product_feed_raises_catalog_file_error(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("order,customer,total\n1,Amy,300\n", encoding="utf-8")

    with pytest.raises(CatalogFileError) as caught:
        parse_catalog_file(path, OUTDOOR)
    assert caught.value.reason == "missing_columns"
    assert caught.value.params["missing"] == ["id", "title", "price", "availability"]


def test_an_empty_csv_raises_catalog_file_error() -> None:
    with pytest.raises(CatalogFileError) as caught:
        parse_feed_csv("", OUTDOOR)
    assert caught.value.reason == "empty_file"


# --- Shopify products.json --------------------------------------------------------------------


def test_shopify_products_use_the_handle_and_size_by_colour_options() -> None:
    parsed = parse_catalog_file(FIXTURES / "shopify_products.json", OUTDOOR)
    products = by_id(parsed.products)

    assert list(products) == [
        "merino-crew-sweater",
        "enamel-camp-mug",
        "waxed-canvas-backpack",
        "insulated-down-vest",
    ]
    assert sum(len(p.variants) for p in parsed.products) == 11
    assert parsed.rejected == []
    sweater = products["merino-crew-sweater"]
    assert sweater.sizes == ("S", "M", "L")
    assert sweater.colors == ("navy", "grey")
    assert [(v.size, v.color) for v in sweater.matching_variants(size="M")] == [("M", "navy"), ("M", "grey")]
    assert sweater.price == Money.of("2480.00", "TWD")
    assert sweater.brand == "North Loop Supply"
    assert sweater.category_id == "knitwear"
    assert sweater.image_url.endswith("merino-crew-navy.jpg?v=1726107300")
    assert sweater.link == ""
    assert products["waxed-canvas-backpack"].colors == ("green", "black")
    assert products["waxed-canvas-backpack"].sizes == ()


def test_shopify_default_title_option_becomes_neither_size_nor_colour() -> None:
    mug = by_id(parse_catalog_file(FIXTURES / "shopify_products.json", OUTDOOR).products)["enamel-camp-mug"]

    assert [(v.sku, v.size, v.color) for v in mug.variants] == [("NLS-MUG-350", None, None)]
    assert mug.price == Money.of("450.00", "TWD")
    assert not mug.needs_choice


def test_unavailable_shopify_variants_have_zero_stock() -> None:
    products = by_id(
        parse_catalog_file(FIXTURES / "shopify_products.json", OUTDOOR, default_stock=9).products
    )
    sweater = products["merino-crew-sweater"]

    assert {v.sku for v in sweater.variants if v.stock == 0} == {"NLS-CREW-L-NVY", "NLS-CREW-S-GRY"}
    assert {v.stock for v in sweater.variants if v.sku not in ("NLS-CREW-L-NVY", "NLS-CREW-S-GRY")} == {9}
    assert [v.stock for v in products["insulated-down-vest"].variants] == [0, 0]
    assert not products["insulated-down-vest"].in_stock


def test_shopify_descriptions_lose_their_html() -> None:
    products = by_id(parse_catalog_file(FIXTURES / "shopify_products.json", OUTDOOR).products)

    assert products["merino-crew-sweater"].description == {
        "en": "A classic crew-neck sweater knitted from 100% extra-fine merino wool.\n"
        "Soft, non-itchy and temperature regulating\n"
        "Machine washable on wool cycle"
    }
    vest = products["insulated-down-vest"].description["en"]
    assert "<" not in vest and vest.endswith("responsibly sourced down. Sold out for the season.")


def test_shopify_variant_without_sku_uses_its_id_and_a_bad_price_drops_only_that_variant() -> None:
    cap = {
        "id": 7,
        "handle": "",
        "title": "Cap",
        "body_html": "<p>Cap &amp; co</p><script>track()</script>",
        "options": [{"name": "尺寸", "values": ["F"]}, {"name": "顏色", "values": ["深藍", "紅"]}],
        "variants": [
            {"id": 70, "sku": "", "option1": "F", "option2": "深藍", "price": "500", "available": True},
            {"id": 71, "sku": "CAP-R", "option1": "F", "option2": "紅", "price": "free", "available": True},
        ],
        "images": [],
    }
    text = json.dumps({"products": [cap]})
    parsed = parse_shopify_json(text, TEA)

    assert [(p.id, [(v.sku, v.size, v.color) for v in p.variants]) for p in parsed.products] == [
        ("7", [("70", "F", "navy")])
    ]
    assert parsed.products[0].description == {"zh-TW": "Cap & co"}
    assert [(r.line, r.row_id, r.reason) for r in parsed.rejected] == [(1, "CAP-R", "invalid_price")]


def test_invalid_json_raises_catalog_file_error(tmp_path: Path) -> None:
    path = tmp_path / "products.json"
    path.write_text("{not json", encoding="utf-8")

    with pytest.raises(CatalogFileError) as caught:
        parse_catalog_file(path, OUTDOOR)
    assert caught.value.reason == "invalid_json"


def test_json_that_is_not_a_products_list_raises_catalog_file_error() -> None:
    with pytest.raises(CatalogFileError) as caught:
        parse_shopify_json('{"product": {"id": 1}}', OUTDOOR)
    assert caught.value.reason == "not_a_products_list"


def test_an_unknown_file_extension_raises_catalog_file_error(tmp_path: Path) -> None:
    path = tmp_path / "catalog.xlsx"
    path.write_bytes(b"PK")

    with pytest.raises(CatalogFileError) as caught:
        parse_catalog_file(path, OUTDOOR)
    assert caught.value.reason == "unknown_format"


# --- into the database ------------------------------------------------------------------------


def test_import_writes_products_and_categories_that_load_back(runtime: Runtime) -> None:
    make_outdoor(runtime)

    report = import_catalog_file(runtime, "outdoor", FIXTURES / "feed.csv")

    assert (report.imported_products, report.imported_variants, report.categories) == (7, 15, 7)
    assert [r.row_id for r in report.rejected] == ["CHAIR-01", "STOVE-01", "POLE-01", "LAMP-200"]
    with runtime.db.transaction() as session:
        products = by_id(load_products(session, "outdoor"))
        categories = load_categories(session, "outdoor")
    assert list(products) == ["TENT-2P", "SB-300", "SHOE-TR", "LAMP-200", "SOCK-MW", "JKT-RAIN", "BTL-750"]
    jacket = products["JKT-RAIN"]
    assert [(v.sku, v.size, v.color, v.stock) for v in jacket.variants] == [
        ("JKT-RAIN-S-NVY", "S", "navy", 100),
        ("JKT-RAIN-M-NVY", "M", "navy", 100),
        ("JKT-RAIN-L-NVY", "L", "navy", 0),
        ("JKT-RAIN-M-YLW", "M", "yellow", 100),
    ]
    assert jacket.price == Money.of(2890, "TWD")
    assert products["SB-300"].variants[0].stock == 0
    assert [c.id for c in categories] == [
        "tents",
        "sleeping-bags",
        "trail-running",
        "lighting",
        "socks",
        "jackets",
        "hydration",
    ]


def test_a_variant_price_survives_the_database(runtime: Runtime) -> None:
    create_workspace(runtime, "tea", name="山嵐茶行", lang="zh-TW", currency="TWD")

    import_catalog_file(runtime, "tea", FIXTURES / "feed_zh.csv")

    with runtime.db.transaction() as session:
        oolong = by_id(load_products(session, "tea"))["LS-OOLONG"]
    assert oolong.price == Money.of(980, "TWD")
    assert oolong.variant("LS-OOLONG-75").price is None
    assert oolong.variant("LS-OOLONG-150").price == Money.of(1880, "TWD")


def test_importing_the_same_file_twice_gives_the_same_catalog_with_the_new_stock(runtime: Runtime) -> None:
    make_outdoor(runtime)
    import_catalog_file(runtime, "outdoor", FIXTURES / "shopify_products.json", default_stock=100)
    with runtime.db.transaction() as session:
        first = load_products(session, "outdoor")

    report = import_catalog_file(runtime, "outdoor", FIXTURES / "shopify_products.json", default_stock=3)

    with runtime.db.transaction() as session:
        second = load_products(session, "outdoor")
        categories = load_categories(session, "outdoor")
    assert report.imported_products == 4
    assert [p.id for p in second] == [p.id for p in first]
    assert [[v.sku for v in p.variants] for p in second] == [[v.sku for v in p.variants] for p in first]
    assert sum(len(p.variants) for p in second) == 11
    assert {v.stock for p in first for v in p.variants} == {0, 100}
    assert {v.stock for p in second for v in p.variants} == {0, 3}
    assert [c.id for c in categories] == ["knitwear", "camp-kitchen", "bags", "outerwear"]


def test_import_keeps_categories_the_file_does_not_mention(runtime: Runtime) -> None:
    make_outdoor(runtime)
    with runtime.db.transaction() as session:
        save_category(session, "outdoor", Category("gift-cards", {"en": "Gift cards"}), 0)
        save_category(session, "outdoor", Category("tents", {"en": "Tents", "zh-TW": "帳篷"}), 1)

    import_catalog_file(runtime, "outdoor", FIXTURES / "feed.csv")

    with runtime.db.transaction() as session:
        categories = {c.id: c for c in load_categories(session, "outdoor")}
    assert list(categories)[:2] == ["gift-cards", "tents"]
    assert categories["gift-cards"].name == {"en": "Gift cards"}
    assert categories["tents"].name == {"en": "Tents", "zh-TW": "帳篷"}
    assert len(categories) == 8


def test_a_sku_held_by_a_product_outside_the_file_is_refused_and_nothing_is_written(
    runtime: Runtime, tmp_path: Path
) -> None:
    make_outdoor(runtime)
    import_catalog_file(runtime, "outdoor", FIXTURES / "feed.csv")
    other = tmp_path / "other.csv"
    other.write_text(feed(row("NEW-1"), row("TENT-2P-GRN")), encoding="utf-8")

    with pytest.raises(CatalogFileError) as caught:
        import_catalog_file(runtime, "outdoor", other)

    assert caught.value.reason == "sku_in_other_product"
    assert caught.value.params["skus"] == ["TENT-2P-GRN"]
    with runtime.db.transaction() as session:
        products = by_id(load_products(session, "outdoor"))
    assert "NEW-1" not in products
    assert [v.sku for v in products["TENT-2P"].variants] == ["TENT-2P-GRN", "TENT-2P-GRY"]


def test_importing_into_an_unknown_workspace_raises_not_found(sqlite_runtime: Runtime) -> None:
    with pytest.raises(NotFound) as caught:
        import_catalog_file(sqlite_runtime, "nowhere", FIXTURES / "feed.csv")
    assert caught.value.reason == "unknown_workspace"
    assert caught.value.params == {"workspace": "nowhere"}


def test_a_sku_that_moved_to_another_product_in_the_file_is_reimported(
    runtime: Runtime, tmp_path: Path
) -> None:
    make_outdoor(runtime)
    path = tmp_path / "feed.csv"
    path.write_text(feed(row("A-1"), row("B-1")), encoding="utf-8")
    import_catalog_file(runtime, "outdoor", path)
    group = "{0},Thing,,in stock,new,100 TWD,,,Brand,{1},,,Misc"
    path.write_text(feed(group.format("A-2", "A-1"), group.format("A-1", "B-1")), encoding="utf-8")

    import_catalog_file(runtime, "outdoor", path)

    with runtime.db.transaction() as session:
        products = {p.id: [v.sku for v in p.variants] for p in load_products(session, "outdoor")}
    assert products == {"A-1": ["A-2"], "B-1": ["A-1"]}


# --- the catalog version ------------------------------------------------------------------------


def test_each_import_counts_exactly_one_catalog_version(runtime: Runtime) -> None:
    make_outdoor(runtime)
    assert catalog_version(runtime, "outdoor") == 0

    import_catalog_file(runtime, "outdoor", FIXTURES / "feed.csv")
    assert catalog_version(runtime, "outdoor") == 1, "an import must tell cached catalogs to rebuild"

    import_catalog_file(runtime, "outdoor", FIXTURES / "feed.csv")
    assert catalog_version(runtime, "outdoor") == 2, "a re-import counts again, even if nothing changed"


def test_a_refused_import_leaves_the_catalog_version_alone(runtime: Runtime, tmp_path: Path) -> None:
    make_outdoor(runtime)
    import_catalog_file(runtime, "outdoor", FIXTURES / "feed.csv")
    other = tmp_path / "other.csv"
    other.write_text(feed(row("NEW-1"), row("TENT-2P-GRN")), encoding="utf-8")

    with pytest.raises(CatalogFileError):
        import_catalog_file(runtime, "outdoor", other)

    assert catalog_version(runtime, "outdoor") == 1, "the bump must roll back with the refused import"


def test_a_file_that_cannot_be_read_leaves_the_catalog_version_alone(
    runtime: Runtime, tmp_path: Path
) -> None:
    make_outdoor(runtime)
    path = tmp_path / "orders.csv"
    path.write_text("order,customer,total\n1,Amy,300\n", encoding="utf-8")

    with pytest.raises(CatalogFileError):
        import_catalog_file(runtime, "outdoor", path)

    assert catalog_version(runtime, "outdoor") == 0


def test_loading_the_demo_shop_counts_one_catalog_version(runtime: Runtime) -> None:
    ensure_demo(runtime)

    assert catalog_version(runtime, "demo") == 1


def test_import_reports_progress_up_to_every_product(sqlite_runtime: Runtime) -> None:
    make_outdoor(sqlite_runtime)
    heard: list[tuple[int, int]] = []

    import_catalog_file(sqlite_runtime, "outdoor", FIXTURES / "feed.csv", progress=lambda *p: heard.append(p))

    assert heard == [(0, 7), (7, 7)]


# --- links and images ---------------------------------------------------------------------


def row_with_links(row_id: str, link: str, image: str) -> str:
    return f'{row_id},Thing,,in stock,new,100 TWD,"{link}","{image}",Brand,,,,Misc'


@pytest.mark.parametrize(
    ("link", "image"),
    [
        ("javascript:alert(document.cookie)", ""),
        ("JavaScript:alert(1)", ""),
        ("", "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4="),
        ("java\tscript:alert(1)", ""),
        ("", "file:///etc/passwd"),
        ("//evil.example/x", ""),
        ("https:///no-host", ""),
        ("", "http://[::1"),
        ("vbscript:msgbox(1)", ""),
        ("shop.example/page", ""),
    ],
)
def test_a_row_whose_link_or_image_is_not_a_web_url_is_rejected_with_line_and_reason(
    link: str, image: str
) -> None:
    parsed = parse_feed_csv(feed(row("A-1"), row_with_links("A-9", link, image), row("A-2")), OUTDOOR)

    assert [(r.line, r.row_id, r.reason) for r in parsed.rejected] == [(3, "A-9", "invalid_url")]
    assert ("link" if link else "image_link") in parsed.rejected[0].detail
    assert [p.id for p in parsed.products] == ["A-1", "A-2"]


def test_http_https_and_server_paths_are_accepted_as_links_and_images() -> None:
    parsed = parse_feed_csv(
        feed(
            row_with_links("A-1", "https://shop.example/p/1", "http://cdn.example/1.jpg"),
            row_with_links("A-2", " HTTPS://shop.example/p/2 ", "/static/images/2.svg"),
            row_with_links("A-3", "", ""),
        ),
        OUTDOOR,
    )

    assert parsed.rejected == []
    links = {p.id: (p.link, p.image_url) for p in parsed.products}
    assert links == {
        "A-1": ("https://shop.example/p/1", "http://cdn.example/1.jpg"),
        "A-2": ("HTTPS://shop.example/p/2", "/static/images/2.svg"),
        "A-3": ("", ""),
    }


def test_a_shopify_product_with_a_script_image_is_rejected_with_its_position() -> None:
    document = json.loads((FIXTURES / "shopify_products.json").read_text(encoding="utf-8"))
    document["products"][1]["images"] = [{"src": "javascript:alert(1)"}]
    parsed = parse_shopify_json(json.dumps(document), OUTDOOR)

    assert [(r.line, r.reason) for r in parsed.rejected] == [(2, "invalid_url")]
    assert "image src" in parsed.rejected[0].detail
    assert len(parsed.products) == len(document["products"]) - 1
