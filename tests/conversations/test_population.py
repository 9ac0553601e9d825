"""The scripted customers of bench/customers: the harness can be trusted (it runs every
customer to an end without the product raising, a purchase it counts is an order row with
the quantities the customer wanted, its figures are computed right), and the journey keeps
its promises on the whole population (turns to buy, complaints to a person, nobody stuck).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bench.customers.figures import Result, figures, figures_by_language, nearest_rank
from bench.customers.persona import Kind, Persona
from bench.customers.population import population
from bench.customers.run import Run, run_population
from bench.customers.shop import CHANNEL, WORKSPACE
from chatcart.storage.db import Database
from chatcart.storage.tables import IdentityRow, OrderRow


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("customers")


@pytest.fixture(scope="module")
def run(workdir: Path) -> Run:
    return run_population(workdir=workdir)


@pytest.fixture(scope="module")
def stored_orders(run: Run, workdir: Path) -> Iterator[dict[str, list[dict[str, int]]]]:
    """Order lines (SKU → quantity) per customer, read straight from the database file."""
    db = Database(f"sqlite:///{workdir / 'customers.db'}")
    found: dict[str, list[dict[str, int]]] = {}
    with db.transaction() as session:
        rows = session.execute(
            select(IdentityRow.external_id, OrderRow.lines)
            .join(OrderRow, OrderRow.contact_id == IdentityRow.contact_id)
            .where(IdentityRow.workspace_id == WORKSPACE, IdentityRow.channel == CHANNEL)
        )
        for name, lines in rows:
            found.setdefault(name, []).append({str(li["sku"]): int(li["quantity"]) for li in lines})
    yield found
    db.dispose()


def wanted_lines(persona: Persona) -> dict[str, int]:
    """The order the persona means to place in the end: its last change of mind, if any."""
    goal = persona.goal
    for remark in persona.interjections:
        goal = remark.new_goal or goal
    assert goal is not None, f"{persona.name} does not buy"
    return goal.lines()


def test_the_population_is_bilingual_and_every_kind_is_there_in_both_languages() -> None:
    people = population()
    languages = Counter(p.lang for p in people)
    assert len(people) >= 48 and languages["en"] == languages["zh-TW"], languages
    for kind in Kind:
        of_kind = [p for p in people if p.kind is kind]
        assert len(of_kind) >= 6, f"{kind}: {len(of_kind)}"
        assert {p.lang for p in of_kind} == {"en", "zh-TW"}, kind
    assert len({p.name for p in people}) == len(people), "each customer is a contact of their own"


def test_every_customer_reaches_an_end_without_an_exception(run: Run) -> None:
    failures = {j.persona.name: j.error for j in run.journeys if j.error}
    assert not failures, "\n\n".join(f"{name}:\n{error}" for name, error in failures.items())
    assert len(run.journeys) == len(population())
    assert all(j.turns >= 1 for j in run.journeys)


def test_every_counted_purchase_is_an_order_row_with_the_customers_quantities(
    run: Run, stored_orders: dict[str, list[dict[str, int]]]
) -> None:
    counted = [j for j in run.journeys if j.purchased_at is not None]
    for journey in counted:
        persona = journey.persona
        assert persona.name in stored_orders, f"{persona.name} counted as bought, but has no order row"
        assert wanted_lines(persona) in stored_orders[persona.name], (
            f"{persona.name} wanted {wanted_lines(persona)}, the database has {stored_orders[persona.name]}"
        )
    assert set(stored_orders) == {j.persona.name for j in counted}, "an order the harness did not count"


NOBODY = Result(
    name="",
    lang="en",
    kind="direct buyer",
    buyer=True,
    complainer=False,
    turns=10,
    purchased_at=None,
    handed_off=False,
    complaint_to_person_same_turn=None,
    stuck=False,
    error=False,
    last_step=None,
    last_bot_text="",
)


def result(name: str, lang: str = "en", **changes: Any) -> Result:
    return replace(NOBODY, name=name, lang=lang, **changes)


def test_figures_on_a_hand_made_population() -> None:
    results = [
        result("a", purchased_at=12),
        result("b", purchased_at=20),
        result("c", purchased_at=14, handed_off=True),  # a big order a person closes
        result("d", turns=25, stuck=True, last_step="checkout.payment"),
        result("e", lang="zh-TW", purchased_at=16),
        result("f", lang="zh-TW", kind="complainer", buyer=False, complainer=True, turns=1, handed_off=True,
               complaint_to_person_same_turn=True),
        result("g", lang="zh-TW", kind="complainer", buyer=False, complainer=True, turns=2, handed_off=True,
               complaint_to_person_same_turn=False),
    ]  # fmt: skip

    overall = figures(results)

    assert (overall.customers, overall.buyers, overall.bought) == (7, 5, 4)
    assert (overall.turns_min, overall.turns_median, overall.turns_p90) == (12, 15, 20)
    assert overall.bought_share == pytest.approx(0.8)
    assert (overall.contained, overall.non_complainers) == (3, 5), "c needed a person; d never bought"
    assert (overall.complaints_to_person_same_turn, overall.complainers) == (1, 2)
    assert (overall.stuck, overall.errors) == (1, 0)
    by_lang = figures_by_language(results)
    assert list(by_lang) == ["en", "zh-TW", "all"]
    assert (by_lang["en"].bought, by_lang["en"].buyers, by_lang["zh-TW"].turns_median) == (3, 4, 16)
    assert by_lang["zh-TW"].containment == pytest.approx(1.0)


def test_nearest_rank_percentile() -> None:
    assert nearest_rank([], 0.9) is None
    assert nearest_rank([7], 0.9) == 7
    assert nearest_rank(list(range(1, 11)), 0.9) == 9
    assert nearest_rank([30, 10, 20], 0.5) == 20
    assert nearest_rank([30, 10, 20], 0.0) == 10


def test_the_journey_meets_what_customers_expect(run: Run) -> None:
    """The purchase journey's promises, measured on the whole population: at most 8 turns
    for the median customer, at most 6 for one who says what they want up front, every
    complaint with a person in its own turn, nobody stuck."""
    results = run.results
    overall = figures(results)
    direct = figures([r for r in results if r.kind == Kind.DIRECT.value])
    assert overall.turns_median is not None and overall.turns_median <= 8, overall
    assert direct.turns_median is not None and direct.turns_median <= 6, direct
    assert overall.bought == overall.buyers and overall.stuck == 0, overall
    assert overall.complaints_to_person_same_turn == overall.complainers > 0, overall
