"""The checks that keep the language model honest, in code rather than in its prompt.

A prompt is a request; these are the rules the engine enforces whatever the model does:
tool arguments are parsed as untrusted data (bad JSON, wrong types and out-of-range values
are a failed step), quantities are bounded, and a final answer may state a number (a
price, an amount, a stock count) or a link only when that turn's tool results carried it
in a field the shop wrote as a fact — never from a product description, a customer's
message or the model's own imagination (ADR 14).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from chatcart.commerce.catalog import Product

#: How many of one item the model may put in the cart in one call: a customer who wants
#: more says so in words, and the cart's own limits still apply after this.
MAX_QUANTITY = 10
#: Longer tool arguments are not parsed: no tool needs more, and a huge one is an attack.
MAX_ARGUMENT_CHARS = 2000
#: A final answer longer than this is not sent: a chat reply, not an essay.
MAX_ANSWER_CHARS = 1500

#: Numbers as written in prices, stock and totals: 880, 1,780, 880.00, 12.5. A number glued
#: to letters before it (APP-001, CC-ABCD-3456, x2) is part of a code, not a quantity.
_NUMBER = re.compile(r"(?<![A-Za-z0-9])(?<![A-Za-z]-)(\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?)")
_LINK = re.compile(r"(?:https?://|www\.)[^\s<>\"'()\[\]{}]+", re.IGNORECASE)
_LINK_END = ".,;:!?。，；：！？」』"


class StepFailed(Exception):
    """A tool call the engine refuses; its message goes back to the model as the result."""


def parse_arguments(raw: str) -> dict[str, Any]:
    """The model's arguments as a JSON object, or `StepFailed`."""
    if len(raw) > MAX_ARGUMENT_CHARS:
        raise StepFailed("arguments too long")
    try:
        parsed = json.loads(raw or "{}")
    except ValueError as bad:
        raise StepFailed("arguments must be a JSON object") from bad
    if not isinstance(parsed, dict):
        raise StepFailed("arguments must be a JSON object")
    return parsed


def text_arg(args: dict[str, Any], name: str, limit: int = 200, required: bool = True) -> str | None:
    """A string argument, stripped and bounded; None when optional and absent."""
    value = args.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise StepFailed(f"{name} must be a non-empty string")
    return value.strip()[:limit]


def quantity_arg(args: dict[str, Any]) -> int:
    """1 unless the model says otherwise; a whole number from 1 to MAX_QUANTITY or refused."""
    value = args.get("quantity", 1)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise StepFailed("quantity must be a whole number")
    if not 1 <= value <= MAX_QUANTITY:
        raise StepFailed(f"quantity must be between 1 and {MAX_QUANTITY}")
    return value


def price_arg(args: dict[str, Any], name: str) -> Decimal | None:
    """An optional positive amount (a budget), as a number or a numeric string."""
    value = args.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise StepFailed(f"{name} must be a number")
    try:
        amount = Decimal(str(value))
    except InvalidOperation as bad:
        raise StepFailed(f"{name} must be a number") from bad
    if not amount.is_finite() or amount <= 0:
        raise StepFailed(f"{name} must be a positive number")
    return amount


@dataclass
class Evidence:
    """What the turn's tool results established: the numbers and links the answer may
    repeat, and the products found (shown instead of an answer that claims more)."""

    numbers: set[str] = field(default_factory=set)
    links: set[str] = field(default_factory=set)
    products: list[Product] = field(default_factory=list)

    def trust(self, value: Any) -> None:
        """Records the facts in a structured tool result (never a free-text description)."""
        written = json.dumps(value, ensure_ascii=False, default=str)
        self.links |= links_in(written)
        self.numbers |= numbers_in(_LINK.sub(" ", written))

    def found(self, products: Iterable[Product]) -> None:
        known = {p.id for p in self.products}
        self.products += [p for p in products if p.id not in known]


def numbers_in(text: str) -> set[str]:
    """The numbers in a text, canonical: "NT$1,780" and "1780.00" are both "1780"."""
    found = set()
    for match in _NUMBER.finditer(unicodedata.normalize("NFKC", text)):
        number = Decimal(match.group(1).replace(",", "")).normalize()
        found.add(format(number, "f"))
    return found


def links_in(text: str) -> set[str]:
    return {match.group(0).rstrip(_LINK_END) for match in _LINK.finditer(unicodedata.normalize("NFKC", text))}


def ungrounded(answer: str, evidence: Evidence) -> list[str]:
    """The numbers and links of an answer that no tool result of the turn established; an
    empty list means the answer may be sent."""
    links = links_in(answer)
    numbers = numbers_in(_LINK.sub(" ", unicodedata.normalize("NFKC", answer)))
    return sorted((numbers - evidence.numbers) | (links - evidence.links))
