"""One chat completion over HTTP from an OpenAI-compatible endpoint, with a timeout. Every
failure — refused connection, timeout, an error status, a body that is not JSON or not a
completion — becomes `ModelUnavailable`, and the engine answers as if no model were
configured."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import httpx

from chatcart.assistant.endpoint import Endpoint
from chatcart.assistant.wire import parse_reply, request_body
from chatcart.engine.assistant_model import (
    AssistantModel,
    ChatMessage,
    ModelReply,
    ModelUnavailable,
    ToolSpec,
)

log = logging.getLogger(__name__)


class OpenAICompatibleModel:
    """`AssistantModel` over `POST {base_url}/chat/completions`. The client is shared by the
    turns of the process (httpx's pool is thread-safe), so connections are reused."""

    def __init__(self, endpoint: Endpoint, transport: httpx.BaseTransport | None = None) -> None:
        self.endpoint = endpoint
        headers = {"Authorization": f"Bearer {endpoint.api_key}"} if endpoint.api_key else {}
        self._client = httpx.Client(
            base_url=endpoint.base_url.rstrip("/") + "/",
            headers=headers,
            timeout=endpoint.timeout_seconds,
            transport=transport,
        )

    def complete(self, messages: Sequence[ChatMessage], tools: Sequence[ToolSpec]) -> ModelReply:
        body = request_body(self.endpoint.model, messages, tools)
        try:
            response = self._client.post("chat/completions", json=body)
            response.raise_for_status()
            data = response.json()
        except (httpx.HTTPError, ValueError) as failed:
            log.warning("language model unavailable: %s", type(failed).__name__)
            raise ModelUnavailable(type(failed).__name__) from failed
        return parse_reply(data)

    def close(self) -> None:
        self._client.close()


def model_for(endpoint: Endpoint | None) -> AssistantModel | None:
    """The model behind this endpoint; None when none is configured (the offline default)."""
    if endpoint is None or not endpoint.base_url.strip():
        return None
    return OpenAICompatibleModel(endpoint)
