"""The intents a shop teaches the bot: read from YAML (the file a shop keeps beside its FAQ,
and later the console's form), checked, stored, and picked up by every running process
on its next catalog refresh: no restart, and the model is retrained in about a second.

A file, as a shop writes it:

    - id: wholesale
      examples:
        en: [do you sell wholesale, bulk order for my cafe, what are your trade prices]
        zh-TW: [可以批發嗎, 大量訂購有優惠嗎, 店家進貨怎麼算]
      answer:
        en: We sell wholesale from 20 packs; a person will send you the price list.
        zh-TW: 20 包起可批發，專人會把價目表傳給您。
      hand_off: true
"""

from __future__ import annotations

import re
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from chatcart.commerce.content import ShopIntent, ShopIntents
from chatcart.core.errors import DomainError, NotFound
from chatcart.i18n.catalogue import language_tag, normalise_lang
from chatcart.services.runtime import Runtime
from chatcart.storage.catalog import (
    bump_catalog_version,
    get_workspace,
    load_shop_intents,
    replace_shop_intents,
)

#: Few-shot learning needs a few shots: with fewer phrases an intent is a keyword, not learnt.
MIN_EXAMPLES = 3
#: Bounds a file cannot pass, whoever writes it: the model trains in seconds within them.
MAX_INTENTS = 200
MAX_EXAMPLES = 200
MAX_PHRASE_CHARS = 300
MAX_ANSWER_CHARS = 2000
_INTENT_ID = re.compile(r"^[a-z][a-z0-9_]{1,63}$")

Phrase = Annotated[str, Field(min_length=1, max_length=MAX_PHRASE_CHARS)]


class _IntentFile(BaseModel):
    """One intent as written in the file; unknown keys are refused (a typo such as
    `handoff` must not be ignored silently)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    examples: dict[str, list[Phrase]]
    answer: dict[str, Annotated[str, Field(min_length=1, max_length=MAX_ANSWER_CHARS)]] = {}
    hand_off: bool = False

    @field_validator("id")
    @classmethod
    def _id_is_a_name(cls, value: str) -> str:
        if not _INTENT_ID.match(value):
            raise ValueError("an id is lower-case letters, digits and _, starting with a letter")
        return value

    @field_validator("examples", "answer")
    @classmethod
    def _languages_are_tags(cls, value: dict[str, object]) -> dict[str, object]:
        wrong = [lang for lang in value if language_tag(lang) is None]
        if wrong:
            raise ValueError(f"not a language: {', '.join(wrong)}")
        return value

    @model_validator(mode="after")
    def _learnable_and_answerable(self) -> _IntentFile:
        count = sum(len(phrases) for phrases in self.examples.values())
        if count < MIN_EXAMPLES:
            raise ValueError(f"{self.id}: at least {MIN_EXAMPLES} example phrases, {count} given")
        if count > MAX_EXAMPLES:
            raise ValueError(f"{self.id}: at most {MAX_EXAMPLES} example phrases, {count} given")
        if not self.answer and not self.hand_off:
            raise ValueError(f"{self.id}: an answer, or hand_off: true, or both")
        return self

    def intent(self) -> ShopIntent:
        examples: dict[str, tuple[str, ...]] = {}
        for lang, phrases in self.examples.items():
            key = normalise_lang(lang)
            examples[key] = examples.get(key, ()) + tuple(p.strip() for p in phrases)
        answer = {normalise_lang(lang): text.strip() for lang, text in self.answer.items()}
        return ShopIntent(self.id, examples, answer, self.hand_off)


def parse_intents(text: str) -> ShopIntents:
    """The intents of a YAML file, or `DomainError("invalid_intents")` saying what is wrong;
    an empty file or list means the shop has none."""
    try:
        raw = yaml.safe_load(text) or []
        if not isinstance(raw, list):
            raise ValueError("the file is a list of intents (- id: …)")
        if len(raw) > MAX_INTENTS:
            raise ValueError(f"at most {MAX_INTENTS} intents, {len(raw)} given")
        intents = tuple(_IntentFile.model_validate(item).intent() for item in raw)
        _refuse_repeats(intents)
    except (yaml.YAMLError, ValidationError, ValueError) as error:
        raise DomainError("invalid_intents", detail=_first_line(error)) from None
    return ShopIntents(intents)


def _refuse_repeats(intents: tuple[ShopIntent, ...]) -> None:
    """Two intents with one id, or one phrase taught as two intents: the model could only
    guess between them, so the shop is told which."""
    seen_ids: set[str] = set()
    taught: dict[str, str] = {}
    for intent in intents:
        if intent.id in seen_ids:
            raise ValueError(f"the id {intent.id} is used twice")
        seen_ids.add(intent.id)
        for phrase in intent.all_examples():
            key = phrase.casefold()
            other = taught.setdefault(key, intent.id)
            if other != intent.id:
                raise ValueError(f"{phrase!r} is an example of both {other} and {intent.id}")


def _first_line(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"{where}: {first['msg']}" if where else str(first["msg"])
    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        mark = error.problem_mark
        return f"line {mark.line + 1}, column {mark.column + 1}: {error.problem}"
    return str(error).splitlines()[0]


def set_intents(rt: Runtime, workspace_id: str, intents_yaml: str) -> ShopIntents:
    """Replaces a workspace's intents with those of a YAML file. The catalog version moves,
    so every process rebuilds its cached shop, and the understander learns the new set
    there, before a customer's turn needs it."""
    intents = parse_intents(intents_yaml)
    with rt.db.transaction() as session:
        if get_workspace(session, workspace_id) is None:
            raise NotFound("unknown_workspace", workspace=workspace_id)
        replace_shop_intents(session, workspace_id, intents)
        bump_catalog_version(session, workspace_id)
    return intents


def find_intents(rt: Runtime, workspace_id: str) -> ShopIntents:
    with rt.db.snapshot() as session:
        if get_workspace(session, workspace_id) is None:
            raise NotFound("unknown_workspace", workspace=workspace_id)
        return load_shop_intents(session, workspace_id)
