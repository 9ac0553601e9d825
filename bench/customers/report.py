"""The figures as a Markdown table, the stuck customers grouped by where they got stuck, and
the JSON document (figures and every transcript) that `--json` writes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from bench.customers.figures import Figures, Result, figures_by_kind
from bench.customers.journey import Journey

#: Characters of the bot's last text shown per stuck customer in the table.
LAST_TEXT_CHARS = 160


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.0%})" if whole else "–"


def _turns(f: Figures) -> str:
    if f.turns_min is None:
        return "–"
    return f"{f.turns_min} / {f.turns_median:g} / {f.turns_p90}"


def figures_table(by_lang: dict[str, Figures]) -> str:
    langs = list(by_lang)
    rows = [
        ("customers", [str(f.customers) for f in by_lang.values()]),
        ("turns to purchase (min / median / p90)", [_turns(f) for f in by_lang.values()]),
        ("buyers who bought", [_share(f.bought, f.buyers) for f in by_lang.values()]),
        (
            "containment (goal reached without a person)",
            [_share(f.contained, f.non_complainers) for f in by_lang.values()],
        ),
        (
            "complaints to a person in the same turn",
            [_share(f.complaints_to_person_same_turn, f.complainers) for f in by_lang.values()],
        ),
        ("repeated questions", [str(f.repeated_questions) for f in by_lang.values()]),
        ("stuck customers", [str(f.stuck) for f in by_lang.values()]),
        ("errors", [str(f.errors) for f in by_lang.values()]),
    ]
    lines = ["| figure | " + " | ".join(langs) + " |", "| --- |" + " --- |" * len(langs)]
    lines += [f"| {name} | " + " | ".join(values) + " |" for name, values in rows]
    return "\n".join(lines)


def kinds_table(by_kind: dict[str, Figures]) -> str:
    """Where the turns go: the same figures for each kind of customer, both languages."""
    lines = [
        "| kind | customers | bought | turns to purchase (min / median / p90) | repeated questions | stuck |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for kind, f in by_kind.items():
        bought = _share(f.bought, f.buyers) if f.buyers else "–"
        lines.append(
            f"| {kind} | {f.customers} | {bought} | {_turns(f)} | {f.repeated_questions} | {f.stuck} |"
        )
    return "\n".join(lines)


def _one_line(text: str) -> str:
    flat = " ⏎ ".join(line.strip() for line in text.splitlines() if line.strip())
    return flat if len(flat) <= LAST_TEXT_CHARS else flat[: LAST_TEXT_CHARS - 1] + "…"


def _ending(result: Result) -> str:
    """Where a customer who missed their goal ended: what groups the table's rows."""
    if result.error:
        return "error"
    if result.handed_off:
        return "handed to a person before buying"
    if result.complainer:
        return f"complaint never reached a person ({result.last_step or 'no step'})"
    return f"stuck at {result.last_step or 'no step'}"


def unreached_table(results: Sequence[Result]) -> str:
    """Customers who missed their goal, grouped by where they ended, with the bot's last text."""
    groups: dict[str, list[Result]] = defaultdict(list)
    for result in results:
        if not result.reached_goal or result.error:
            groups[_ending(result)].append(result)
    if not groups:
        return "Every customer reached their goal."
    lines = ["| ended | customer | kind | turns | bot's last text |", "| --- | --- | --- | --- | --- |"]
    for ending in sorted(groups, key=lambda e: (-len(groups[e]), e)):
        for r in groups[ending]:
            text = _one_line(r.last_bot_text).replace("|", "\\|")
            lines.append(f"| {ending} | {r.name} | {r.kind} | {r.turns} | {text} |")
    return "\n".join(lines)


def complaints_table(results: Sequence[Result]) -> str:
    """Complaints the bot kept for itself, with what it answered instead of a person."""
    missed = [r for r in results if r.complainer and not r.complaint_to_person_same_turn]
    if not missed:
        return "Every complaint reached a person in its own turn."
    lines = ["| customer | complaint | bot's answer |", "| --- | --- | --- |"]
    for r in missed:
        said = r.complaint or "(never said: the moment did not come)"
        answer = _one_line(r.complaint_reply).replace("|", "\\|")
        lines.append(f"| {r.name} | {said} | {answer} |")
    return "\n".join(lines)


def markdown(by_lang: dict[str, Figures], results: Sequence[Result]) -> str:
    return "\n\n".join(
        [
            "## Scripted customers",
            figures_table(by_lang),
            "### By kind of customer",
            kinds_table(figures_by_kind(results)),
            "### Customers who missed their goal",
            unreached_table(results),
            "### Complaints that did not reach a person in their own turn",
            complaints_table(results),
        ]
    )


def document(
    by_lang: dict[str, Figures], journeys: Sequence[Journey], results: Sequence[Result]
) -> dict[str, Any]:
    figures = {
        lang: {**asdict(f), "bought_share": f.bought_share, "containment": f.containment}
        for lang, f in by_lang.items()
    }
    customers = [
        {
            **asdict(result),
            "wanted": journey.wanted,
            "orders": [asdict(o) for o in journey.orders],
            "repeated_questions": journey.repeats,
            "stopped": journey.stopped,
            "traceback": journey.error,
            "transcript": [
                {"customer": e.customer, "bot": list(e.bot), "options": list(e.options), "step": e.step}
                for e in journey.transcript
            ],
        }
        for journey, result in zip(journeys, results, strict=True)
    ]
    return {"figures": figures, "customers": customers}
