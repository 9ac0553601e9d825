"""Where the language model is and how long to wait for it, as configured."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Seconds one completion may take before the turn goes on without the model.
DEFAULT_TIMEOUT_SECONDS = 15.0


@dataclass(frozen=True)
class Endpoint:
    """An OpenAI-compatible API: `base_url` ends before `/chat/completions` (e.g.
    `http://127.0.0.1:8080/v1`). The key is kept out of the repr, so it is never logged."""

    base_url: str
    model: str
    api_key: str = field(default="", repr=False)
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
