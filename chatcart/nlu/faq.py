"""FAQ retrieval: the shop's question variants compared with what the customer wrote."""

from __future__ import annotations

from collections.abc import Sequence

from chatcart.commerce.content import FaqEntry
from chatcart.nlu.text import normalise, similarity

#: Below this similarity an FAQ answer would be a guess; the bot says it is unsure instead.
MATCH_THRESHOLD = 0.55


def best_faq(text: str, entries: Sequence[FaqEntry]) -> tuple[FaqEntry | None, float]:
    query = normalise(text)
    best: tuple[FaqEntry | None, float] = (None, 0.0)
    for entry in entries:
        score = max((similarity(query, normalise(q)) for q in entry.all_questions()), default=0.0)
        if score > best[1]:
            best = (entry, score)
    return best if best[1] >= MATCH_THRESHOLD else (None, best[1])
