"""The checkout's choices in the customer's own words ("7-11", "貨到付款", "沒有"), and the
words that turn a message into a change of the order ("改成", "drop", "不要了").

A checkout answer typed instead of tapped must mean what the button means; these are the
words people type for each button, in every language the shop speaks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from chatcart.nlu.text import contains_term, normalise

#: A question mark, or a sentence-final particle that makes a Chinese/Japanese question.
_QUESTION_END = re.compile(r"(?:[?？]|[嗎呢吗か])\s*[!！。.~～]*\s*$")
_QUESTION_START = re.compile(
    r"^(?:how|what|when|where|why|which|who|can|could|do|does|did|is|are|will|would|should)\b"
)
_QUESTION_WORDS = (
    *("多久", "幾天", "幾點", "多少", "怎麼", "如何", "為什麼", "什麼", "哪裡", "哪裏", "哪家", "哪一"),
    *("能不能", "可不可以", "可否", "能否", "是否", "請問", "有沒有", "會不會", "要不要"),
)


@dataclass(frozen=True)
class Choices:
    """What a message says about the checkout: each field None/False when it says nothing."""

    shipping: str | None = None
    carrier: str | None = None
    payment: str | None = None
    no_coupon: bool = False
    mentions_coupon: bool = False
    removal: bool = False
    change: bool = False
    addition: bool = False


@cache
def _lexicon() -> dict[str, list[tuple[str, str]]]:
    """Per group, (normalised term, value) pairs, longest term first."""
    raw = yaml.safe_load((Path(__file__).parent / "choices.yaml").read_text(encoding="utf-8"))
    groups: dict[str, list[tuple[str, str]]] = {}
    for group, body in raw.items():
        pairs = (
            [(normalise(str(w)), str(value)) for value, words in body.items() for w in words]
            if isinstance(body, dict)
            else [(normalise(str(w)), "1") for w in body]
        )
        groups[str(group)] = sorted(pairs, key=lambda pair: -len(pair[0]))
    return groups


def _find(text: str, group: str) -> tuple[str | None, str]:
    """The value of the longest term of the group in the text, and the text without it."""
    for term, value in _lexicon()[group]:
        if contains_term(text, term):
            return value, text.replace(term, " ", 1)
    return None, text


def find_choices(text: str) -> tuple[Choices, str]:
    """The choices named in a normalised text, and the text left for product search."""
    payment, rest = _find(text, "payment")
    carrier, rest = _find(rest, "carrier")
    shipping, rest = _find(rest, "shipping")
    coupon, rest = _find(rest, "coupon")
    removal, rest = _find(rest, "removal")
    change, rest = _find(rest, "change")
    addition, rest = _find(rest, "addition")
    declined, _ = _find(" ".join(rest.split()), "no_coupon")
    choices = Choices(
        shipping="store" if carrier else shipping,
        carrier=carrier,
        payment=payment,
        no_coupon=declined is not None and not removal,
        mentions_coupon=coupon is not None,
        removal=removal is not None,
        change=change is not None,
        addition=addition is not None,
    )
    return choices, " ".join(rest.split())


def without_carrier(text: str) -> str:
    """A store typed with its chain ("7-11 大安門市", "FamilyMart Shida"): the store alone."""
    folded = normalise(text)
    for term, _ in _lexicon()["carrier"]:
        if folded.startswith(term):
            return text[len(term) :].strip(" -:：,，") or text
    return text


def agrees(text: str) -> bool:
    """The whole message is a yes ("好", "ok!", "確認下單"), not a sentence that contains one."""
    folded = " ".join(re.sub(r"[!！.。~～,，]+", " ", normalise(text)).split())
    return any(term == folded for term, _ in _lexicon()["agree"])


def is_question(text: str) -> bool:
    """A question by its form: the bot answers it and then repeats its own question."""
    folded = normalise(text)
    if _QUESTION_END.search(folded) or _QUESTION_START.search(folded):
        return True
    return any(word in folded for word in _QUESTION_WORDS)
