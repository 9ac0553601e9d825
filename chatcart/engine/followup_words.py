"""The words of a follow-up (`followup_words.yaml`): what makes "the second one", "紅色那個",
"the cheaper one" a choice among the cards just shown rather than a new search, "算了 我要…"
a new request rather than a cancel, and "swap the tea for the alishan one" a product
swapped in the order. Pure text work on normalised text; the skills decide what it means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

from chatcart.nlu.entities import CHINESE_DIGITS
from chatcart.nlu.text import has_cjk, normalise

_FILE = Path(__file__).parent / "followup_words.yaml"
#: A Latin letter on either side means a word goes on: "one" is not in "phone".
_LETTER = r"[a-z\u00c0-\u024f]"
#: Positions written with numbers: "2nd", "第2個", "第六款", "3番目", "2つ目", "#2".
_NUMBERED_POSITIONS = (
    re.compile(r"(?<![\d.])(\d{1,2})\s*(?:st|nd|rd|th)(?![a-z])"),
    re.compile(r"第\s*(\d{1,2}|[一二兩三四五六七八九十])\s*(?:個|件|款|包|罐|盒|瓶|組|雙|條|支|項|樣)?"),
    re.compile(r"(\d{1,2}|[一二三四五六七八九十])\s*(?:つ目|番目|個目)"),
    re.compile(r"#\s*(\d{1,2})(?!\d)"),
)
#: What an understander may leave of a position once it read its number as a quantity
#: ("第二個" → quantity 2, "第" left over).
_POSITION_LEFTOVER = re.compile(r"第(?![\u3400-\u9fff])")
_SEPARATORS = r"[\s,，.。!！、~～:：]*"


@dataclass(frozen=True)
class Swap:
    """A product swapped in words: what goes (empty when not said) and what comes instead."""

    old: str
    new: str


@cache
def _words() -> dict[str, Any]:
    raw: dict[str, Any] = yaml.safe_load(_FILE.read_text(encoding="utf-8"))
    return raw


def _terms(group: list[Any]) -> list[str]:
    """The group's words, normalised, longest first (so "last one" goes before "one")."""
    return sorted({normalise(str(word)) for word in group}, key=lambda word: (-len(word), word))


def _alternation(terms: list[str]) -> str:
    """One pattern for all the terms: Chinese and Japanese as they are, Latin as whole words."""
    parts = [re.escape(t) if has_cjk(t) else rf"(?<!{_LETTER}){re.escape(t)}(?!{_LETTER})" for t in terms]
    return "|".join(parts) if parts else r"(?!x)x"


@lru_cache(maxsize=16)
def _pattern(*path: str) -> re.Pattern[str]:
    """The pattern of one word group of the file ("pointers", or ("swap", "instead"))."""
    group: Any = _words()
    for key in path:
        group = group[key]
    return re.compile(_alternation(_terms(group)))


@cache
def _position_words() -> list[tuple[re.Pattern[str], int]]:
    ordinals: dict[Any, list[Any]] = _words()["ordinals"]
    return [(re.compile(_alternation(_terms(words))), int(position)) for position, words in ordinals.items()]


def position_named(text: str) -> int | None:
    """The card a message points at by its place (1 = first, -1 = last), or None."""
    folded = normalise(text)
    for pattern in _NUMBERED_POSITIONS:
        if found := pattern.search(folded):
            number = found.group(1)
            return int(number) if number.isdigit() else CHINESE_DIGITS[number]
    for pattern, position in _position_words():
        if pattern.search(folded):
            return position
    return None


def price_named(text: str) -> str | None:
    """ "cheapest" for "the cheaper one" / "最便宜的", "dearest" for "the pricier one", else None."""
    folded = normalise(text)
    for group in ("cheapest", "dearest"):
        if _pattern(group).search(folded):
            return group
    return None


def points(text: str) -> bool:
    """A word that points at something seen: "the red ONE", "紅色那個", "this"."""
    return _pattern("pointers").search(normalise(text)) is not None


def without_positions(text: str) -> str:
    """The text without the words that give a place ("第二個 兩包" → "兩包"), so a quantity
    read from it is a count, not the place."""
    folded = normalise(text)
    for pattern in (*_NUMBERED_POSITIONS, *(p for p, _ in _position_words())):
        folded = pattern.sub(" ", folded)
    return " ".join(folded.split())


def title_words(remainder: str, also: tuple[str, ...] = ()) -> str:
    """What is left of a follow-up to compare with the titles shown once the words that
    point (places, prices, "one", "那個"), the fillers and `also` (the colour or size said)
    are taken out: "the alishan one" → "alishan", "紅色那件M號" → "". Latin words shorter
    than three letters are left out too: they name no product ("go", "ok")."""
    folded = re.sub(_alternation(_terms(list(also))), " ", without_positions(remainder))
    for group in ("cheapest", "dearest", "pointers", "fillers"):
        folded = _pattern(group).sub(" ", folded)
    folded = _POSITION_LEFTOVER.sub(" ", folded)
    words = re.split(r"[\s,，.。!！?？、~～:：;；]+", folded)
    return " ".join(w for w in words if has_cjk(w) or (len(w) >= 3 and not w.isdigit()))


def after_never_mind(text: str) -> str | None:
    """The request after a never-mind that opens the message ("算了 我要凍頂 75g 兩包" →
    "我要凍頂 75g 兩包"), or None when none opens it or nothing follows."""
    folded = normalise(text)
    opener = re.match(
        rf"{_SEPARATORS}(?:{_alternation(_terms(_words()['never_mind']))}){_SEPARATORS}", folded
    )
    if opener is None:
        return None
    rest = folded[opener.end() :].strip()
    return rest or None


def swap_named(text: str) -> Swap | None:
    """A product swapped for another: "swap the tea for the alishan one", "switch to black
    tea", "凍頂換成阿里山", "我改成紅茶好了", "the alishan one instead"; None otherwise."""
    folded = normalise(text)
    return _instead_of(folded) or _verb_and_joiner(folded) or _chinese_joiner(folded) or _instead(folded)


def _split_terms(group: str) -> tuple[list[str], list[str]]:
    """The swap words of a group, Latin and Chinese apart."""
    terms = _terms(_words()["swap"][group])
    return [t for t in terms if not has_cjk(t)], [t for t in terms if has_cjk(t)]


def _verb_and_joiner(folded: str) -> Swap | None:
    verbs, _ = _split_terms("verbs")
    joiners, _ = _split_terms("joiners")
    found = re.search(
        rf"(?:{_alternation(verbs)})\s+(?P<old>.*?)\s*(?<!{_LETTER})(?:{_alternation(joiners)})\s+(?P<new>.+)$",
        folded,
    )
    return Swap(found.group("old").strip(), found.group("new").strip()) if found else None


def _chinese_joiner(folded: str) -> Swap | None:
    _, joiners = _split_terms("joiners")
    found = re.search(rf"(?P<old>.*?)(?:{_alternation(joiners)})(?P<new>.+)$", folded)
    return Swap(found.group("old").strip(), found.group("new").strip()) if found else None


def _instead(folded: str) -> Swap | None:
    found = _pattern("swap", "instead").search(folded)
    if found is None:
        return None
    rest = (folded[: found.start()] + " " + folded[found.end() :]).strip()
    return Swap("", rest) if rest else None


def _instead_of(folded: str) -> Swap | None:
    """ "the alishan one instead of the tea", "instead of the tea, the alishan one"."""
    joiner = _pattern("swap", "instead_of")
    found = re.search(rf"^(?:{joiner.pattern})\s+(?P<old>[^,，]+)[,，]\s*(?P<new>.+)$", folded)
    found = found or re.search(rf"^(?P<new>.+?)\s+(?:{joiner.pattern})\s+(?P<old>.+)$", folded)
    return Swap(found.group("old").strip(), found.group("new").strip()) if found else None
