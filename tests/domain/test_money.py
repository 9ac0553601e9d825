"""Money: exact decimals in one currency, rounded and written the way the shop's customers read prices."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chatcart.core.money import Money, MoneyError, display_digits

NBSP = "\xa0"


def test_money_of_keeps_the_exact_decimal_amount() -> None:
    price = Money.of("12.10", "EUR")

    assert price.amount == Decimal("12.10"), f"expected the exact decimal 12.10, got {price.amount!r}"
    assert isinstance(price.amount, Decimal)


def test_a_float_amount_is_refused() -> None:
    with pytest.raises(MoneyError, match="never float"):
        Money(1.5, "TWD")  # type: ignore[arg-type]


def test_an_int_amount_is_refused_by_the_constructor() -> None:
    with pytest.raises(MoneyError):
        Money(100, "TWD")  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["abc", "", "12,5", "NaN", "Infinity", "-inf"])
def test_text_that_is_not_a_finite_amount_is_refused(text: str) -> None:
    with pytest.raises(MoneyError, match="not an amount"):
        Money.of(text, "TWD")


@pytest.mark.parametrize("code", ["TW", "TWDX", "T1D", "twd"])
def test_the_constructor_refuses_anything_but_an_upper_case_iso_code(code: str) -> None:
    with pytest.raises(MoneyError, match="ISO 4217"):
        Money(Decimal(1), code)


def test_money_of_upper_cases_the_currency_code() -> None:
    assert Money.of(5, "usd").currency == "USD"


def test_adding_and_subtracting_the_same_currency() -> None:
    total = Money.of("10.50", "EUR") + Money.of("2.25", "EUR") - Money.of("1", "EUR")

    assert total == Money.of("11.75", "EUR"), f"10.50 + 2.25 - 1 gave {total}"


@pytest.mark.parametrize(
    "operation",
    [
        lambda a, b: a + b,
        lambda a, b: a - b,
        lambda a, b: a.min(b),
    ],
    ids=["add", "subtract", "min"],
)
def test_mixing_currencies_is_refused(operation) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(MoneyError, match="cannot mix TWD and EUR"):
        operation(Money.of(100, "TWD"), Money.of(100, "EUR"))


def test_times_multiplies_exactly() -> None:
    assert Money.of("19.99", "EUR").times(3) == Money.of("59.97", "EUR")
    assert Money.of("100", "TWD").times(Decimal("0.15")) == Money.of("15", "TWD")


def test_min_returns_the_smaller_amount() -> None:
    small, large = Money.of(60, "TWD"), Money.of(100, "TWD")

    assert small.min(large) is small
    assert large.min(small) is small


def test_zero_and_is_positive() -> None:
    assert Money.zero("TWD") == Money.of(0, "TWD")
    assert not Money.zero("TWD").is_positive
    assert not Money.of("-1", "TWD").is_positive
    assert Money.of("0.01", "EUR").is_positive


@pytest.mark.parametrize(
    ("currency", "digits"),
    [("TWD", 0), ("JPY", 0), ("KRW", 0), ("EUR", 2), ("HKD", 2), ("USD", 2), ("PLN", 2)],
)
def test_display_digits_follow_the_price_tag_convention(currency: str, digits: int) -> None:
    assert display_digits(currency) == digits


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("2.5", "TWD", "3"),
        ("2.4", "TWD", "2"),
        ("1289.5", "TWD", "1290"),
        ("-2.5", "TWD", "-3"),
        ("99.5", "JPY", "100"),
        ("0.125", "EUR", "0.13"),
        ("0.124", "EUR", "0.12"),
        ("0.005", "HKD", "0.01"),
        ("12", "EUR", "12.00"),
    ],
)
def test_rounding_is_half_up_to_the_display_digits(amount: str, currency: str, expected: str) -> None:
    rounded = Money.of(amount, currency).rounded()

    assert rounded.amount == Decimal(expected), f"{amount} {currency} rounded to {rounded.amount}"
    assert str(rounded.amount) == expected, (
        f"expected {expected} with its display digits, got {rounded.amount}"
    )
    assert rounded.currency == currency


def test_str_shows_the_rounded_amount_and_the_code() -> None:
    assert str(Money.of("1289.6", "TWD")) == "1290 TWD"
    assert str(Money.of("12.5", "EUR")) == "12.50 EUR"


def test_twd_in_english_uses_the_nt_dollar_sign_without_decimals() -> None:
    assert Money.of(1290, "TWD").format("en") == "NT$1,290"


@pytest.mark.parametrize("locale", ["zh-TW", "zh-HK", "zh-CN", "en", "ja"])
def test_twd_reads_nt_dollars_in_every_language_the_shop_speaks(locale: str) -> None:
    formatted = Money.of(1300, "TWD").format(locale)

    assert formatted == "NT$1,300", f"a Taiwanese shop prints NT$1,300 in {locale}, got {formatted!r}"


def test_twd_keeps_the_locale_s_layout_with_the_shop_s_symbol() -> None:
    assert Money.of(1300, "TWD").format("pl") == f"1{NBSP}300{NBSP}NT$"


def test_a_negative_twd_amount_keeps_the_sign_before_the_symbol() -> None:
    assert Money.of(-100, "TWD").format("zh-TW") == "-NT$100"


def test_other_currencies_keep_the_locale_s_own_symbol() -> None:
    assert Money.of(5, "USD").format("zh-TW") == "US$5.00"
    assert Money.of(5, "USD").format("en") == "$5.00"


def test_twd_formatting_rounds_to_whole_dollars() -> None:
    assert Money.of("1289.5", "TWD").format("en") == "NT$1,290"


def test_euro_in_polish_puts_the_symbol_after_a_decimal_comma() -> None:
    assert Money.of("12.5", "EUR").format("pl") == f"12,50{NBSP}€"


def test_euro_in_english_shows_two_decimals_with_the_symbol_first() -> None:
    assert Money.of("12.5", "EUR").format("en") == "€12.50"


def test_hkd_shows_two_decimals_and_rounds_half_up() -> None:
    assert Money.of("12.345", "HKD").format("en") == "HK$12.35"
    assert Money.of("1234.5", "HKD").format("zh-HK") == "HK$1,234.50"


def test_yen_shows_whole_units() -> None:
    formatted = Money.of("1290.5", "JPY").format("en")

    assert formatted == "¥1,291", f"JPY has no minor unit on a price tag, got {formatted!r}"
