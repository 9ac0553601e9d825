"""Understanders by name, so configuration (`CHATCART_UNDERSTANDER`) chooses one and a new
one is a module plus a line here. An unknown name stops start-up with the known names."""

from __future__ import annotations

from collections.abc import Callable

from chatcart.nlu.embeddings import WORDLLAMA
from chatcart.nlu.interface import Understander
from chatcart.nlu.keywords import KeywordUnderstander


def _trained() -> Understander:
    from chatcart.nlu.trained import TrainedUnderstander

    return TrainedUnderstander()


def _trained_with_embeddings() -> Understander:
    from chatcart.nlu.trained import TrainedUnderstander

    return TrainedUnderstander(embeddings=WORDLLAMA)


#: `trained` loads scikit-learn and trains at start-up (about a second), so it is imported
#: only when chosen; `trained-embeddings` needs `chatcart[embeddings]` (ADR 13).
UNDERSTANDERS: dict[str, Callable[[], Understander]] = {
    "keyword": KeywordUnderstander,
    "trained": _trained,
    "trained-embeddings": _trained_with_embeddings,
}


def understander_named(name: str) -> Understander:
    factory = UNDERSTANDERS.get(name)
    if factory is None:
        known = ", ".join(sorted(UNDERSTANDERS))
        raise ValueError(f"unknown understander {name!r}; known: {known}")
    return factory()
