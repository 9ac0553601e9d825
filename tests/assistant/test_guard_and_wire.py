"""The pieces the conversations rely on, one by one: numbers and links are read the same
way from tool results and from answers; arguments are parsed as untrusted data; the wire
format tolerates a model's odd shapes and turns a broken endpoint into `ModelUnavailable`."""

from __future__ import annotations

import socket

import pytest

from chatcart.assistant.endpoint import Endpoint
from chatcart.assistant.openai_compatible import OpenAICompatibleModel
from chatcart.assistant.wire import message_json, parse_reply
from chatcart.engine.assistant_model import ChatMessage, ModelUnavailable, ToolCall
from chatcart.engine.skills.assistant_guard import (
    Evidence,
    StepFailed,
    numbers_in,
    parse_arguments,
    price_arg,
    quantity_arg,
    ungrounded,
)


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("NT$1,780 or 1780.00", {"1780"}),
        ("只剩３件，每件880元", {"3", "880"}),
        ("a 100% discount", {"100"}),
        ("APP-001, CC-ABCD-3456 and x2 are codes", set()),
        ("1-2 days, NT$500-1000", {"1", "2", "500", "1000"}),
        ("150g for 12.50", {"150", "12.5"}),
    ],
)
def test_numbers_are_read_canonically_and_codes_are_not_numbers(text: str, numbers: set[str]) -> None:
    assert numbers_in(text) == numbers


def test_an_answer_is_grounded_only_by_what_the_tools_established() -> None:
    evidence = Evidence()
    evidence.trust({"price": "NT$1,780", "stock": 4, "url": "http://shop.test/shop/demo/p/APP-001"})
    assert ungrounded("It is NT$1780, 4 left: http://shop.test/shop/demo/p/APP-001.", evidence) == []
    assert ungrounded("It is NT$1,699 and 5 left", evidence) == ["1699", "5"]
    assert ungrounded("Pay at https://evil.example/pay", evidence) == ["https://evil.example/pay"]


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("{nope", "arguments must be a JSON object"),
        ('"a string"', "arguments must be a JSON object"),
        ("[1]", "arguments must be a JSON object"),
        ('{"q": "' + "x" * 3000 + '"}', "arguments too long"),
    ],
)
def test_bad_arguments_are_a_failed_step(raw: str, reason: str) -> None:
    with pytest.raises(StepFailed, match=reason):
        parse_arguments(raw)


@pytest.mark.parametrize("value", [0, 11, 999, -1, "2", True, 2.5, None])
def test_quantities_outside_one_to_ten_or_not_whole_are_refused(value: object) -> None:
    with pytest.raises(StepFailed):
        quantity_arg({"quantity": value})


def test_a_quantity_defaults_to_one_and_a_whole_float_is_taken() -> None:
    assert (
        quantity_arg({}) == 1
        and quantity_arg({"quantity": 3.0}) == 3
        and quantity_arg({"quantity": 10}) == 10
    )


@pytest.mark.parametrize("value", ["NaN", "Infinity", -5, "cheap", [1]])
def test_a_budget_must_be_a_positive_number(value: object) -> None:
    with pytest.raises(StepFailed):
        price_arg({"max_price": value}, "max_price")


def test_odd_tool_calls_are_kept_as_what_could_be_read() -> None:
    reply = parse_reply(
        {
            "choices": [
                {
                    "message": {
                        "content": None,
                        "tool_calls": [
                            {
                                "id": "a",
                                "function": {"name": "get_product", "arguments": {"product_id": "X"}},
                            },
                            {"id": 7, "function": {"name": ["x"], "arguments": 3}},
                            "garbage",
                        ],
                    }
                }
            ]
        }
    )
    assert reply.text == ""
    assert reply.tool_calls == (
        ToolCall("a", "get_product", '{"product_id": "X"}'),
        ToolCall("", "", ""),
        ToolCall("", "", ""),
    )


@pytest.mark.parametrize(
    "body",
    [None, [], {"choices": []}, {"choices": ["x"]}, {"choices": [{"message": {"tool_calls": "all"}}]}],
)
def test_a_body_that_is_not_a_completion_is_unavailable(body: object) -> None:
    with pytest.raises(ModelUnavailable):
        parse_reply(body)


def test_the_engines_messages_are_written_in_the_openai_shape() -> None:
    calls = (ToolCall("c1", "search_products", '{"query": "tea"}'),)
    assert message_json(ChatMessage("assistant", "", calls)) == {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": "c1",
                "type": "function",
                "function": {"name": "search_products", "arguments": '{"query": "tea"}'},
            }
        ],
    }
    assert message_json(ChatMessage("tool", '{"products": []}', tool_call_id="c1")) == {
        "role": "tool",
        "tool_call_id": "c1",
        "content": '{"products": []}',
    }


def test_a_refused_connection_is_unavailable_not_a_crash() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    model = OpenAICompatibleModel(Endpoint(f"http://127.0.0.1:{port}/v1", "m", timeout_seconds=1.0))
    with pytest.raises(ModelUnavailable):
        model.complete([ChatMessage("user", "hi")], [])
    model.close()
