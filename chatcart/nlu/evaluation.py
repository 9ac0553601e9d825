"""`chatcart nlu eval`: train on one set, measure on another, report as the literature does.

The protocol (docs/nlu.md): in-scope accuracy counts an in-scope message right only when its
intent is named (a message turned away as out of scope is wrong); out-of-scope recall is the
share of out-of-scope messages turned away, precision the share of turned-away messages that
were out of scope; macro-F1 averages every intent's F1, `oos` included when present. One
threshold serves all of them, chosen on held-out data before the test set is read.
"""

from __future__ import annotations

import math
import resource
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from sklearn.metrics import f1_score

from chatcart.nlu.classifier import OUT_OF_SCOPE, IntentClassifier, tune_threshold
from chatcart.nlu.datasets import Example, held_out

#: Messages timed one at a time for the latency figures (as a chat delivers them).
_TIMED_MESSAGES = 500
#: Share of the training set set aside to choose the threshold when no validation set is given.
_HELD_OUT_SHARE = 0.1


@dataclass(frozen=True)
class Report:
    n_train: int
    #: The static embeddings added to the n-grams, if any.
    embeddings: str | None
    n_test: int
    intents: int
    accuracy: float
    macro_f1: float
    oos_recall: float | None
    oos_precision: float | None
    #: None when no out-of-scope data chose one (then none applies).
    threshold: float | None
    train_seconds: float
    p50_ms: float
    p99_ms: float
    #: Resident memory the process grew by while training and loading the model.
    model_memory_mib: float
    confused: list[tuple[str, str, int]] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report as a person reads it in a terminal."""
        found = [
            f"trained on {self.n_train} examples of {self.intents} intents, tested on {self.n_test}"
            f" (n-grams{' + ' + self.embeddings if self.embeddings else ''})",
            f"in-scope accuracy    {_percent(self.accuracy)}",
            f"macro-F1             {_percent(self.macro_f1)}",
            f"out-of-scope recall  {_percent(self.oos_recall)}   precision {_percent(self.oos_precision)}",
            f"threshold {_figure(self.threshold)}   training {self.train_seconds:.1f} s   "
            f"model memory {self.model_memory_mib:.0f} MiB",
            f"latency per message  p50 {self.p50_ms:.2f} ms   p99 {self.p99_ms:.2f} ms",
        ]
        if self.confused:
            found.append("most confused (expected -> predicted):")
            found += [f"  {expected} -> {predicted}: {count}" for expected, predicted, count in self.confused]
        return found

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data["confused"] = [{"expected": a, "predicted": b, "count": n} for a, b, n in self.confused]
        return data


def _figure(value: float | None) -> str:
    return "none" if value is None else f"{value:.3f}"


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}"


def evaluate(
    train: Sequence[Example],
    test: Sequence[Example],
    validation: Sequence[Example] | None = None,
    oos_recall: float = 0.7,
    embeddings: str | None = None,
) -> Report:
    """Train (choosing the threshold on `validation`, or on a tenth of `train` set aside when
    none is given and `train` has out-of-scope examples), then measure on `test`."""
    fitting, choosing = _split(train, validation)
    memory_before = _resident_mib()
    started = time.perf_counter()
    classifier = IntentClassifier(embeddings=embeddings).fit(
        [e.text for e in fitting], [e.intent for e in fitting]
    )
    # Without out-of-scope data to choose it on, no threshold: every message gets an intent.
    classifier.threshold = (
        tune_threshold(classifier, [e.text for e in choosing], [e.intent for e in choosing], oos_recall)
        if choosing
        else -math.inf
    )
    train_seconds = time.perf_counter() - started
    memory = _resident_mib() - memory_before
    predicted = [p.intent for p in classifier.predict([e.text for e in test])]
    expected = [e.intent for e in test]
    p50, p99 = _latency_ms(classifier, [e.text for e in test])
    return Report(
        n_train=len(fitting),
        embeddings=embeddings,
        n_test=len(test),
        intents=len({e.intent for e in fitting} - {OUT_OF_SCOPE}),
        accuracy=_in_scope_accuracy(expected, predicted),
        macro_f1=float(f1_score(expected, predicted, average="macro", zero_division=0)),
        oos_recall=_oos_recall(expected, predicted),
        oos_precision=_oos_precision(expected, predicted),
        threshold=classifier.threshold if choosing else None,
        train_seconds=train_seconds,
        p50_ms=p50,
        p99_ms=p99,
        model_memory_mib=memory,
        confused=_most_confused(expected, predicted),
    )


def _split(
    train: Sequence[Example], validation: Sequence[Example] | None
) -> tuple[list[Example], list[Example]]:
    if validation is not None:
        return list(train), list(validation)
    if any(e.intent == OUT_OF_SCOPE for e in train):
        return held_out(train, _HELD_OUT_SHARE, seed=0)
    return list(train), []


def _in_scope_accuracy(expected: Sequence[str], predicted: Sequence[str]) -> float:
    pairs = [(e, p) for e, p in zip(expected, predicted, strict=True) if e != OUT_OF_SCOPE]
    return sum(e == p for e, p in pairs) / len(pairs) if pairs else 0.0


def _oos_recall(expected: Sequence[str], predicted: Sequence[str]) -> float | None:
    turned = [p == OUT_OF_SCOPE for e, p in zip(expected, predicted, strict=True) if e == OUT_OF_SCOPE]
    return sum(turned) / len(turned) if turned else None


def _oos_precision(expected: Sequence[str], predicted: Sequence[str]) -> float | None:
    if OUT_OF_SCOPE not in expected:
        return None
    right = [e == OUT_OF_SCOPE for e, p in zip(expected, predicted, strict=True) if p == OUT_OF_SCOPE]
    return sum(right) / len(right) if right else 0.0


def _most_confused(
    expected: Sequence[str], predicted: Sequence[str], top: int = 10
) -> list[tuple[str, str, int]]:
    mistakes = Counter((e, p) for e, p in zip(expected, predicted, strict=True) if e != p)
    return [(e, p, n) for (e, p), n in mistakes.most_common(top)]


def _latency_ms(classifier: IntentClassifier, texts: Sequence[str]) -> tuple[float, float]:
    """p50 and p99 of one message at a time, as messages arrive in a chat."""
    timings: list[float] = []
    for text in list(texts)[:_TIMED_MESSAGES]:
        started = time.perf_counter()
        classifier.predict([text])
        timings.append((time.perf_counter() - started) * 1000)
    if len(timings) < 2:
        return (timings[0], timings[0]) if timings else (0.0, 0.0)
    cuts = statistics.quantiles(timings, n=100)
    return statistics.median(timings), cuts[98]


def _resident_mib() -> float:
    """Peak resident memory so far (Linux reports KiB): the model's size shows as its growth."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def average(reports: Sequence[Report]) -> Report:
    """Few-shot samples as one report: the mean of every figure; the confusions of the first."""
    first = reports[0]

    def mean(value: float | None, name: str) -> float | None:
        return None if value is None else statistics.fmean(float(getattr(r, name)) for r in reports)

    return Report(
        n_train=first.n_train,
        embeddings=first.embeddings,
        n_test=first.n_test,
        intents=first.intents,
        accuracy=statistics.fmean(r.accuracy for r in reports),
        macro_f1=statistics.fmean(r.macro_f1 for r in reports),
        oos_recall=mean(first.oos_recall, "oos_recall"),
        oos_precision=mean(first.oos_precision, "oos_precision"),
        threshold=mean(first.threshold, "threshold"),
        train_seconds=statistics.fmean(r.train_seconds for r in reports),
        p50_ms=statistics.fmean(r.p50_ms for r in reports),
        p99_ms=statistics.fmean(r.p99_ms for r in reports),
        model_memory_mib=max(r.model_memory_mib for r in reports),
        confused=first.confused,
    )
