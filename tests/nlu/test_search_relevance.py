"""Product search relevance on labelled queries (bench/search_queries.yaml, and the held-out
bench/search_queries_held_out.yaml; bench/search_queries_described.yaml and its held-out set,
which only descriptions and sizes answer), on the demo catalog and on a catalog whose titles
mix Chinese and English in one field: nDCG@5 and recall@5 per catalog and language stay above
the floors measured when the search was last changed, so a regression in ranking fails here.

The floors are a little under the measured figures (see docs/nlu.md, "Product search"); raise
them when the search gets better."""

from __future__ import annotations

import pytest

from bench.search_relevance import (
    DESCRIBED,
    DESCRIBED_HELD_OUT,
    HELD_OUT,
    QUERIES,
    Figures,
    evaluate,
    load_cases,
    ndcg_at,
    recall_at,
)

#: (nDCG@5, recall@5) floors per catalog/language, measured 0.958/0.946 … 1.000/1.000.
FLOORS = {
    "demo/en": (0.93, 0.92),
    "demo/zh-TW": (0.93, 0.89),
    "demo/zh-CN": (0.95, 0.95),
    "teahouse/en": (0.95, 0.92),
    "teahouse/zh-TW": (0.91, 0.83),
    "teahouse/zh-CN": (0.97, 0.97),
    "all": (0.94, 0.91),
}
HELD_OUT_FLOORS = {"demo": (0.96, 0.97), "teahouse": (0.95, 0.92), "all": (0.96, 0.94)}
#: The same for the searches that need descriptions or sizes, measured 0.858/0.818 … 0.995/1.000
#: (before descriptions were indexed: 0.437/0.518 … 0.945/1.000, all 0.679/0.736).
DESCRIBED_FLOORS = {
    "demo/en": (0.92, 0.95),
    "demo/zh-TW": (0.89, 0.91),
    "demo/zh-CN": (0.96, 0.97),
    # 0.929 since a typo no longer reaches description words ("shoes" is not "showers").
    "teahouse/en": (0.91, 0.89),
    "teahouse/zh-TW": (0.82, 0.78),
    "teahouse/zh-CN": (0.85, 0.79),
    "all": (0.91, 0.90),
}
#: Held out, measured demo 1.000/1.000, tea house 0.880/0.889, all 0.929/0.934.
DESCRIBED_HELD_OUT_FLOORS = {"demo": (0.97, 0.97), "teahouse": (0.85, 0.85), "all": (0.90, 0.90)}


@pytest.fixture(scope="module")
def tuned() -> dict[str, Figures]:
    return evaluate(load_cases(QUERIES))


@pytest.fixture(scope="module")
def held_out() -> dict[str, Figures]:
    return evaluate(load_cases(HELD_OUT))


@pytest.fixture(scope="module")
def described() -> dict[str, Figures]:
    return evaluate(load_cases(DESCRIBED))


@pytest.fixture(scope="module")
def described_held_out() -> dict[str, Figures]:
    return evaluate(load_cases(DESCRIBED_HELD_OUT))


def test_the_labelled_set_is_large_and_covers_every_catalog_and_language(tuned: dict[str, Figures]) -> None:
    assert len(tuned["all"].outcomes) >= 60
    for group in FLOORS:
        assert len(tuned[group].outcomes) >= 10, group


@pytest.mark.parametrize("group", FLOORS)
def test_relevance_stays_above_its_floor(tuned: dict[str, Figures], group: str) -> None:
    ndcg, recall = FLOORS[group]
    figures = tuned[group]

    assert figures.ndcg >= ndcg, f"{group}: nDCG@5 {figures.ndcg:.3f} < {ndcg}"
    assert figures.recall >= recall, f"{group}: recall@5 {figures.recall:.3f} < {recall}"


@pytest.mark.parametrize("group", HELD_OUT_FLOORS)
def test_relevance_on_the_held_out_queries_stays_above_its_floor(
    held_out: dict[str, Figures], group: str
) -> None:
    ndcg, recall = HELD_OUT_FLOORS[group]
    figures = held_out[group]

    assert figures.ndcg >= ndcg, f"{group}: nDCG@5 {figures.ndcg:.3f} < {ndcg}"
    assert figures.recall >= recall, f"{group}: recall@5 {figures.recall:.3f} < {recall}"


@pytest.mark.parametrize("group", DESCRIBED_FLOORS)
def test_relevance_of_searches_only_descriptions_answer_stays_above_its_floor(
    described: dict[str, Figures], group: str
) -> None:
    ndcg, recall = DESCRIBED_FLOORS[group]
    figures = described[group]

    assert figures.ndcg >= ndcg, f"{group}: nDCG@5 {figures.ndcg:.3f} < {ndcg}"
    assert figures.recall >= recall, f"{group}: recall@5 {figures.recall:.3f} < {recall}"


@pytest.mark.parametrize("group", DESCRIBED_HELD_OUT_FLOORS)
def test_relevance_of_held_out_searches_descriptions_answer_stays_above_its_floor(
    described_held_out: dict[str, Figures], group: str
) -> None:
    ndcg, recall = DESCRIBED_HELD_OUT_FLOORS[group]
    figures = described_held_out[group]

    assert figures.ndcg >= ndcg, f"{group}: nDCG@5 {figures.ndcg:.3f} < {ndcg}"
    assert figures.recall >= recall, f"{group}: recall@5 {figures.recall:.3f} < {recall}"


def test_the_searches_descriptions_answer_cover_every_catalog_and_language(
    described: dict[str, Figures],
) -> None:
    assert len(described["all"].outcomes) >= 60
    for group in DESCRIBED_FLOORS:
        assert len(described[group].outcomes) >= 7, group


@pytest.mark.parametrize(
    ("text", "catalog"),
    [("linen dress under 1000", "demo"), ("linen dress under 1000", "teahouse"), ("亞麻洋裝", "teahouse")],
)
def test_a_linen_dress_search_shows_no_linen_cushion(text: str, catalog: str) -> None:
    """The issue's own example: the type word decides, the material alone is not enough."""
    (case,) = [c for c in load_cases(QUERIES) if c.text == text and c.catalog == catalog]
    shown = evaluate([case])["all"].outcomes[0].shown

    assert shown[0] in ("APP-001", "DRESS")
    assert not {"HOM-006", "CUSHION"}.intersection(shown), shown


def test_the_metrics_on_a_known_ranking() -> None:
    grades = {"A": 2, "B": 1}

    assert ndcg_at(grades, ["A", "B"]) == pytest.approx(1.0)
    assert ndcg_at(grades, ["B", "A"]) == pytest.approx((1 + 3 / 1.5849625) / (3 + 1 / 1.5849625))
    assert ndcg_at(grades, ["X"]) == 0.0
    assert recall_at(grades, ["X", "B", "Y", "Z", "W", "A"]) == 0.5
