"""How well `chatcart.nlu.sentiment.feeling` reads a customer's mood, and how fast: per
language and overall, on the labelled set (`bench/nlu/sentiment_test.csv`, written before
the lexicon was tuned and never tuned on; `--dev` reads the development set instead), beside
a trivial baseline run in the same process: every message neutral, never angry, never
urgent, which is what a shop without the module assumes.

    .venv/bin/python bench/sentiment_bench.py [--dev] [--detect-language] [--misses] [--json]

Figures: label accuracy and macro-F1 over neg/neu/pos (the score read with the module's
`POSITIVE_FROM`/`NEGATIVE_FROM`); angry recall, precision and false alarms (the share of
messages that are not angry flagged angry: a customer handed to a person for nothing);
urgent recall and precision, and the recall on urgent messages that are not angry (time
pressure said calmly, which anger alone does not catch); latency of one message at a time
on one core, p50 and p99 over messages, each reading a first sight of the message (as the
engine sees it), beside `normalise` alone, which every understander already pays; and the
first message of a process, which reads the lexicon.
`--detect-language` gives `feeling` no language and lets it detect one.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from chatcart.nlu.sentiment import NEGATIVE_FROM, POSITIVE_FROM, Feeling, feeling
from chatcart.nlu.text import normalise

TEST_SET = Path(__file__).parent / "nlu" / "sentiment_test.csv"
DEV_SET = Path(__file__).parent / "nlu" / "sentiment_dev.csv"
LANGUAGES = ("en", "zh-TW", "zh-CN", "ja", "pl")
LABELS = ("neg", "neu", "pos")

Reader = Callable[[str, str | None], Feeling]


@dataclass(frozen=True)
class Labelled:
    """One message of a labelled set, as a person read it."""

    text: str
    lang: str
    label: str
    angry: bool
    urgent: bool


@dataclass(frozen=True)
class Outcome:
    """One message and what a reader made of it."""

    message: Labelled
    label: str
    angry: bool
    urgent: bool


@dataclass(frozen=True)
class Figures:
    """The quality figures of one group of messages; None where nothing was flagged to be
    precise about."""

    messages: int
    accuracy: float
    macro_f1: float
    angry_recall: float
    angry_precision: float | None
    angry_false_alarms: float
    urgent_recall: float
    urgent_precision: float | None
    calm_urgent_recall: float


def label(score: float) -> str:
    """neg, neu or pos: the three-way reading of a score."""
    if score >= POSITIVE_FROM:
        return "pos"
    if score <= NEGATIVE_FROM:
        return "neg"
    return "neu"


def load(path: Path = TEST_SET) -> list[Labelled]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Labelled(row["text"], row["lang"], row["label"], row["angry"] == "1", row["urgent"] == "1")
            for row in csv.DictReader(handle)
        ]


def baseline(text: str, lang: str | None = None) -> Feeling:
    """The shop without the module: every message neutral, nobody angry, nothing urgent."""
    return Feeling(score=0.0, angry=False, urgent=False)


def read_all(reader: Reader, messages: Sequence[Labelled], detect_language: bool = False) -> list[Outcome]:
    outcomes = []
    for message in messages:
        read = reader(message.text, None if detect_language else message.lang)
        outcomes.append(Outcome(message, label(read.score), read.angry, read.urgent))
    return outcomes


def evaluate(outcomes: Sequence[Outcome]) -> dict[str, Figures]:
    """Figures per language (in `LANGUAGES` order) and for all messages ("all")."""
    groups = {lang: [o for o in outcomes if o.message.lang == lang] for lang in LANGUAGES}
    groups["all"] = list(outcomes)
    return {name: figures(group) for name, group in groups.items() if group}


def figures(outcomes: Sequence[Outcome]) -> Figures:
    angry = [o for o in outcomes if o.message.angry]
    calm = [o for o in outcomes if not o.message.angry]
    urgent = [o for o in outcomes if o.message.urgent]
    return Figures(
        messages=len(outcomes),
        accuracy=_share(outcomes, lambda o: o.label == o.message.label),
        macro_f1=statistics.fmean(_f1(outcomes, name) for name in LABELS),
        angry_recall=_share(angry, lambda o: o.angry),
        angry_precision=_precision(outcomes, lambda o: o.angry, lambda o: o.message.angry),
        angry_false_alarms=_share(calm, lambda o: o.angry),
        urgent_recall=_share(urgent, lambda o: o.urgent),
        urgent_precision=_precision(outcomes, lambda o: o.urgent, lambda o: o.message.urgent),
        calm_urgent_recall=_share([o for o in urgent if not o.message.angry], lambda o: o.urgent),
    )


def _share(outcomes: Sequence[Outcome], test: Callable[[Outcome], bool]) -> float:
    return sum(map(test, outcomes)) / len(outcomes) if outcomes else 0.0


def _precision(
    outcomes: Sequence[Outcome], said: Callable[[Outcome], bool], truth: Callable[[Outcome], bool]
) -> float | None:
    flagged = [o for o in outcomes if said(o)]
    return _share(flagged, truth) if flagged else None


def _f1(outcomes: Sequence[Outcome], name: str) -> float:
    said = sum(o.label == name for o in outcomes)
    true = sum(o.message.label == name for o in outcomes)
    right = sum(o.label == name == o.message.label for o in outcomes)
    return 2 * right / (said + true) if said + true else 0.0


def latency(reader: Reader, messages: Sequence[Labelled], rounds: int = 5) -> dict[str, float]:
    """p50/p99 in ms over messages of one message at a time. The text normaliser's cache is
    emptied before every round, so each reading is a first sight; a message's time is the
    median of its rounds, so a pause of the machine (other processes, a 4 ms scheduler tick)
    is not taken for the module's."""
    per_message: list[list[float]] = [[] for _ in messages]
    for _ in range(rounds):
        normalise.cache_clear()
        for times, message in zip(per_message, messages, strict=True):
            started = time.perf_counter()
            reader(message.text, message.lang)
            times.append((time.perf_counter() - started) * 1000)
    timings = [statistics.median(times) for times in per_message]
    cuts = statistics.quantiles(timings, n=100)
    return {"p50_ms": statistics.median(timings), "p99_ms": cuts[98], "max_ms": max(timings)}


def run(path: Path, detect_language: bool = False) -> dict[str, object]:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    messages = load(path)
    started = time.perf_counter()
    feeling("warm up: 還不錯 thanks", "zh-TW")
    first_message_ms = (time.perf_counter() - started) * 1000
    for lang in LANGUAGES:
        feeling("ok", lang)
    measured = evaluate(read_all(feeling, messages, detect_language))
    trivial = evaluate(read_all(baseline, messages))
    speed, trivial_speed = latency(feeling, messages), latency(baseline, messages)
    normalise_only = latency(lambda text, lang=None: normalise(text), messages)
    return {
        "set": path.name,
        "language_given": not detect_language,
        "feeling": {name: asdict(f) for name, f in measured.items()},
        "baseline": {name: asdict(f) for name, f in trivial.items()},
        "accuracy_ratio": {name: measured[name].accuracy / trivial[name].accuracy for name in measured},
        "macro_f1_ratio": {name: measured[name].macro_f1 / trivial[name].macro_f1 for name in measured},
        "latency": {"feeling": speed, "baseline": trivial_speed, "normalise_only": normalise_only},
        "latency_ratio_to_normalise": {key: speed[key] / normalise_only[key] for key in speed},
        "first_message_ms": first_message_ms,
    }


def misses(path: Path, detect_language: bool = False) -> list[str]:
    """The messages read wrongly, for a person to look at (never to tune the test set on)."""
    lines = []
    for o in read_all(feeling, load(path), detect_language):
        m = o.message
        if (o.label, o.angry, o.urgent) != (m.label, m.angry, m.urgent):
            said = f"{o.label} angry={int(o.angry)} urgent={int(o.urgent)}"
            truth = f"{m.label} angry={int(m.angry)} urgent={int(m.urgent)}"
            lines.append(f"{m.lang:6} said {said}  labelled {truth}  {m.text}")
    return lines


def _percent(value: float | None) -> str:
    return "    –" if value is None else f"{100 * value:5.1f}"


def _print(figures: dict[str, object]) -> None:
    given = "given" if figures["language_given"] else "detected"
    print(f"{figures['set']}, language {given}")
    header = "acc  macroF1  angry rec/prec/false-alarms  urgent rec/prec (calm rec)"
    print(f"{'':16}{header}")
    for name in ("feeling", "baseline"):
        groups = figures[name]
        assert isinstance(groups, dict)
        for group, f in groups.items():
            line = (
                f"{_percent(f['accuracy'])} {_percent(f['macro_f1'])}"
                f"   {_percent(f['angry_recall'])} {_percent(f['angry_precision'])}"
                f" {_percent(f['angry_false_alarms'])}"
                f"          {_percent(f['urgent_recall'])} {_percent(f['urgent_precision'])}"
                f" ({_percent(f['calm_urgent_recall'])})"
            )
            print(f"{name:8} {group:6} {line}   n={f['messages']}")
    for key in ("accuracy_ratio", "macro_f1_ratio"):
        ratios = figures[key]
        assert isinstance(ratios, dict)
        print(f"{key:15} " + "  ".join(f"{group} ×{value:.2f}" for group, value in ratios.items()))
    speeds = figures["latency"]
    assert isinstance(speeds, dict)
    for name, speed in speeds.items():
        line = f"p50 {speed['p50_ms']:.3f} ms  p99 {speed['p99_ms']:.3f} ms  max {speed['max_ms']:.3f} ms"
        print(f"latency {name:15} {line}")
    print(f"first message of a process (reads the lexicon): {figures['first_message_ms']:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--dev", action="store_true", help="the development set instead of the test set")
    parser.add_argument("--detect-language", action="store_true", help="give feeling() no language")
    parser.add_argument("--misses", action="store_true", help="list the messages read wrongly")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    path = DEV_SET if args.dev else TEST_SET
    figures = run(path, args.detect_language)
    if args.json:
        print(json.dumps(figures))
    else:
        _print(figures)
    if args.misses:
        print("\n".join(misses(path, args.detect_language)))


if __name__ == "__main__":
    main()
