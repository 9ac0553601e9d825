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

from chatcart.nlu.text import contains_term, has_cjk, normalise

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
    rest = _ADDRESS.sub(" ", rest)
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


def is_chatter(text: str) -> bool:
    """Laughter, a greeting, thanks or emoji alone: nothing a data question can take."""
    folded = " ".join(re.sub(r"[!！.。~～,，?？]+", " ", normalise(text)).split())
    if not any(ch.isalnum() for ch in folded):
        return True
    return any(term == folded for term, _ in _lexicon()["chatter"])


def policy_words_only(text: str, complaint_word: str) -> bool:
    """Whether a complaint word found in the text is one that may only ask a policy (退貨,
    refund), not one that says something went wrong."""
    return any(term == complaint_word for term, _ in _lexicon()["policy"])


#: A street address inside a message ("改寄到我家 台北市信義路20巷8號", "No. 8, Lane 20, Xinyi Rd").
_ADDRESS = re.compile(
    r"[\u4e00-\u9fff0-9]{2,}(?:路|街|大道)[\u4e00-\u9fff0-9段巷弄之-]*號(?:[0-9]+樓)?(?:之[0-9]+)?"
    r"|(?:\d+f,?\s*)?(?:no\.?\s*)?\d+[a-z]?,?\s+(?:(?:lane|ln|alley|aly|sec\.?|section)\s*\d+,?\s+)*"
    r"[a-z .']+?\s(?:rd|road|st|street|ave|avenue|blvd)\b\.?(?:,\s*[a-z' ]+){0,3}",
    re.IGNORECASE,
)


def find_address(text: str) -> str | None:
    """The street address a message carries, as typed, or None."""
    found = _ADDRESS.search(text)
    return found.group(0).strip(" ,") if found else None


_CODE = re.compile(r"(?<![A-Za-z0-9])([A-Za-z0-9]{4,20})(?![A-Za-z0-9])")


def code_candidates(text: str) -> list[str]:
    """Words that could be a coupon code ("SAVE10" in "我有優惠碼 SAVE10"), upper-cased."""
    return [m.upper() for m in _CODE.findall(text) if any(ch.isdigit() for ch in m) or m.isupper()]


def empties_cart(text: str) -> bool:
    """Everything in the cart at once ("remove everything", "清空購物車", "兩個都不要了")."""
    folded = normalise(text)
    return any(contains_term(folded, term) for term, _ in _lexicon()["everything"])


def asks_shipping_fee(text: str) -> bool:
    """A question about shipping costs ("運費多少", "how much is shipping?"): the shop's own
    fees answer it, never a guess."""
    folded = normalise(text)
    return any(contains_term(folded, term) for term, _ in _lexicon()["shipping_fee"])


def cheaper_words() -> list[str]:
    """The words that ask for something cheaper, longest first (to take them out of a text)."""
    return [term for term, _ in _lexicon()["cheaper"]]


def asks_cheaper(text: str) -> bool:
    """ "Cheaper?", "有沒有便宜一點的", "za drogie": the same kind of product for less."""
    folded = normalise(text)
    return any(contains_term(folded, term) for term, _ in _lexicon()["cheaper"])


def is_yes_or_no(text: str) -> bool:
    """The whole message is a yes or a no ("好", "ok", "不用", "none"): an answer, never a
    name or a detail."""
    folded = " ".join(re.sub(r"[!！.。~～,，]+", " ", normalise(text)).split())
    return any(term == folded for group in ("agree", "no_coupon") for term, _ in _lexicon()[group])


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


def asks_recommendation(text: str) -> bool:
    """A bare request for recommendations ("recommend something", "有什麼推薦", "おすすめは",
    "co polecacie"): a recommendation word and only filler around it. A message that also
    names what it wants ("推薦 烏龍茶", "recommend a tea") is a search and is searched."""
    folded = " ".join(re.sub(r"[?？!！.。,，~～]+", " ", normalise(text)).split())
    groups = _lexicon()
    if not any(contains_term(folded, term) for term, _ in groups["recommend"]):
        return False
    words = sorted([*groups["recommend"], *groups["recommend_filler"]], key=lambda pair: -len(pair[0]))
    for term, _ in words:
        folded = _without(folded, term)
    return not folded.strip()


def _without(text: str, term: str) -> str:
    """The text with every occurrence of the term taken out: as a whole word in Latin script."""
    if has_cjk(term) or not term[:1].isalnum():
        return text.replace(term, " ")
    return re.sub(rf"(?<![^\W\d_]){re.escape(term)}(?![^\W\d_])", " ", text)
