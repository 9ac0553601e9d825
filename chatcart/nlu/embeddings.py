"""Optional static sentence embeddings for the intent classifier (ADR 13).

WordLlama's 256-dimension model ships inside its PyPI package: a token-embedding table and
its tokenizer, averaged per message, ~0.1 ms a message and 16 MiB. Added to the TF-IDF
features it lifts BANKING77 from 91.5 to 92.9 (full) and from 72.9 to 79.4 (10 per intent): words
the training set never used still land near the ones it did.

It is off unless asked for (`CHATCART_NLU_EMBEDDINGS=wordllama`, and the package installed:
`pip install chatcart[embeddings]`) because its weights were derived from Llama 2's token
embeddings, whose licence an owner should read before shipping them. The files are loaded
from the installed package itself; nothing is ever downloaded.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

WORDLLAMA = "wordllama"
#: How much the embedding counts beside the TF-IDF features (both unit length per message):
#: measured on BANKING77's and CLINC150's training sets, 2 was best (docs/nlu.md).
EMBEDDING_WEIGHT = 2.0
_WEIGHTS_FILE = "weights/l2_supercat_256.safetensors"
_TOKENIZER_FILE = "l2_supercat_tokenizer_config.json"


class Embedder(Protocol):
    def embed(self, texts: list[str]) -> NDArray[np.float32]: ...


class EmbeddingsUnavailable(RuntimeError):
    """Embeddings were asked for, but their package is not installed."""


def available(name: str) -> bool:
    return name == WORDLLAMA and find_spec(WORDLLAMA) is not None


@lru_cache(maxsize=1)
def embedder_named(name: str) -> Embedder:
    if name != WORDLLAMA:
        raise ValueError(f"unknown embeddings {name!r}; known: {WORDLLAMA}")
    if not available(name):
        raise EmbeddingsUnavailable(
            "embeddings need the wordllama package: pip install 'chatcart[embeddings]'"
        )
    return _WordLlama()


class _WordLlama:
    """WordLlama's inference over the files its package ships (its own loader would look for
    the tokenizer under another folder name and then try the network)."""

    def __init__(self) -> None:
        package = Path(str(import_module(WORDLLAMA).__file__)).parent
        safetensors: Any = import_module("safetensors.numpy")
        inference: Any = import_module("wordllama.inference")
        tokenizers: Any = import_module("wordllama.tokenizers")
        table = safetensors.load_file(str(package / _WEIGHTS_FILE))["embedding.weight"]
        self._model = inference.WordLlamaInference(table, tokenizers.tokenizer_from_file(_TOKENIZER_FILE))

    def embed(self, texts: list[str]) -> NDArray[np.float32]:
        return np.asarray(self._model.embed(texts, norm=True), dtype=np.float32)


class EmbeddingFeatures:
    """A scikit-learn transformer: each text's embedding, scaled by `weight`."""

    def __init__(self, name: str = WORDLLAMA, weight: float = EMBEDDING_WEIGHT) -> None:
        self.name = name
        self.weight = weight

    def fit(self, texts: list[str], intents: object = None) -> EmbeddingFeatures:
        embedder_named(self.name)
        return self

    def transform(self, texts: list[str]) -> NDArray[np.float32]:
        return embedder_named(self.name).embed(list(texts)) * np.float32(self.weight)

    def get_params(self, deep: bool = True) -> dict[str, object]:
        return {"name": self.name, "weight": self.weight}

    def set_params(self, **params: Any) -> EmbeddingFeatures:
        for key, value in params.items():
            setattr(self, key, value)
        return self
