"""The demo's product pictures speak no language: a customer reading Chinese or English sees
the same drawing, and the words they read come from the chat and the page, translated."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from chatcart.demo.loader import IMAGES_DIR, read_demo

SVG = "{http://www.w3.org/2000/svg}"
#: SVG elements that carry words (drawn, or read out as a tooltip or by a screen reader).
WORDS = {f"{SVG}{tag}" for tag in ("text", "tspan", "textPath", "title", "desc")}
IMAGES = sorted(IMAGES_DIR.glob("*.svg"))


def test_every_product_has_its_picture() -> None:
    named = {product["image"] for product in read_demo()["products"]}

    assert named == {path.name for path in IMAGES}, "each product names one picture and each picture is used"


@pytest.mark.parametrize("path", IMAGES, ids=lambda p: p.stem)
def test_a_picture_has_no_words(path: Path) -> None:
    root = ET.parse(path).getroot()

    wordy = sorted({element.tag.removeprefix(SVG) for element in root.iter() if element.tag in WORDS})
    loose_text = [element.text for element in root.iter() if element.text and element.text.strip()]
    assert not wordy, f"{path.name} carries words in {wordy}"
    assert not loose_text, f"{path.name} carries text {loose_text}"
    assert "aria-label" not in ET.tostring(root, encoding="unicode"), (
        f"{path.name} names itself in one language"
    )


@pytest.mark.parametrize("path", IMAGES, ids=lambda p: p.stem)
def test_a_picture_draws_something_on_a_square_canvas(path: Path) -> None:
    root = ET.parse(path).getroot()

    assert root.get("viewBox") == "0 0 400 400", f"{path.name} keeps the square card canvas"
    assert root.find(f"{SVG}g") is not None, f"{path.name} has an illustration"
