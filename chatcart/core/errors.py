"""Errors the domain raises. Each carries a `reason` key the translation catalogue knows,
so a channel can tell the customer why in their language."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the shop refused an action; `reason` is a catalogue key."""

    def __init__(self, reason: str, **params: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


class NotFound(DomainError):
    pass


class OutOfStock(DomainError):
    pass


class InvalidQuantity(DomainError):
    pass


class CouponRejected(DomainError):
    pass


class InvalidTransition(DomainError):
    pass
