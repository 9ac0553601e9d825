"""Contacts: the customer, separate from the platform identities they write from."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Contact:
    id: str
    workspace_id: str
    lang: str = ""
    #: True once the customer chose a language; detection then stops overriding it.
    lang_chosen: bool = False
    name: str = ""
    phone: str = ""
    entry_source: str = ""
    profile: dict[str, str] = field(default_factory=dict)
