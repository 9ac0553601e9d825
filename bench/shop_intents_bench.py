"""The intents a shop teaches: how often customers' own phrasings of them are recognised,
how often a message that is not one of them is taken for one, what they change in the
commerce intents, and how long learning them takes — the trained understander beside the
keyword understander's retrieval, run in the same process as the baseline.

    PYTHONPATH=. .venv/bin/python -m bench.shop_intents_bench [--json] [--sweep]

The shop's intents and the held-out phrasings are `bench/nlu/shop_intents.yaml` (a tea
house: five intents, five phrases per language to learn from); the messages that are none
of them are the commerce test set (`bench/nlu/commerce_test.csv`, five languages).
`--sweep` also tries other weights for the shop's phrases (docs/nlu.md).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import yaml

from chatcart.nlu import trained
from chatcart.nlu.datasets import read_examples
from chatcart.nlu.interface import Context, Understander
from chatcart.nlu.keywords import KeywordUnderstander
from chatcart.nlu.trained import TrainedUnderstander, commerce_classifier, shop_classifier
from chatcart.services.intents import parse_intents

HERE = Path(__file__).parent / "nlu"
SHOP_FILE = HERE / "shop_intents.yaml"
COMMERCE_TEST = HERE / "commerce_test.csv"
_SWEEP = (1.0, 4.0, 8.0, 16.0, 32.0)


def _load() -> tuple[Any, list[tuple[str, str, str]], list[tuple[str, str]]]:
    raw = yaml.safe_load(SHOP_FILE.read_text(encoding="utf-8"))
    intents = parse_intents(yaml.safe_dump(raw["train"], allow_unicode=True))
    held_out = [
        (intent, lang, text)
        for intent, by_lang in raw["test"].items()
        for lang, texts in by_lang.items()
        for text in texts
    ]
    others = [(e.text, e.lang or "en") for e in read_examples(COMMERCE_TEST)]
    return intents, held_out, others


def measure(
    understander: Understander,
    intents: Any,
    held_out: list[tuple[str, str, str]],
    others: list[tuple[str, str]],
) -> dict[str, float]:
    """Recall and wrong answers on the shop's held-out phrasings; false alarms on the
    commerce test set (messages that are none of the shop's intents)."""
    right = wrong = 0
    for intent, lang, text in held_out:
        found = understander.understand(text, Context(lang, intents=intents)).shop_intent
        right += found == intent
        wrong += found is not None and found != intent
    alarms = sum(
        understander.understand(text, Context(lang, intents=intents)).shop_intent is not None
        for text, lang in others
    )
    return {
        "recall": right / len(held_out),
        "wrong": wrong / len(held_out),
        "false_alarms": alarms / len(others),
    }


def commerce_kept(intents: Any, others: list[tuple[str, str]]) -> float:
    """The share of commerce test messages the shop's model names as the commerce model does
    (a shop's intents should not move what they do not cover)."""
    texts = [text for text, _ in others]
    base = [p.intent for p in commerce_classifier().predict(texts)]
    with_shop = [p.intent for p in shop_classifier(intents).predict(texts)]
    same = sum(a == b or b.startswith("shop:") for a, b in zip(base, with_shop, strict=True))
    return same / len(texts)


def learning_seconds(intents: Any) -> float:
    commerce_classifier()
    shop_classifier.cache_clear()
    started = time.perf_counter()
    shop_classifier(intents)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--sweep", action="store_true", help="also try other weights of the shop's phrases")
    args = parser.parse_args()
    intents, held_out, others = _load()
    report: dict[str, Any] = {
        "intents": len(intents.intents),
        "held_out": len(held_out),
        "others": len(others),
        "learning_s": learning_seconds(intents),
        "trained": measure(TrainedUnderstander(), intents, held_out, others),
        "keyword": measure(KeywordUnderstander(), intents, held_out, others),
        "commerce_kept": commerce_kept(intents, others),
    }
    if args.sweep:
        report["sweep"] = _sweep(intents, held_out, others)
    if args.json:
        print(json.dumps(report, indent=2))
        return
    _print(report)


def _sweep(
    intents: Any, held_out: list[tuple[str, str, str]], others: list[tuple[str, str]]
) -> dict[str, Any]:
    chosen = trained._SHOP_WEIGHT
    found = {}
    for weight in _SWEEP:
        trained._SHOP_WEIGHT = weight
        shop_classifier.cache_clear()
        found[str(weight)] = measure(TrainedUnderstander(), intents, held_out, others)
    trained._SHOP_WEIGHT = chosen
    shop_classifier.cache_clear()
    return found


def _print(report: dict[str, Any]) -> None:
    print(
        f"{report['intents']} shop intents; {report['held_out']} held-out phrasings; "
        f"{report['others']} commerce messages that are none of them"
    )
    print(f"learning the shop's model: {report['learning_s']:.2f} s")
    for name in ("trained", "keyword"):
        figures = report[name]
        print(
            f"{name:8} recall {figures['recall']:.1%}  wrong {figures['wrong']:.1%}  "
            f"false alarms {figures['false_alarms']:.2%}"
        )
    base = report["keyword"]["recall"]
    if base:
        print(f"recall ratio trained/keyword: {report['trained']['recall'] / base:.2f}")
    print(f"commerce intents unchanged by the shop's model: {report['commerce_kept']:.1%}")
    for weight, figures in report.get("sweep", {}).items():
        print(
            f"  weight {weight:>5}: recall {figures['recall']:.1%}  wrong {figures['wrong']:.1%}  "
            f"false alarms {figures['false_alarms']:.2%}"
        )


if __name__ == "__main__":
    main()
