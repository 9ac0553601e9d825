"""How a customer feels about the shop, from one chat message: pleased, neutral or not,
whether they are angry (a person should answer at once) and whether it is urgent.

Why a lexicon and rules, not a model: nothing may be downloaded, the shop must be able to
see why a message was flagged, and a message must cost well under a millisecond. The rules
are the ones the field's offline tools (VADER and its kin) use, made to work on text
without spaces: every entry of `sentiment_words.yaml` is found as a substring of the
normalised message, longest first, so "不錯" is praise and not "不" + "錯"; Latin entries
are whole words, or stems for Polish inflection ("niezadowolon*").

A message is read clause by clause (punctuation, and spaces in Chinese, end a clause):

- each feeling word weighs what the lexicon says, times the intensifiers and diminishers
  right before it ("very", "超", "有點"); a negator a few words before it ("not", "不",
  "nie") or, in Japanese, after it ("良くない") turns it around at a little less strength,
  so "not bad" is mildly good and "不太好用" is bad;
- in a question that is not a complaint ("會不會壞掉", "does it break easily?") feelings
  are hypothetical and count little; "why…", "到底…" keep theirs;
- after "but", "但是", "ale", "でも" the feeling counts more, before it less;
- "!!", "??", words in capitals and emoji add force; thanks beside a question or a request
  are politeness, not praise.

The sum is squashed into -1..1. Angry: an insult, a threat or open anger in the lexicon, a
strongly negative message, or a negative one said with force (capitals, "!!", "到底").
Urgent: words of time pressure or escalation, time words ("today") in a request, or anger.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import opencc
import yaml

from chatcart.nlu.language import detect_language
from chatcart.nlu.text import has_cjk, normalise, without_marks

_WORDS_FILE = Path(__file__).with_name("sentiment_words.yaml")
_CJK_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")

#: How much of its weight a negated word keeps, turned around ("not good" is less bad
#: than "bad"): VADER's factor, rounded.
_NEGATED = -0.75
#: What a feeling in a plain question keeps ("is it easy to break?" complains of nothing).
_IN_QUESTION = 0.3
#: What thanks keep beside a question or a request ("thanks, do you have size M?").
_POLITE_THANKS = 0.3
#: Before and after a contrast word ("it's ok but the strap is too short").
_BEFORE_CONTRAST, _AFTER_CONTRAST = 0.5, 1.5
#: Added to the sum's size per "!" (at most four) and per "?" beyond the first (at most three).
_EXCLAMATION, _QUESTION_MARKS = 0.3, 0.2
#: A shouted message with no praise in it ("WHERE IS MY ORDER") counts as this complaint.
_SHOUTED = -2.0
#: Normalisation of the sum into -1..1: sum / sqrt(sum² + _ALPHA), as VADER does.
_ALPHA = 15.0
#: Where a score reads as positive and as negative (between them: neutral).
POSITIVE_FROM, NEGATIVE_FROM = 0.2, -0.2
#: Angry when the score is this low, or this low and said with force.
_ANGRY_FROM, _ANGRY_WITH_FORCE_FROM = -0.78, -0.4
#: How far a negator reaches (Latin words or CJK characters), and a modifier (next unit).
_NEGATION_REACH, _MODIFIER_REACH = 3, 1
#: How far after a word a Japanese negation may follow (満足して|い|ません).
_POST_NEGATION_REACH = 3

#: Where a clause ends: punctuation, and a space beside Chinese or Japanese, which chat
#: uses as a comma ("不錯喔 謝謝").
_CLAUSE_END = re.compile(
    r"[.!?;,。、…~〜\n]|(?<=[\u3040-\u30ff\u3400-\u9fff]) | (?=[\u3040-\u30ff\u3400-\u9fff])"
)
#: A Latin word or one CJK character (a kana's voicing mark, split off by decomposition, is
#: no character of its own).
_UNIT = re.compile(r"[a-z0-9'+]+|[\u3040-\u3098\u309b-\u30ff\u3400-\u9fff\uf900-\ufaff]")
#: What a sarcastic opener may hold beside its praise: "oh great", "さすがですね".
_OPENER_REST = 3
_ELONGATED = re.compile(r"([a-z])\1{2,}")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")
#: An English clause that opens as a question: an auxiliary and its subject ("does it…",
#: "can I…"; not "will definitely buy again"), or a question word.
_QUESTION_OPENING = re.compile(
    r"^(?:(?:do|does|did|is|are|was|were|will|would|can|could|should|may|might|has|have)\s+"
    r"(?:you|u|it|i|we|they|he|she|this|that|these|those|the|there|my|your|a|an|any)\b"
    r"|(?:how|what|what's|whats|when|where|which|who|wat|any)\b)"
)
#: "??", "?!": a question asked in anger is no plain question ("are you kidding me??").
_RHETORICAL = re.compile(r"\?[?!]|![?]")
_QUESTION_PARTICLE = re.compile(r"[嗎呢]$")
#: Capitals that are names, not shouting ("OK", "COD", "XL", "DHL").
_ACRONYMS = frozenset(
    (
        *("OK", "COD", "ATM", "DHL", "UPS", "USPS", "EMS", "TNT", "SF", "ID", "XS", "XL", "XXL", "XXXL"),
        *("CP", "FAQ", "SMS", "LINE", "PM", "AM", "NT", "NTD", "TWD", "USD", "PLN", "EUR", "VAT"),
        *("UOKIK", "BLIK", "GPS", "LED", "USB", "QR", "SKU", "TV", "PC", "TW", "CN", "JP", "PL", "HK"),
        *("ASAP", "LOL", "OMG", "DM", "PS"),
    )
)


@dataclass(frozen=True)
class Feeling:
    """What a message says about the customer's mood, for routing and for a person."""

    score: float  # -1.0 (furious) .. 0 (neutral) .. +1.0 (delighted)
    angry: bool  # strongly negative: anger, an insult, a threat, or a complaint said with force
    urgent: bool  # time pressure or escalation, or an angry message


@dataclass(frozen=True)
class _Entry:
    """One lexicon entry with every role it plays (a word may intensify and praise)."""

    weight: float = 0.0
    angry: bool = False
    thanks: bool = False
    boost: float = 1.0
    negator: bool = False
    post_negator: bool = False
    contrast: bool = False
    urgent: bool = False
    deadline: bool = False
    calm: bool = False
    question: bool = False
    complaint: bool = False
    request: bool = False
    force: bool = False
    modified_only: bool = False
    emoji: bool = False
    stem: bool = False

    @property
    def modifies(self) -> bool:
        return self.boost != 1.0 or self.negator


@dataclass(frozen=True)
class _Lexicon:
    entries: Mapping[str, _Entry]
    #: Per first character, the lengths of the entries that start with it, longest first.
    lengths: Mapping[str, tuple[int, ...]]


@dataclass(frozen=True)
class _Hit:
    entry: _Entry
    start: int
    end: int
    clause: int


@dataclass(frozen=True)
class _Clause:
    start: int
    end: int
    question: bool
    complaint: bool


_WEIGHTED = ("positive", "negative", "angry", "thanks")
_BOOSTS = ("intensifiers", "diminishers")
_FLAGS = {
    "negators": "negator",
    "post_negators": "post_negator",
    "contrast": "contrast",
    "urgent": "urgent",
    "deadline": "deadline",
    "calm": "calm",
    "question": "question",
    "complaint": "complaint",
    "request": "request",
    "force": "force",
    "modified_only": "modified_only",
}


def feeling(text: str, lang: str | None = None) -> Feeling:
    """The customer's feeling in one message; `lang` is the conversation's language (en,
    zh-TW, zh-CN, ja, pl…), detected from the text when None."""
    folded = _fold(text)
    lexicon = _lexicon_for(_languages(text, lang))
    hits, clauses = _clauses(folded, _scan(folded, lexicon))
    total = _sum(folded, hits, clauses)
    shouted, emphatic = _capitals(text)
    total = _with_punctuation(folded, total)
    if shouted:
        total = total * 1.3 if total > 0 else total + _SHOUTED
    elif emphatic and total != 0:
        total *= 1.2
    score = total / math.sqrt(total * total + _ALPHA)
    force = shouted or emphatic or _punctuation_force(folded) or any(h.entry.force for h in hits)
    angry = _is_angry(score, force, hits, folded)
    urgent = angry or _is_urgent(hits)
    return Feeling(score=round(score, 3), angry=angry, urgent=urgent)


def _fold(text: str) -> str:
    """The form both lexicon and message are matched in: normalised (width, case, one
    Chinese script), without diacritics ("paczke" meets "paczkę"), typographic apostrophes
    straightened and letters stretched for effect shortened ("sooo" → "soo")."""
    folded = without_marks(normalise(text.replace("’", "'")))
    folded = _CJK_CHAR.sub(lambda match: _simplified(match.group()), folded)
    return _ELONGATED.sub(r"\1\1", folded)


#: Characters are what customers send; the cache is bounded by this, not by them.
_CHARACTERS_REMEMBERED = 8192
#: Lexicons per tuple of languages: a handful in practice, bounded whatever arrives.
_LEXICONS_REMEMBERED = 32


@lru_cache(maxsize=_CHARACTERS_REMEMBERED)
def _simplified(char: str) -> str:
    """One Chinese character in Simplified script, converted alone. `normalise` converts
    whole phrases, and a phrase may come out otherwise than its characters alone (讚 alone
    is 贊, in 太讚了 it stays 讚): character by character, entry and message always meet."""
    converted = _converted("tw2s", char)
    return converted if len(converted) == 1 else char


@lru_cache(maxsize=4)
def _converter(config: str) -> opencc.OpenCC:
    """The two OpenCC configurations this module uses (t2s, tw2s), built once each."""
    return opencc.OpenCC(config)


def _languages(text: str, lang: str | None) -> tuple[str, ...]:
    """The lexicons to read a message with: its own language's, the script's when it differs
    (Chinese typed in an English conversation), and English inside Chinese or Japanese chat
    ("這個size太小了", "nice")."""
    main = _family(lang or detect_language(text) or "en")
    languages = [main]
    if has_cjk(text):
        script = "ja" if _KANA.search(text) else "zh"
        if script not in languages:
            languages.append(script)
    if main in ("zh", "ja"):
        languages.append("en")
    return tuple(languages)


def _family(lang: str) -> str:
    base = lang.lower().split("-")[0].split("_")[0]
    return base if base in ("zh", "ja", "pl") else "en"


class _StrictLoader(yaml.SafeLoader):
    """YAML that refuses a key written twice: PyYAML would keep the second silently, and a
    second `-1.5:` group would drop every word of the first."""


def _unique_keys(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[object] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise ValueError(f"{_WORDS_FILE.name}, line {key_node.start_mark.line + 1}: {key!r} twice")
        seen.add(key)
    return loader.construct_mapping(node, deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_keys)


@cache
def _raw_words() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.load(_WORDS_FILE.read_text(encoding="utf-8"), Loader=_StrictLoader)
    return loaded


@lru_cache(maxsize=_LEXICONS_REMEMBERED)
def _lexicon_for(languages: tuple[str, ...]) -> _Lexicon:
    """One lexicon for the languages, the first one's entries winning a clash; emoji for all."""
    entries: dict[str, _Entry] = {
        key: replace(entry, emoji=True) for key, entry in _entries(_raw_words()["emoji"]).items()
    }
    for language in reversed(languages):
        entries.update(_entries(_raw_words()[language]))
    lengths: dict[str, set[int]] = {}
    for key in entries:
        lengths.setdefault(key[0], set()).add(len(key))
    return _Lexicon(entries, {first: tuple(sorted(sizes, reverse=True)) for first, sizes in lengths.items()})


def _entries(sections: Mapping[str, Any]) -> dict[str, _Entry]:
    """A language's sections as entries keyed by their folded text, roles merged."""
    entries: dict[str, _Entry] = {}

    def add(word: object, **roles: Any) -> None:
        if not isinstance(word, str):
            raise ValueError(f"{_WORDS_FILE.name}: {word!r} must be written as a string")
        stem = word.endswith("*") and not has_cjk(word)
        for key in _spellings(word.rstrip("*") if stem else word):
            entries[key] = replace(entries.get(key, _Entry()), stem=stem, **roles)

    for section, body in sections.items():
        if section in _WEIGHTED:
            for weight, words in body.items():
                _check_sign(section, float(weight))
                for word in words:
                    add(word, weight=float(weight), angry=section == "angry", thanks=section == "thanks")
        elif section in _BOOSTS:
            for boost, words in body.items():
                for word in words:
                    add(word, boost=float(boost))
        elif section in _FLAGS:
            for word in body:
                add(word, **{_FLAGS[section]: True})
        elif section != "neutral":
            raise ValueError(f"{_WORDS_FILE.name}: unknown section {section!r}")
    for word in sections.get("neutral", ()):
        add(word)
    return entries


def _spellings(word: str) -> set[str]:
    """The folded forms a message may show the entry in: a Chinese entry folded alone, in
    Simplified and in Traditional script (OpenCC converts phrases, and 著急/着急 fold
    differently in and out of a sentence)."""
    if not has_cjk(word):
        return {_fold(word)}
    return {_fold(form) for form in (word, _converted("tw2s", word), _converted("s2tw", word))}


def _converted(config: str, text: str) -> str:
    return str(_converter(config).convert(text))


def _check_sign(section: str, weight: float) -> None:
    if (section in ("positive", "thanks")) != (weight > 0):
        raise ValueError(f"{_WORDS_FILE.name}: weight {weight} does not belong in {section}")


def _is_word_char(char: str) -> bool:
    """Letters and digits of alphabetic scripts: where a Latin word goes on."""
    return char.isalnum() and ord(char) < 0x2E80


def _scan(text: str, lexicon: _Lexicon) -> list[_Hit]:
    """Every lexicon entry in the text, left to right, the longest at each position; Latin
    entries only from the start of a word."""
    hits: list[_Hit] = []
    position = 0
    while position < len(text):
        char = text[position]
        if _is_word_char(char) and position > 0 and _is_word_char(text[position - 1]):
            position += 1
            continue
        found = _longest_at(text, position, lexicon)
        if found is None:
            position = _word_end(text, position) if _is_word_char(char) else position + 1
            continue
        hits.append(found)
        position = _word_end(text, found.end) if found.entry.stem else found.end
    return hits


def _longest_at(text: str, position: int, lexicon: _Lexicon) -> _Hit | None:
    for length in lexicon.lengths.get(text[position], ()):
        end = position + length
        entry = lexicon.entries.get(text[position:end]) if end <= len(text) else None
        if entry is None:
            continue
        whole_word = not _is_word_char(text[end - 1]) or end == len(text) or not _is_word_char(text[end])
        if entry.stem or whole_word:
            return _Hit(entry, position, end, clause=0)
    return None


def _word_end(text: str, position: int) -> int:
    while position < len(text) and _is_word_char(text[position]):
        position += 1
    return position


def _clauses(text: str, hits: Sequence[_Hit]) -> tuple[list[_Hit], list[_Clause]]:
    """The hits with the number of the clause each stands in, and what each clause is: a
    question, a complaint."""
    ends = [match.start() for match in _CLAUSE_END.finditer(text)]
    spans, start = [], 0
    for end in [*ends, len(text)]:
        spans.append((start, end))
        start = end + 1
    placed, clause = [], 0
    for hit in hits:
        while hit.start >= spans[clause][1] and clause < len(spans) - 1:
            clause += 1
        placed.append(replace(hit, clause=clause))
    clauses = [_clause(text, span, [h for h in placed if h.clause == n]) for n, span in enumerate(spans)]
    return placed, clauses


def _clause(text: str, span: tuple[int, int], hits: Sequence[_Hit]) -> _Clause:
    start, end = span
    words = text[start:end].strip()
    asked = (
        text[end : end + 1] == "?"
        or any(h.entry.question for h in hits)
        or _QUESTION_OPENING.match(words) is not None
        or _QUESTION_PARTICLE.search(words) is not None
    )
    rhetorical = _RHETORICAL.match(text, end) is not None
    return _Clause(start, end, question=asked, complaint=rhetorical or any(h.entry.complaint for h in hits))


def _units(text: str, start: int, end: int, hits: Iterable[_Hit] = ()) -> int:
    """Words and CJK characters between two positions, not counting modifiers in between
    ("not very good": "very" does not take "good" out of the negator's reach)."""
    count = len(_UNIT.findall(text, start, end)) if end > start else 0
    for hit in hits:
        if hit.entry.modifies and not hit.entry.weight and start <= hit.start and hit.end <= end:
            count -= len(_UNIT.findall(text, hit.start, hit.end))
    return count


def _sum(text: str, hits: Sequence[_Hit], clauses: Sequence[_Clause]) -> float:
    """The message's feeling before punctuation: each feeling word weighed in its context,
    a sarcastic opener left out."""
    values = _values(text, hits, clauses)
    opener = [value for hit, value in values if hit.clause == 0]
    rest = sum(value for hit, value in values if hit.clause > 0)
    if opener and rest < 0 and _only_praise(text, hits, clauses):
        return rest
    return sum(value for _, value in values)


def _only_praise(text: str, hits: Sequence[_Hit], clauses: Sequence[_Clause]) -> bool:
    """Whether the first clause is a short word of praise and nothing else ("great,",
    "很好", "さすがですね"): followed by a complaint, it is sarcasm, not praise."""
    first = [hit for hit in hits if hit.clause == 0]
    praise = [hit for hit in first if hit.entry.weight > 0 and not hit.entry.thanks]
    if len(clauses) < 2 or not praise or any(h not in praise and not h.entry.modifies for h in first):
        return False
    return _units(text, 0, clauses[0].end) - sum(_units(text, h.start, h.end) for h in first) <= _OPENER_REST


def _values(text: str, hits: Sequence[_Hit], clauses: Sequence[_Clause]) -> list[tuple[_Hit, float]]:
    """Each feeling word with its weight in context."""
    contrast = max((h.start for h in hits if h.entry.contrast), default=-1)
    asks = any(clause.question for clause in clauses) or any(h.entry.request for h in hits)
    values: list[tuple[_Hit, float]] = []
    for index, hit in enumerate(hits):
        entry = hit.entry
        if not entry.weight or (entry.modifies and _governs(text, hits, index)):
            continue
        if entry.modified_only and not _modified(text, hits, index):
            continue
        value = entry.weight * _boost(text, hits, index)
        if not entry.thanks and not entry.emoji and _negated(text, hits, index):
            value *= _NEGATED
        clause = clauses[hit.clause]
        if clause.question and not clause.complaint and not entry.angry and not entry.emoji:
            value *= _IN_QUESTION
        if entry.thanks and asks:
            value *= _POLITE_THANKS
        if contrast >= 0:
            value *= _AFTER_CONTRAST if hit.start > contrast else _BEFORE_CONTRAST
        values.append((hit, value))
    return values


def _governs(text: str, hits: Sequence[_Hit], index: int) -> bool:
    """Whether a modifier that also has a feeling of its own ("super", "still not") bears on
    a feeling word after it, and so gives up its own feeling."""
    modifier = hits[index]
    reach = _NEGATION_REACH if modifier.entry.negator else _MODIFIER_REACH
    for later in hits[index + 1 :]:
        if later.clause != modifier.clause:
            return False
        if later.entry.weight:
            return _units(text, modifier.end, later.start, hits) <= reach
    return False


def _modified(text: str, hits: Sequence[_Hit], index: int) -> bool:
    """Whether an intensifier, diminisher or negator stands right before the word."""
    word = hits[index]
    earlier = hits[index - 1] if index > 0 else None
    return (
        earlier is not None
        and earlier.clause == word.clause
        and earlier.entry.modifies
        and _units(text, earlier.end, word.start) <= _NEGATION_REACH
    )


def _boost(text: str, hits: Sequence[_Hit], index: int) -> float:
    """The product of the intensifiers and diminishers right before a word, chained
    ("真的很扯": 真的 × 很)."""
    boost, cursor = 1.0, hits[index].start
    for earlier in reversed(hits[:index]):
        if earlier.clause != hits[index].clause or not earlier.entry.modifies:
            break
        if _units(text, earlier.end, cursor) > _MODIFIER_REACH:
            break
        boost *= earlier.entry.boost
        cursor = earlier.start
    return boost


def _negated(text: str, hits: Sequence[_Hit], index: int) -> bool:
    """A negator shortly before the word with no other feeling word between, or (Japanese)
    a negation right after it; both at once cancel out."""
    word = hits[index]
    before = False
    for earlier in reversed(hits[:index]):
        if earlier.clause != word.clause or (earlier.entry.weight and not earlier.entry.modifies):
            break
        if earlier.entry.negator:
            before = _units(text, earlier.end, word.start, hits) <= _NEGATION_REACH
            break
    after = False
    following = hits[index + 1] if index + 1 < len(hits) else None
    # Japanese anger is often said in the negative (ふざけないで, 二度と買わない): kept as is.
    if following is not None and following.entry.post_negator and following.clause == word.clause:
        after = not word.entry.angry and following.start - word.end <= _POST_NEGATION_REACH
    return before != after


def _with_punctuation(text: str, total: float) -> float:
    """Exclamation and question marks make a feeling stronger ("broken!!"); they do not
    give a neutral message one ("do you have it in red!!")."""
    if total == 0:
        return total
    sign = 1.0 if total > 0 else -1.0
    extra = _EXCLAMATION * min(text.count("!"), 4) + _QUESTION_MARKS * min(max(text.count("?") - 1, 0), 3)
    return total + sign * extra


def _punctuation_force(text: str) -> bool:
    return text.count("!") >= 2 or text.count("?") >= 2 or "?!" in text or "!?" in text


#: Capital words that make a shout: two in a Chinese or Japanese message are a brand
#: ("这个 POP MART 盲盒"), so there it takes three.
_SHOUTED_WORDS = 2
_SHOUTED_WORDS_AMID_CJK = 3


def _capitals(text: str) -> tuple[bool, bool]:
    """Shouted (most Latin words in capitals, two or more; three amid CJK) and emphatic (one capitalised
    word of three letters or more: "I want it NOW"); words with digits or hyphens are codes."""
    words = [word for word in map(_bare, text.split()) if len(word) >= 2 and _LATIN_WORD.fullmatch(word)]
    capitals = [word for word in words if word.isupper() and word not in _ACRONYMS]
    needed = _SHOUTED_WORDS_AMID_CJK if has_cjk(text) else _SHOUTED_WORDS
    shouted = len(capitals) >= needed and len(capitals) >= 0.6 * len(words)
    emphatic = not shouted and any(len(word) >= 3 for word in capitals)
    return shouted, emphatic


def _bare(token: str) -> str:
    """A typed token without the punctuation around it. Codes stay whole, so an order number
    (CC-334-AHN), a coupon (SUMMER20) or a model (SK-II) is never a shouted word."""
    return token.strip(".,!?;:'\"()[]{}…！？。，、")


def _is_angry(score: float, force: bool, hits: Sequence[_Hit], text: str) -> bool:
    """Strongly negative, negative and said with force, or negative with a word of anger,
    an insult or a threat in it that no negator takes back."""
    if score >= 0:
        return False
    if score <= _ANGRY_FROM or (force and score <= _ANGRY_WITH_FORCE_FROM):
        return True
    return any(
        hit.entry.angry and hit.entry.weight < 0 and not _negated(text, hits, index)
        for index, hit in enumerate(hits)
    )


def _is_urgent(hits: Sequence[_Hit]) -> bool:
    """Urgency said in words, a time word in a request ("can you ship today?"); "no rush"
    overrules both."""
    if any(hit.entry.calm for hit in hits):
        return False
    if any(hit.entry.urgent for hit in hits):
        return True
    return any(hit.entry.deadline for hit in hits) and any(hit.entry.request for hit in hits)
