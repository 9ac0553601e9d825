"""A small generator of bilingual Meta/Google product feeds for bench/turns_bench.py.

It is used only when bench/catalog_gen.py (the shared generator) is not there. Products are
made of an adjective, a material and a kind of thing, each with its English and Traditional
Chinese word, so every title carries both languages ("Soft Linen Shirt 柔軟亞麻襯衫"); the
kind decides the category (`Apparel > Shirts`) and whether the product comes in sizes and
colours. The same count and seed always give the same file.

    write_feed(Path("feed.csv"), 10_000, seed=7)
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

COLUMNS = (
    "id",
    "title",
    "description",
    "availability",
    "condition",
    "price",
    "link",
    "image_link",
    "brand",
    "item_group_id",
    "size",
    "color",
    "product_type",
)

ADJECTIVES = (
    ("Soft", "柔軟"),
    ("Classic", "經典"),
    ("Light", "輕量"),
    ("Warm", "保暖"),
    ("Handmade", "手作"),
    ("Organic", "有機"),
    ("Vintage", "復古"),
    ("Premium", "頂級"),
    ("Daily", "日常"),
    ("Mini", "迷你"),
)
MATERIALS = (
    ("Linen", "亞麻"),
    ("Cotton", "純棉"),
    ("Wool", "羊毛"),
    ("Silk", "絲綢"),
    ("Leather", "真皮"),
    ("Bamboo", "竹製"),
    ("Ceramic", "陶瓷"),
    ("Canvas", "帆布"),
)


@dataclass(frozen=True)
class Kind:
    en: str
    zh: str
    product_type: str
    sized: bool
    base_price: int


KINDS = (
    Kind("Shirt", "襯衫", "Apparel > Shirts", True, 890),
    Kind("Dress", "洋裝", "Apparel > Dresses", True, 1490),
    Kind("Jacket", "外套", "Apparel > Jackets", True, 2290),
    Kind("Scarf", "圍巾", "Accessories > Scarves", False, 690),
    Kind("Tote Bag", "托特包", "Accessories > Bags", False, 990),
    Kind("Mug", "馬克杯", "Home > Kitchen", False, 450),
    Kind("Cushion", "抱枕", "Home > Decor", False, 590),
    Kind("Tea Set", "茶具組", "Tea > Teaware", False, 1290),
    Kind("Oolong Tea", "烏龍茶", "Tea > 茶葉", False, 380),
)
SIZES = ("S", "M", "L")
COLORS = ("Red", "Blue", "Black", "White", "Green", "Beige")
BRANDS = ("Island", "Formosa", "Harbor", "Lantern")


def write_feed(path: Path, count: int, seed: int = 7) -> Path:
    """Writes a feed of `count` products (several rows each for sized products) to `path`."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for number in range(count):
            writer.writerows(_product_rows(number, rng))
    return path


def _product_rows(number: int, rng: random.Random) -> list[list[str]]:
    adjective, material = rng.choice(ADJECTIVES), rng.choice(MATERIALS)
    kind = KINDS[number % len(KINDS)]
    group = f"P{number:06d}"
    title = f"{adjective[0]} {material[0]} {kind.en} {adjective[1]}{material[1]}{kind.zh}"
    price = f"{kind.base_price + 10 * rng.randrange(0, 60)} TWD"
    common = {
        "title": title,
        "description": f"{material[0]} {kind.en.lower()} made in Taiwan. 台灣製造的{material[1]}{kind.zh}。",
        "condition": "new",
        "price": price,
        "link": f"https://shop.example/products/{group.lower()}",
        "image_link": f"https://shop.example/images/{group.lower()}.jpg",
        "brand": rng.choice(BRANDS),
        "product_type": kind.product_type,
    }
    if not kind.sized:
        return [_row({**common, "id": group, "availability": "in stock", "color": rng.choice(COLORS)})]
    colors = rng.sample(COLORS, 2)
    return [
        _row(
            {
                **common,
                "id": f"{group}-{size}-{color[:3].upper()}",
                "item_group_id": group,
                "availability": "in stock",
                "size": size,
                "color": color,
            }
        )
        for size in SIZES
        for color in colors
    ]


def _row(values: dict[str, str]) -> list[str]:
    return [values.get(column, "") for column in COLUMNS]
