"""Labelled messages for training and evaluating intent classifiers, from the formats they
come in: chatcart's CSV (`text,intent[,lang]`), BANKING77's CSV (`text,category`) and
CLINC150's JSON (lists of `[text, intent]` under `train`, `val`, `test`, `oos_*`)."""

from __future__ import annotations

import csv
import json
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from chatcart.nlu.classifier import OUT_OF_SCOPE

#: CLINC150's splits, each with its out-of-scope part: which to read for training and testing.
_CLINC_SPLITS = {"train": ("train", "oos_train"), "val": ("val", "oos_val"), "test": ("test", "oos_test")}


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    lang: str = ""


class DatasetError(ValueError):
    """A file that is not one of the formats read here, said with what was expected."""


def read_examples(path: Path, split: str = "train") -> list[Example]:
    """Examples from a CSV file, or from one split of a CLINC150-style JSON file."""
    if path.suffix == ".json":
        return _read_clinc(path, split)
    return _read_csv(path)


def _read_csv(path: Path) -> list[Example]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = set(reader.fieldnames or [])
        label = "intent" if "intent" in fields else "category" if "category" in fields else None
        if "text" not in fields or label is None:
            raise DatasetError(f"{path}: expected a header with text and intent (or category)")
        return [
            Example(row["text"].strip(), row[label].strip(), (row.get("lang") or "").strip())
            for row in reader
            if row["text"].strip()
        ]


def _read_clinc(path: Path, split: str) -> list[Example]:
    if split not in _CLINC_SPLITS:
        raise DatasetError(f"{path}: split must be one of {', '.join(_CLINC_SPLITS)}")
    data = json.loads(path.read_text(encoding="utf-8"))
    in_scope, out_of_scope = _CLINC_SPLITS[split]
    if in_scope not in data:
        raise DatasetError(f"{path}: no {in_scope!r} list; expected CLINC150's data_full.json layout")
    rows = [*data[in_scope], *data.get(out_of_scope, [])]
    return [Example(str(text), _oos_label(str(intent))) for text, intent in rows]


def _oos_label(intent: str) -> str:
    return OUT_OF_SCOPE if intent in ("oos", "out_of_scope") else intent


def in_language(examples: Iterable[Example], lang: str | None) -> list[Example]:
    """Only the examples written in `lang` (all of them when no language is asked for)."""
    return [e for e in examples if lang is None or e.lang == lang]


def sample_per_intent(examples: Sequence[Example], count: int, seed: int) -> list[Example]:
    """`count` examples of each intent, drawn with a fixed seed: the few-shot protocol."""
    by_intent: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        by_intent[example.intent].append(example)
    chosen: list[Example] = []
    draw = random.Random(seed)
    for intent in sorted(by_intent):
        group = by_intent[intent]
        chosen += draw.sample(group, min(count, len(group)))
    return chosen


def held_out(examples: Sequence[Example], share: float, seed: int) -> tuple[list[Example], list[Example]]:
    """(train, held out): `share` of each intent set aside to choose a threshold on."""
    keep: list[Example] = []
    aside: list[Example] = []
    by_intent: dict[str, list[Example]] = defaultdict(list)
    for example in examples:
        by_intent[example.intent].append(example)
    draw = random.Random(seed)
    for intent in sorted(by_intent):
        group = list(by_intent[intent])
        draw.shuffle(group)
        cut = int(len(group) * share)
        aside += group[:cut]
        keep += group[cut:]
    return keep, aside
