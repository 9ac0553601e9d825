"""The shop itself and its written content: workspace settings, FAQ entries and the
intents a shop teaches the bot."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from chatcart.core.text import LocalizedText


@dataclass(frozen=True)
class Workspace:
    """One shop. Nothing of one workspace is ever visible from another."""

    id: str
    name: LocalizedText
    lang: str
    currency: str
    timezone: str


@dataclass(frozen=True)
class FaqEntry:
    id: str
    questions: LocalizedText | dict[str, list[str]]
    answer: LocalizedText

    def all_questions(self) -> tuple[str, ...]:
        found: list[str] = []
        for value in self.questions.values():
            found.extend([value] if isinstance(value, str) else value)
        return tuple(found)

    def title(self, lang: str) -> str:
        """The first question in `lang`, used as the button title."""
        value = (
            self.questions.get(lang) or self.questions.get("en") or next(iter(self.questions.values()), "")
        )
        return value if isinstance(value, str) else (value[0] if value else self.id)


@dataclass(frozen=True)
class ShopIntent:
    """Something this shop's customers ask that no built-in intent covers ("do you sell
    wholesale?", "can I book a tasting?"), taught by a few example phrases per language.
    Recognised, it is answered with `answer`; `hand_off` also asks a person to join (a
    wholesale buyer is worth a person's time)."""

    id: str
    examples: Mapping[str, tuple[str, ...]]
    answer: LocalizedText
    hand_off: bool = False

    def all_examples(self) -> tuple[str, ...]:
        return tuple(e for phrases in self.examples.values() for e in phrases)


@dataclass(frozen=True, eq=False)
class ShopIntents:
    """A shop's intents with a fingerprint of their content: an understander trains one
    model per fingerprint, so an edit is learnt once and an unchanged set never again."""

    intents: tuple[ShopIntent, ...] = ()

    @cached_property
    def fingerprint(self) -> str:
        canonical = json.dumps(
            [[i.id, dict(i.examples), dict(i.answer), i.hand_off] for i in self.intents],
            ensure_ascii=False,
            sort_keys=True,
        )
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]

    def named(self, intent_id: str) -> ShopIntent | None:
        return next((i for i in self.intents if i.id == intent_id), None)

    def __bool__(self) -> bool:
        return bool(self.intents)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ShopIntents) and other.fingerprint == self.fingerprint

    def __hash__(self) -> int:
        return hash(self.fingerprint)
