"""Coupons: a discount with rules. The server checks every rule; the customer only types a code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from chatcart.core.errors import CouponRejected
from chatcart.core.money import Money


class CouponKind(StrEnum):
    PERCENT = "percent"
    FIXED = "fixed"


@dataclass(frozen=True)
class Coupon:
    code: str
    workspace_id: str
    kind: CouponKind
    value: Decimal
    min_spend: Decimal = Decimal(0)
    expires_at: datetime | None = None
    usage_limit: int | None = None
    used: int = 0
    first_purchase_only: bool = False


def normalise_code(text: str) -> str:
    return text.strip().upper().replace(" ", "")


def coupon_discount(
    coupon: Coupon, *, workspace_id: str, subtotal: Money, now: datetime, first_purchase: bool
) -> Money:
    """The discount this coupon gives on `subtotal`, or CouponRejected saying which rule failed."""
    if coupon.workspace_id != workspace_id:
        raise CouponRejected("coupon_unknown", code=coupon.code)
    if coupon.expires_at is not None and now >= coupon.expires_at:
        raise CouponRejected("coupon_expired", code=coupon.code)
    if coupon.usage_limit is not None and coupon.used >= coupon.usage_limit:
        raise CouponRejected("coupon_used_up", code=coupon.code)
    if coupon.first_purchase_only and not first_purchase:
        raise CouponRejected("coupon_first_purchase_only", code=coupon.code)
    minimum = Money(coupon.min_spend, subtotal.currency)
    if subtotal < minimum:
        raise CouponRejected("coupon_min_spend", code=coupon.code, minimum=minimum)
    if coupon.kind is CouponKind.PERCENT:
        raw = subtotal.times(coupon.value / Decimal(100)).rounded()
    else:
        raw = Money(coupon.value, subtotal.currency)
    return raw.min(subtotal)
