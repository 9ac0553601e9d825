"""Runs the population against one freshly made tea shop, customer after customer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.customers.figures import Figures, Result, figures_by_language, result_of
from bench.customers.journey import Journey, run_journey
from bench.customers.persona import Persona
from bench.customers.population import population
from bench.customers.shop import Order, TeaShop, open_shop


@dataclass(frozen=True)
class Run:
    journeys: tuple[Journey, ...]
    results: tuple[Result, ...]
    figures: dict[str, Figures]
    #: Every order row of the workspace at the end, by contact name: what the database says.
    stored_orders: dict[str, tuple[Order, ...]]


def run_population(
    people: Sequence[Persona] | None = None,
    workdir: Path | None = None,
    understander: str = "trained",
    history: bool = False,
) -> Run:
    customers = list(population() if people is None else people)
    with open_shop(workdir, understander, history) as shop:
        journeys = tuple(run_journey(shop, persona) for persona in customers)
        stored = {p.name: _stored_orders(shop, p) for p in customers}
    results = tuple(result_of(j) for j in journeys)
    return Run(journeys, results, figures_by_language(results), stored)


def _stored_orders(shop: TeaShop, persona: Persona) -> tuple[Order, ...]:
    return shop.peek(shop.contact_id(persona.name, persona.lang)).orders
