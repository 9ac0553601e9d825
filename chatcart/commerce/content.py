"""The shop itself and its written content: workspace settings and FAQ entries."""

from __future__ import annotations

from dataclasses import dataclass

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
