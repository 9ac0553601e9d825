"""The OpenAI chat-completions format, both ways: the engine's messages and tools as the
request body, and a response body as a `ModelReply`. The response is untrusted: anything
that is not a chat completion is `ModelUnavailable`; a tool call of the wrong shape is kept
with what could be read (an empty name or arguments), which the engine then refuses as a
failed step."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from chatcart.engine.assistant_model import ChatMessage, ModelReply, ModelUnavailable, ToolCall, ToolSpec


def request_body(model: str, messages: Sequence[ChatMessage], tools: Sequence[ToolSpec]) -> dict[str, Any]:
    return {
        "model": model,
        "messages": [message_json(m) for m in messages],
        "tools": [tool_json(t) for t in tools],
        "tool_choice": "auto",
        "temperature": 0,
    }


def message_json(message: ChatMessage) -> dict[str, Any]:
    if message.role == "tool":
        return {"role": "tool", "tool_call_id": message.tool_call_id, "content": message.content}
    if message.role == "assistant" and message.tool_calls:
        return {
            "role": "assistant",
            "content": message.content or None,
            "tool_calls": [
                {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
                for c in message.tool_calls
            ],
        }
    return {"role": message.role, "content": message.content}


def tool_json(spec: ToolSpec) -> dict[str, Any]:
    return {
        "type": "function",
        "function": {"name": spec.name, "description": spec.description, "parameters": dict(spec.parameters)},
    }


def parse_reply(data: object) -> ModelReply:
    """`choices[0].message` of a completion: its text and its tool calls."""
    message = _first_message(data)
    content = message.get("content")
    calls = message.get("tool_calls") or []
    if not isinstance(calls, list):
        raise ModelUnavailable("tool_calls is not a list")
    return ModelReply(
        text=content if isinstance(content, str) else "",
        tool_calls=tuple(_tool_call(c) for c in calls),
    )


def _first_message(data: object) -> dict[str, Any]:
    choices = data.get("choices") if isinstance(data, dict) else None
    first = choices[0] if isinstance(choices, list) and choices else None
    message = first.get("message") if isinstance(first, dict) else None
    if not isinstance(message, dict):
        raise ModelUnavailable("not a chat completion")
    return message


def _tool_call(raw: object) -> ToolCall:
    call = raw if isinstance(raw, dict) else {}
    function = call.get("function")
    function = function if isinstance(function, dict) else {}
    name, arguments, call_id = function.get("name"), function.get("arguments"), call.get("id")
    if isinstance(arguments, dict):  # some servers send an object, not its JSON text
        arguments = json.dumps(arguments, ensure_ascii=False)
    return ToolCall(
        id=call_id if isinstance(call_id, str) else "",
        name=name if isinstance(name, str) else "",
        arguments=arguments if isinstance(arguments, str) else "",
    )
