"""Declarative flows: loaded from YAML into typed models the engine interprets.

The YAML says what to say, what to ask and in which order; the Python skills say how a
product is found or an order is placed. See docs/decisions/0002-flows.md.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field

DEFAULT_FLOWS = Path(__file__).parent / "flows" / "default.yaml"


class ButtonSpec(BaseModel):
    title: str
    payload: str


class MessageSpec(BaseModel):
    text: str
    quick_replies: list[str] = Field(default_factory=list)


class SlotSpec(BaseModel):
    slot: str
    type: str
    ask: str
    when: str | None = None
    remember: bool = False


class FallbackSpec(BaseModel):
    offer_person_after: int = 2
    texts: list[str]
    person_offer: str


class Limits(BaseModel):
    max_message_chars: int = 2000
    #: Unpaid orders hold stock: more waiting at once than this is refused.
    max_unpaid_orders: int = Field(default=2, ge=1)


class FlowBook(BaseModel):
    buttons: dict[str, ButtonSpec]
    welcome: list[MessageSpec] = Field(max_length=3)
    menu: MessageSpec
    checkout: list[SlotSpec]
    fallback: FallbackSpec
    resume_after_minutes: int = 30
    #: An understood intent below this confidence is not acted on (0..1).
    min_confidence: float = Field(default=0.6, ge=0, le=1)
    high_value_over: dict[str, int] = Field(default_factory=dict)
    limits: Limits = Field(default_factory=Limits)

    def slot(self, name: str) -> SlotSpec:
        return next(s for s in self.checkout if s.slot == name)


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


@lru_cache(maxsize=64)
def parse_flows(override_yaml: str = "") -> FlowBook:
    """The default flows with a workspace's overrides laid over them (validated)."""
    base = yaml.safe_load(DEFAULT_FLOWS.read_text(encoding="utf-8"))
    override = yaml.safe_load(override_yaml) if override_yaml.strip() else {}
    return FlowBook.model_validate(_merge(base, override or {}))


@cache
def default_flows() -> FlowBook:
    return parse_flows()
