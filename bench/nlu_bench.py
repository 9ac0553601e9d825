"""Understanding at the speed of a chat: per-message latency and throughput of the trained
understander on one core, its load (training) time and resident memory, and the training
time of a 50-intent shop model, each beside the keyword understander run in the same
process as the baseline.

    PYTHONPATH=. .venv/bin/python -m bench.nlu_bench [--messages 2000] [--json]

Messages are the commerce test set's (five languages), understood one at a time as a chat
delivers them. The process is pinned to one core and BLAS to one thread first.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from threadpoolctl import threadpool_limits

from chatcart.nlu.classifier import IntentClassifier
from chatcart.nlu.datasets import Example, read_examples, sample_per_intent
from chatcart.nlu.interface import Context, Intent, Understander
from chatcart.nlu.keywords import KeywordUnderstander
from chatcart.nlu.trained import ENGINE_INTENTS, TrainedUnderstander, commerce_classifier

COMMERCE_TEST = Path(__file__).parent / "nlu" / "commerce_test.csv"
CLINC = Path(__file__).parents[2] / "shared" / "external" / "intent" / "clinc150" / "data_full.json"
FIXTURE_CLINC = Path(__file__).parents[1] / "tests" / "fixtures" / "nlu" / "clinc150_small.json"


def _resident_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def latency(understander: Understander, texts: Sequence[str]) -> dict[str, float]:
    """p50/p99 in ms of one message at a time, and messages a second on this one core."""
    context = Context("en")
    timings = [_timed(partial(understander.understand, text, context)) * 1000 for text in texts]
    cuts = statistics.quantiles(timings, n=100)
    return {
        "p50_ms": statistics.median(timings),
        "p99_ms": cuts[98],
        "per_second": len(timings) / (sum(timings) / 1000),
    }


def engine_agreement(understander: Understander, examples: Sequence[Example]) -> dict[str, float]:
    """Per language, the share of test messages whose engine intent (what the engine acts on:
    the commerce label mapped by `ENGINE_INTENTS`, None for FAQ-type questions and out of
    scope) the understander names: the two understanders compared on the same footing."""
    right: dict[str, list[bool]] = {}
    for example in examples:
        said = understander.understand(example.text, Context(example.lang or "en")).intent
        right.setdefault(example.lang, []).append(said == ENGINE_INTENTS[example.intent])
    return {lang: sum(marks) / len(marks) for lang, marks in right.items()}


def to_a_person(understander: Understander, examples: Sequence[Example]) -> dict[str, float]:
    """Complaints and requests for a person: the share of them named (recall), and the share
    of every other message wrongly named one of them (false alarms: a customer handed over
    who wanted the bot)."""
    urgent = {"complaint": Intent.COMPLAINT, "human": Intent.HUMAN}
    found = {label: [0, 0] for label in urgent}
    alarms = {label: [0, 0] for label in urgent}
    for example in examples:
        said = understander.understand(example.text, Context(example.lang or "en")).intent
        for label, intent in urgent.items():
            tally = found[label] if example.intent == label else alarms[label]
            tally[0] += said == intent
            tally[1] += 1
    figures: dict[str, float] = {}
    for label in urgent:
        figures[f"{label}_recall"] = found[label][0] / found[label][1]
        figures[f"{label}_false_alarms"] = alarms[label][0] / alarms[label][1]
    return figures


def shop_model_training(examples: Sequence[Example], intents: int = 50, per_intent: int = 20) -> float:
    """Seconds to train a shop's model of `intents` intents with `per_intent` phrases each."""
    names = sorted({e.intent for e in examples})[:intents]
    chosen = sample_per_intent([e for e in examples if e.intent in names], per_intent, seed=0)
    return _timed(lambda: IntentClassifier().fit([e.text for e in chosen], [e.intent for e in chosen]))


def run(messages: int) -> dict[str, object]:
    threadpool_limits(1)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    texts = [e.text for e in read_examples(COMMERCE_TEST)][:messages]
    keyword = KeywordUnderstander()
    keyword.understand("warm up 你好", Context("en"))
    memory_before = _resident_mib()
    load_seconds = _timed(commerce_classifier)
    trained = TrainedUnderstander()
    memory = _resident_mib() - memory_before
    baseline, measured = latency(keyword, texts), latency(trained, texts)
    examples = read_examples(COMMERCE_TEST)
    clinc = CLINC if CLINC.exists() else FIXTURE_CLINC
    return {
        "messages": len(texts),
        "keyword": baseline,
        "trained": measured,
        "p50_ratio": measured["p50_ms"] / baseline["p50_ms"],
        "p99_ratio": measured["p99_ms"] / baseline["p99_ms"],
        "engine_intent_agreement": {
            "keyword": engine_agreement(keyword, examples),
            "trained": engine_agreement(trained, examples),
        },
        "to_a_person": {"keyword": to_a_person(keyword, examples), "trained": to_a_person(trained, examples)},
        "load_seconds": load_seconds,
        "model_memory_mib": memory,
        "shop_model_50_intents_seconds": shop_model_training(read_examples(clinc, "train")),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = run(args.messages)
    if args.json:
        print(json.dumps(figures))
        return
    for name in ("keyword", "trained"):
        f = figures[name]
        assert isinstance(f, dict)
        rate = f"{f['per_second']:.0f} messages/s"
        print(f"{name:8} p50 {f['p50_ms']:.2f} ms  p99 {f['p99_ms']:.2f} ms  {rate}")
    print(f"trained/keyword: p50 ×{figures['p50_ratio']:.2f}, p99 ×{figures['p99_ratio']:.2f}")
    agreement = figures["engine_intent_agreement"]
    assert isinstance(agreement, dict)
    for name, by_lang in agreement.items():
        shares = "  ".join(f"{lang} {100 * share:.1f}" for lang, share in by_lang.items())
        print(f"engine intent agreement, {name:8} {shares}")
    urgent = figures["to_a_person"]
    assert isinstance(urgent, dict)
    for name, shares in urgent.items():
        line = "  ".join(f"{key} {100 * value:.1f}" for key, value in shares.items())
        print(f"to a person, {name:8} {line}")
    load, memory = figures["load_seconds"], figures["model_memory_mib"]
    print(f"load (train the commerce model) {load:.2f} s, memory +{memory:.0f} MiB")
    shop = figures["shop_model_50_intents_seconds"]
    print(f"a 50-intent shop model (20 phrases each) trains in {shop:.2f} s")


if __name__ == "__main__":
    main()
