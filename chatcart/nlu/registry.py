"""Understanders by name, so configuration (`CHATCART_UNDERSTANDER`) chooses one and a new
one is a module plus a line here. An unknown name stops start-up with the known names."""

from __future__ import annotations

from collections.abc import Callable

from chatcart.nlu.interface import Understander
from chatcart.nlu.keywords import KeywordUnderstander

UNDERSTANDERS: dict[str, Callable[[], Understander]] = {"keyword": KeywordUnderstander}


def understander_named(name: str) -> Understander:
    factory = UNDERSTANDERS.get(name)
    if factory is None:
        known = ", ".join(sorted(UNDERSTANDERS))
        raise ValueError(f"unknown understander {name!r}; known: {known}")
    return factory()
