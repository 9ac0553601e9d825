"""A trained intent classifier: offline, a few seconds to train on two cores, any language.

Why this model (ADR 13): word and character n-grams weighted by TF-IDF, fed to a linear
support-vector machine. It needs no weights from anywhere, trains on a shop's few example
phrases in seconds, answers a message in about a millisecond, and character n-grams
read Chinese, Japanese and Polish (with or without its diacritics) as well as English.
Chinese is segmented into words by jieba after folding to Simplified script, the script
its dictionary is written in; the two scripts meet in the same features.

Out of scope is told two ways at once: examples labelled `oos` are a class of their own,
and a message whose best score is below `threshold` is out of scope whatever it resembles.
The threshold is chosen on held-out data (`tune_threshold`), never on the test set.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

import numpy as np
import opencc
import rjieba
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC

from chatcart.nlu.embeddings import EmbeddingFeatures
from chatcart.nlu.text import normalise, without_marks

OUT_OF_SCOPE = "oos"
#: The margin threshold when no held-out out-of-scope data chose one: about where the ones
#: tuned on CLINC150's and the commerce set's held-out data fell (−0.41 to −0.53).
DEFAULT_THRESHOLD = -0.45
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_WORD = re.compile(r"[^\W_]+")


@cache
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def words(text: str) -> list[str]:
    """The message as words: Latin words without their diacritics, Chinese cut into
    dictionary words."""
    folded = normalise(text)
    if _HAN.search(folded):
        folded = str(_to_simplified().convert(folded))
    found: list[str] = []
    for piece in rjieba.cut(folded):
        found += [piece] if _HAN.search(piece) else _WORD.findall(without_marks(piece))
    return found


def _characters(text: str) -> str:
    """Letters without their diacritics: half of Polish chat skips them ("paczke", "paczkę")."""
    return without_marks(normalise(text))


def _features(embeddings: str | None) -> FeatureUnion:
    parts: list[tuple[str, object]] = [
        (
            "words",
            TfidfVectorizer(analyzer=words, ngram_range=(1, 1), sublinear_tf=True, token_pattern=None),
        ),
        (
            "pairs",
            TfidfVectorizer(analyzer=_word_pairs, sublinear_tf=True),
        ),
        (
            "characters",
            TfidfVectorizer(
                analyzer="char_wb",
                preprocessor=_characters,
                ngram_range=(2, 5),
                sublinear_tf=True,
                min_df=2,
            ),
        ),
    ]
    if embeddings is not None:
        parts.append(("embeddings", EmbeddingFeatures(embeddings)))
    return FeatureUnion(parts)


def _word_pairs(text: str) -> list[str]:
    """Neighbouring words ("track order", "退 货"): order carries meaning single words lose."""
    found = words(text)
    return [f"{a} {b}" for a, b in pairwise(found)]


@dataclass(frozen=True)
class Prediction:
    intent: str
    #: The winning class's margin: above 0 the model is on its side; compared with `threshold`.
    score: float


class IntentClassifier:
    """Trains on (text, intent) pairs and names the intent of new text, or `oos`."""

    def __init__(
        self,
        threshold: float = DEFAULT_THRESHOLD,
        regularisation: float = 0.5,
        embeddings: str | None = None,
    ) -> None:
        """`embeddings` names static sentence embeddings added to the n-gram features
        (nlu/embeddings.py); None keeps to n-grams alone."""
        self.threshold = threshold
        self.embeddings = embeddings
        self._features = _features(embeddings)
        #: Seeded: liblinear shuffles while it trains, and a shop must get the same model twice.
        self._model = LinearSVC(C=regularisation, random_state=0)
        self._classes: NDArray[np.str_] = np.array([], dtype=str)

    @property
    def intents(self) -> list[str]:
        return [str(c) for c in self._classes]

    def fit(
        self, texts: Sequence[str], intents: Sequence[str], weights: Sequence[float] | None = None
    ) -> IntentClassifier:
        """`weights` counts some examples more than others (a shop's few phrases beside the
        commerce set's hundreds); None counts each once."""
        if len(set(intents)) < 2:
            raise ValueError("training needs examples of at least two intents")
        matrix = self._features.fit_transform(list(texts))
        self._model.fit(matrix, list(intents), sample_weight=None if weights is None else list(weights))
        self._classes = np.asarray(self._model.classes_, dtype=str)
        return self

    def scores(self, texts: Sequence[str]) -> NDArray[np.float64]:
        """Each text's margin for every intent, in `intents` order."""
        return np.asarray(self._model.decision_function(self._features.transform(list(texts))))

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        return self.decide(self.scores(texts))

    def decide(self, scores: NDArray[np.float64], threshold: float | None = None) -> list[Prediction]:
        """The best intent per row of scores, or out of scope below the threshold."""
        limit = self.threshold if threshold is None else threshold
        best = scores.argmax(axis=1)
        found: list[Prediction] = []
        for row, column in enumerate(best):
            score = float(scores[row, column])
            intent = str(self._classes[column]) if score >= limit else OUT_OF_SCOPE
            found.append(Prediction(intent, score))
        return found


def tune_threshold(
    classifier: IntentClassifier,
    texts: Sequence[str],
    intents: Sequence[str],
    oos_recall: float,
) -> float:
    """The lowest threshold at which `oos_recall` of the held-out out-of-scope examples are
    turned away. A higher one would lose more in-scope messages too, so the lowest that
    reaches the recall keeps the most. Without out-of-scope examples the default stands."""
    outside = [row for row, intent in enumerate(intents) if intent == OUT_OF_SCOPE]
    if not outside:
        return DEFAULT_THRESHOLD
    scores = classifier.scores([texts[row] for row in outside])
    predicted = classifier.decide(scores, threshold=-np.inf)
    # Those the out-of-scope class already catches need no threshold; the rest are caught only
    # when the threshold is above their best score.
    escaping = np.sort([p.score for p in predicted if p.intent != OUT_OF_SCOPE])
    to_catch = int(np.ceil(oos_recall * len(outside))) - (len(outside) - escaping.size)
    if to_catch <= 0:
        return float(escaping[0]) if escaping.size else DEFAULT_THRESHOLD
    return float(escaping[min(to_catch, escaping.size) - 1]) + 1e-6
