"""Per-conversation state, persisted as JSON between turns (and across days)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class Owner(StrEnum):
    """Who answers the customer; stored on the conversation row only (services/ownership.py)."""

    BOT = "bot"
    HUMAN = "human"


class ConversationState(BaseModel):
    #: The unfinished step, e.g. "checkout.phone" or "variant.size"; None when idle.
    step: str | None = None
    #: Values collected by the current flow (slots) and its subject (product, sku).
    slots: dict[str, str] = Field(default_factory=dict)
    #: Consecutive customer messages the bot did not understand.
    misunderstood: int = 0
    #: Failed answers to the current step's question (wrong phone, unknown store, …).
    step_errors: int = 0
    #: The last fallback text used, so the bot never repeats the same "I didn't understand".
    last_fallback: str = ""
    last_active_at: datetime | None = None
    resume_offered: bool = False
    welcomed: bool = False
    #: Customer messages seen so far, for language detection on the first few.
    lang_samples: int = 0
    #: What the customer already said they want for this purchase ("7-11", "cash on
    #: delivery", a quantity) before the question was asked; checkout takes it from here.
    wants: dict[str, str] = Field(default_factory=dict)
    #: The products last shown as cards, in the order shown: a follow-up ("the red one",
    #: "第二個", "75g, two packs", "the cheaper one") chooses among these before any search.
    shown: list[str] = Field(default_factory=list)

    def start(self, step: str, **slots: str) -> None:
        self.step = step
        self.slots = dict(slots)
        self.step_errors = 0

    def advance(self, step: str | None) -> None:
        self.step = step
        self.step_errors = 0

    def finish(self) -> None:
        self.step = None
        self.slots = {}
        self.step_errors = 0

    @property
    def flow(self) -> str | None:
        return self.step.split(".", 1)[0] if self.step else None
