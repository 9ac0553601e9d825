"""Identifiers: random ids for rows, and order numbers a person can read out on the phone."""

from __future__ import annotations

import secrets
import uuid

#: No 0/O, 1/I/L, 2/Z, 5/S, 8/B: letters that sound or look alike when read aloud.
_READABLE = "34679ACDEFGHJKMNPQRTUVWXY"


def new_id() -> str:
    return uuid.uuid4().hex


def new_token() -> str:
    """An unguessable token for links a customer opens (payment pages)."""
    return secrets.token_urlsafe(24)


def new_order_number() -> str:
    """`CC-7K3F-9QDA`: a short prefix, then eight characters of an unambiguous alphabet.

    Random, so the engine can number an order while it decides, with no counter row for
    every turn to queue on, and numbers cannot be guessed from each other. 25^8 ≈ 1.5e11
    numbers per shop; the database's unique (workspace, number) index turns the rare
    collision into a conflict, and the turn is decided again with a new number.
    """
    body = "".join(secrets.choice(_READABLE) for _ in range(8))
    return f"CC-{body[:4]}-{body[4:]}"
