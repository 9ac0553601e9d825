"""The intents a shop teaches from a few example phrases (commerce.content.ShopIntent), as
each understander recognises them.

The keyword understander retrieves them as it retrieves FAQ entries: the examples are the
questions, the answer is the answer (nlu/faq.py, with its tuned threshold). The trained
understander learns them as classes beside the commerce intents (`shop_classifier`): a
message is the shop's "wholesale" only when it is closer to those phrases than to "where is
my order" or to anything out of scope, which a retriever that sees only the shop's phrases
cannot tell.
"""

from __future__ import annotations

from functools import lru_cache

from chatcart.commerce.content import FaqEntry, ShopIntents
from chatcart.nlu.faq import best_faq

#: Labels of shop intents inside a trained model, apart from the commerce labels.
SHOP_LABEL = "shop:"


def shop_label(intent_id: str) -> str:
    return SHOP_LABEL + intent_id


def shop_intent_of(label: str) -> str | None:
    """The shop intent's id a model's label names, or None for a commerce label."""
    return label.removeprefix(SHOP_LABEL) if label.startswith(SHOP_LABEL) else None


@lru_cache(maxsize=64)
def as_faq_entries(intents: ShopIntents) -> tuple[FaqEntry, ...]:
    """One object per content, so the FAQ retriever's index cache keeps one index each."""
    return tuple(
        FaqEntry(i.id, {lang: list(phrases) for lang, phrases in i.examples.items()}, i.answer)
        for i in intents.intents
    )


def retrieved_shop_intent(text: str, intents: ShopIntents, min_score: float = 0.0) -> str | None:
    """The shop intent whose examples (and answer) the text is closest to, above the FAQ
    retriever's threshold (and `min_score`) and clearly ahead of the next; None otherwise."""
    if not intents:
        return None
    entry, score = best_faq(text, as_faq_entries(intents))
    return entry.id if entry is not None and score >= min_score else None
