"""The trained understander (`CHATCART_UNDERSTANDER=trained`): the keyword understander's
entities, choices and flags, with the intent named by a classifier trained on the commerce
set (`nlu/data/commerce_train.csv`: 17 intents and out-of-scope examples in English,
Traditional and Simplified Chinese, Japanese and Polish).

Keywords stay first where they are exact: a button's words, "checkout", "取消" are commands,
and a rule that never misses them beats a model that almost never does. The classifier
speaks where the keywords say nothing or only guess, and it is heard over them when it
hears a complaint or a request for a person the keyword lists do not hold: an upset
customer reaches a person first. While a step waits for an answer (a size, an address), the
step reads the text itself, so only those two are heard there.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from chatcart.commerce.content import FaqEntry, ShopIntents
from chatcart.nlu.classifier import OUT_OF_SCOPE, IntentClassifier, Prediction, tune_threshold
from chatcart.nlu.datasets import held_out, read_examples
from chatcart.nlu.interface import Context, FaqMatch, Intent, Understanding
from chatcart.nlu.keywords import EXACT, YIELDS_TO_SHOP_INTENTS, KeywordUnderstander
from chatcart.nlu.shop_intents import retrieved_shop_intent, shop_intent_of, shop_label

COMMERCE_TRAINING = Path(__file__).parent / "data" / "commerce_train.csv"
#: The commerce labels the engine acts on, by the intent it acts on them as. Questions about
#: shipping, payment, coupons, returns or a product's details map to None: the FAQ answers
#: them, then the catalog, then an honest "a person can answer".
ENGINE_INTENTS: dict[str, Intent | None] = {
    "greet": Intent.GREET,
    "browse": Intent.BROWSE,
    "search_product": Intent.SEARCH,
    "price": Intent.SEARCH,
    "availability": Intent.SEARCH,
    "add_to_cart": Intent.SEARCH,
    "product_question": None,
    "checkout": Intent.CHECKOUT,
    "order_status": Intent.ORDER_STATUS,
    "cancel_return": None,
    "shipping": None,
    "payment": None,
    "coupon": None,
    "complaint": Intent.COMPLAINT,
    "human": Intent.HUMAN,
    "thanks_bye": Intent.THANKS,
    "opt_out": None,
    OUT_OF_SCOPE: None,
}
#: Intents the classifier is heard on over a keyword guess.
_URGENT = frozenset({Intent.COMPLAINT, Intent.HUMAN})
#: The margin from which the classifier is heard on a complaint or a request for a person over
#: the keywords or a step in progress: on its side of the boundary, not merely in scope (a
#: buying customer handed to a person by a guess is a failure too).
_URGENT_MARGIN = 0.0
#: The out-of-scope class's margin from which a message is answered as outside the shop and
#: not searched: on the commerce test set 49% of out-of-scope messages, 0.7% of in-scope ones.
_OUT_OF_SCOPE_MARGIN = 0.0
#: At the tuned threshold a prediction's confidence is the flows' default minimum (0.6); each
#: unit of margin above it moves the confidence this much on the logistic scale.
_CONFIDENCE_AT_THRESHOLD = 0.6
_CONFIDENCE_SLOPE = 5.0
#: A shop's own intent is answered when its class wins above the in-scope threshold, or when
#: the retrieval over the shop's phrases (nlu/shop_intents.py) names it and its class scores
#: at least this: on the tea house's held-out phrasings 56.5% recognised, 1.7% taken for
#: another of its intents, 0.6% of the commerce test set's messages taken for one (retrieval
#: alone: 59%, 0.9%, 4.0%; docs/nlu.md, "The shop's own intents").
_RETRIEVED_SHOP_MARGIN = -0.5
#: A shop teaches an intent with a handful of phrases where each commerce intent has about
#: 225; each phrase weighs this many commerce examples' worth (capped by `_SHOP_WEIGHT_CAP`
#: per intent), so the few phrases are not drowned (docs/nlu.md, "The shop's own intents").
_SHOP_WEIGHT = 8.0
_SHOP_WEIGHT_CAP = 120.0
#: Shop models kept per process (each about the commerce model's size); a shop whose model
#: was let go is retrained on its next catalog refresh, in about a second.
_SHOP_MODELS = 16
_HELD_OUT_SHARE = 0.1
_OOS_RECALL = 0.7


#: One model per embeddings choice (none, or the one installed): at most two per process.
@lru_cache(maxsize=2)
def commerce_classifier(embeddings: str | None = None) -> IntentClassifier:
    """Trained once per process on the shipped commerce set (about a second), its threshold
    chosen on a tenth of it set aside."""
    fitting, choosing = held_out(read_examples(COMMERCE_TRAINING), _HELD_OUT_SHARE, seed=0)
    classifier = IntentClassifier(embeddings=embeddings).fit(
        [e.text for e in fitting], [e.intent for e in fitting]
    )
    classifier.threshold = tune_threshold(
        classifier, [e.text for e in choosing], [e.intent for e in choosing], _OOS_RECALL
    )
    return classifier


def _commerce_examples() -> tuple[list[str], list[str]]:
    fitting, _ = held_out(read_examples(COMMERCE_TRAINING), _HELD_OUT_SHARE, seed=0)
    return [e.text for e in fitting], [e.intent for e in fitting]


@lru_cache(maxsize=_SHOP_MODELS)
def shop_classifier(intents: ShopIntents, embeddings: str | None = None) -> IntentClassifier:
    """The commerce model retrained with one shop's intents as classes of their own (about a
    second). It keeps the commerce model's threshold, so what the shop did not teach is
    understood exactly as before."""
    texts, labels = _commerce_examples()
    weights = [1.0] * len(texts)
    for intent in intents.intents:
        phrases = intent.all_examples()
        texts += phrases
        labels += [shop_label(intent.id)] * len(phrases)
        weights += [min(_SHOP_WEIGHT, _SHOP_WEIGHT_CAP / len(phrases))] * len(phrases)
    classifier = IntentClassifier(embeddings=embeddings).fit(texts, labels, weights)
    classifier.threshold = commerce_classifier(embeddings).threshold
    return classifier


def _clearly_outside(found: Understanding, prediction: Prediction) -> bool:
    """The out-of-scope class won on its side of the boundary, and nothing in the message
    is shop business (an intent keyword, a budget, an order number, a phone)."""
    entities = found.entities
    business = (entities.price_max, entities.price_min, entities.order_number, entities.phone)
    return (
        prediction.score >= _OUT_OF_SCOPE_MARGIN
        and found.intent is None
        and all(v is None for v in business)
        and not (found.wants_cheaper or found.wants_recommendation)
    )


def _taught_intent(
    text: str, scores: NDArray[np.float64], classifier: IntentClassifier, intents: ShopIntents
) -> str | None:
    """The shop's intent the message asks: its class won above the threshold, or the
    retrieval over the shop's phrases names it and the model does not rule it out."""
    if not intents:
        return None
    best = int(scores.argmax())
    winner = shop_intent_of(classifier.intents[best])
    if winner is not None and scores[best] >= classifier.threshold:
        return winner
    retrieved = retrieved_shop_intent(text, intents)
    if retrieved is None:
        return None
    column = classifier.intents.index(shop_label(retrieved))
    return retrieved if scores[column] >= _RETRIEVED_SHOP_MARGIN else None


def _may_be_shop_intent(found: Understanding, context: Context) -> bool:
    """Not over a command said exactly, nor over a step's answer that is no question beside
    it (an address typed at the address step is the address)."""
    if _exact(found) and found.intent not in YIELDS_TO_SHOP_INTENTS:
        return False
    return not (context.expecting and not found.is_question)


def _exact(found: Understanding) -> bool:
    return found.intent is not None and found.confidence >= EXACT


class TrainedUnderstander:
    """Implements `Understander`: keywords for commands and entities, a model for intents."""

    def __init__(self, classifier: IntentClassifier | None = None, embeddings: str | None = None) -> None:
        self._keywords = KeywordUnderstander()
        self._given = classifier
        self._embeddings = embeddings

    @property
    def _classifier(self) -> IntentClassifier:
        """Trained on the first message, not at construction: a command that reads no
        message (`chatcart payments show`) does not pay for the training."""
        return self._given or commerce_classifier(self._embeddings)

    def _classifier_for(self, intents: ShopIntents) -> IntentClassifier:
        if not intents or self._given is not None:
            return self._classifier
        return shop_classifier(intents, self._embeddings)

    def warm_up(self) -> None:
        """Trains now (about a second), at a server's start-up, not on a first customer."""
        _ = self._classifier

    def learn(self, intents: ShopIntents) -> None:
        """Trains the shop's model now, while its catalog is refreshed, not in a turn."""
        _ = self._classifier_for(intents)

    def understand(self, text: str, context: Context) -> Understanding:
        # The shop's intents are this model's to recognise, not the keywords' retrieval.
        found = self._keywords.understand(text, replace(context, intents=ShopIntents()))
        classifier = self._classifier_for(context.intents)
        scores = classifier.scores([text])
        prediction = classifier.decide(scores)[0]
        intent = ENGINE_INTENTS.get(prediction.intent)
        urgent = intent in _URGENT and prediction.score >= _URGENT_MARGIN
        if not urgent and _may_be_shop_intent(found, context):
            taught = _taught_intent(text, scores[0], classifier, context.intents)
            if taught is not None:
                return replace(found, shop_intent=taught)
        if shop_intent_of(prediction.intent) is not None:
            return found
        if not urgent and (context.expecting is not None or _exact(found)):
            return found
        if prediction.intent == OUT_OF_SCOPE:
            return replace(found, out_of_scope=_clearly_outside(found, prediction))
        if intent is None and found.intent is not None:
            return found
        return replace(found, intent=intent, confidence=self._confidence(prediction))

    def _confidence(self, prediction: Prediction) -> float:
        margin = prediction.score - self._classifier.threshold
        at_threshold = math.log(_CONFIDENCE_AT_THRESHOLD / (1 - _CONFIDENCE_AT_THRESHOLD))
        return 1 / (1 + math.exp(-(at_threshold + _CONFIDENCE_SLOPE * margin)))

    def match_faq(self, text: str, entries: Sequence[FaqEntry]) -> FaqMatch | None:
        return self._keywords.match_faq(text, entries)
