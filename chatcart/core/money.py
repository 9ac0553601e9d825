"""Money as an exact decimal amount in one currency.

Amounts are never floats and never come from a customer: the server computes them from
the catalog and the rules. Display rounding follows the shop's convention, not ISO 4217:
a New Taiwan dollar price has no minor unit on a price tag even though ISO gives it two.
The symbol follows the shop's convention too: a Taiwanese shop prints `NT$1,300` in every
language, so the chat, the storefront and the shop's own FAQ texts all read alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale
from babel.numbers import format_currency

#: Currencies that shops display without a minor unit although ISO 4217 gives them one.
_WHOLE_UNIT_CURRENCIES = frozenset({"TWD", "JPY", "KRW", "VND", "IDR", "HUF", "CLP", "ISK"})

#: Symbols shops print in every language where Babel's locale data would differ: CLDR gives
#: zh-TW a bare `$` for TWD (and `NT$` in English), so one shop's prices would change sign
#: with the customer's language, and a bare `$` reads as US dollars to a visitor.
_SHOP_SYMBOLS = {"TWD": "NT$"}

#: Bound on the (locale, currency) patterns kept; locales come from contacts' languages.
_PATTERNS_REMEMBERED = 256


class MoneyError(ValueError):
    """An amount or a currency that cannot be money."""


def display_digits(currency: str) -> int:
    """How many decimals a price tag in this currency shows."""
    return 0 if currency in _WHOLE_UNIT_CURRENCIES else 2


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if len(self.currency) != 3 or not self.currency.isalpha() or not self.currency.isupper():
            raise MoneyError(f"not an ISO 4217 currency code: {self.currency!r}")
        if not isinstance(self.amount, Decimal):
            raise MoneyError("money amounts are Decimal, never float")

    @classmethod
    def of(cls, amount: str | int | Decimal, currency: str) -> Money:
        if isinstance(amount, float):
            raise MoneyError("money amounts are Decimal, never float")
        try:
            value = Decimal(str(amount))
        except InvalidOperation as exc:
            raise MoneyError(f"not an amount: {amount!r}") from exc
        if not value.is_finite():
            raise MoneyError(f"not an amount: {amount!r}")
        return cls(value, currency.upper())

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise MoneyError(f"cannot mix {self.currency} and {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._same(other)
        return self.amount >= other.amount

    def times(self, factor: int | Decimal) -> Money:
        return Money(self.amount * Decimal(factor), self.currency)

    def rounded(self) -> Money:
        """Rounded to the unit the shop charges in (half up, as tills do)."""
        step = Decimal(1).scaleb(-display_digits(self.currency))
        return Money(self.amount.quantize(step, rounding=ROUND_HALF_UP), self.currency)

    def min(self, other: Money) -> Money:
        self._same(other)
        return self if self.amount <= other.amount else other

    @property
    def is_positive(self) -> bool:
        return self.amount > 0

    def format(self, locale: str) -> str:
        """The price as a customer of this locale reads it (`NT$1,290` in en and zh-TW alike,
        `€12.50` in English, `12,50 €` in Polish)."""
        babel_locale, pattern = _price_pattern(locale, self.currency)
        return format_currency(
            self.rounded().amount, self.currency, format=pattern, locale=babel_locale, currency_digits=False
        )

    def __str__(self) -> str:
        return f"{self.rounded().amount} {self.currency}"


@lru_cache(maxsize=_PATTERNS_REMEMBERED)
def _price_pattern(locale: str, currency: str) -> tuple[Locale, str]:
    """The locale's currency pattern with the shop's digits and symbol written into it: a
    quoted literal replaces Babel's `¤` where the shop prints its own symbol."""
    babel_locale = Locale.parse(locale.replace("-", "_"))
    pattern = babel_locale.currency_formats["standard"].pattern
    if display_digits(currency) == 0:
        pattern = pattern.replace(".00", "")
    symbol = _SHOP_SYMBOLS.get(currency)
    if symbol is not None:
        pattern = pattern.replace("¤", f"'{symbol}'")
    return babel_locale, pattern
