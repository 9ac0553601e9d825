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


def readable_order_number(sequence: int) -> str:
    """`CC-7K3-9QF`: a short prefix, then base-25 from an unambiguous alphabet.

    The sequence keeps numbers unique; the last group is random so numbers cannot be
    guessed from each other.
    """
    digits = []
    n = sequence
    while True:
        n, r = divmod(n, len(_READABLE))
        digits.append(_READABLE[r])
        if n == 0:
            break
    head = "".join(reversed(digits)).rjust(3, _READABLE[0])  # grows past 3 after 15,624 orders
    tail = "".join(secrets.choice(_READABLE) for _ in range(3))
    return f"CC-{head}-{tail}"
