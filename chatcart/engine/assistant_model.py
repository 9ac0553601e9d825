"""The port to an optional language model that answers open questions (ADR 14).

The engine owns the conversation with the model — the rules, the tools, the loop and every
guard — and asks this port for one chat completion at a time; an adapter outside the
domain (chatcart/assistant/) speaks HTTP to an OpenAI-compatible endpoint. What comes back
is untrusted data: tool-call arguments stay raw text here and the engine parses them
defensively, so a malformed call is a failed step, never a crash.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

Role = Literal["system", "user", "assistant", "tool"]


@dataclass(frozen=True)
class ToolCall:
    """A tool the model asks for. `arguments` is the model's raw JSON text, unparsed: the
    engine decides whether it is valid."""

    id: str
    name: str
    arguments: str


@dataclass(frozen=True)
class ChatMessage:
    """One message of the exchange, in the shape every OpenAI-compatible API shares."""

    role: Role
    content: str = ""
    tool_calls: tuple[ToolCall, ...] = ()
    #: For a `tool` message: the call it answers.
    tool_call_id: str = ""


@dataclass(frozen=True)
class ToolSpec:
    """A tool offered to the model: its name, what it is for, and a JSON schema of its
    arguments (which the engine checks again itself: a schema is a hint to the model)."""

    name: str
    description: str
    parameters: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ModelReply:
    """Either a final text or tool calls (a reply with tool calls is not final)."""

    text: str = ""
    tool_calls: tuple[ToolCall, ...] = ()


class ModelUnavailable(Exception):
    """The endpoint failed, timed out or answered something that is not a chat completion:
    the turn goes on as if no model were configured."""


class AssistantModel(Protocol):
    def complete(self, messages: Sequence[ChatMessage], tools: Sequence[ToolSpec]) -> ModelReply:
        """One chat completion. Raises `ModelUnavailable` for any failure of the endpoint."""
        ...
