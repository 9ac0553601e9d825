"""The model is asked only for free text the rules leave, never for a tap, a complaint, a
request for a person or while a person owns the conversation; an endpoint that fails,
times out or answers nonsense leaves the customer exactly the reply a shop without a model
gives; and with no base URL configured nothing is ever called."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError

from chatcart.assistant.endpoint import Endpoint
from chatcart.assistant.openai_compatible import OpenAICompatibleModel, model_for
from chatcart.cli.context import open_runtime
from chatcart.demo.loader import ensure_demo
from chatcart.services.runtime import Runtime
from chatcart.settings import Settings
from tests.assistant.conftest import (
    OPEN_QUESTION,
    FakeEndpoint,
    Scripted,
    call,
    cart_of,
    completion,
    owner_of,
    runtime_for,
)
from tests.conftest import FakeClock
from tests.conversations.conftest import Customer


@pytest.fixture
def plain_shop(tmp_path: Path, clock: FakeClock) -> Iterator[Runtime]:
    """The same demo shop with no model configured: the replies to compare with."""
    rt = runtime_for(f"sqlite:///{tmp_path / 'plain.db'}", clock, None)
    yield rt
    rt.db.dispose()


def _plain_reply(plain_shop: Runtime, text: str) -> tuple[str, list[str]]:
    plain = Customer(plain_shop, "alice", "en")
    plain.says(text)
    return plain.text, plain.quick_reply_payloads()


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param([Scripted({"error": {"message": "overloaded"}}, status=500)], id="500"),
        pytest.param([Scripted(b"<html>not json</html>")], id="invalid-json"),
        pytest.param([Scripted({"object": "not a completion"})], id="not-a-completion"),
        pytest.param([Scripted(completion(""))], id="empty-answer"),
        pytest.param([Scripted(completion("Too late, NT$880."), delay=2.5)], id="timeout"),
        pytest.param(
            [
                Scripted(completion(None, call("get_product", {"product_id": "TEA-001"}))),
                Scripted({}, status=503),
            ],
            id="fails-mid-loop",
        ),
    ],
)
def test_a_failing_endpoint_leaves_the_reply_a_shop_without_a_model_gives(
    failure: list[Scripted], customer: Customer, endpoint: FakeEndpoint, plain_shop: Runtime
) -> None:
    endpoint.replies(*failure)
    customer.says(OPEN_QUESTION)
    assert len(endpoint.received) == len(failure), "the model was asked"
    assert (customer.text, customer.quick_reply_payloads()) == _plain_reply(plain_shop, OPEN_QUESTION)
    assert "NT$880" not in customer.text and customer.cards == []


def test_with_no_base_url_configured_nothing_is_called(
    tmp_path: Path, endpoint: FakeEndpoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHATCART_LLM_MODEL", "ignored-without-a-base-url")
    monkeypatch.setenv("CHATCART_LLM_API_KEY", "sk-unused")
    settings = Settings(_env_file=None, data_dir=tmp_path)
    assert settings.llm_base_url == "" and settings.llm_endpoint is None
    assert model_for(Endpoint(" ", "m")) is None
    rt = open_runtime(settings)
    try:
        assert rt.engine.assistant is None
        ensure_demo(rt)
        endpoint.replies(completion("should never be asked"))
        Customer(rt, "alice", "en").says(OPEN_QUESTION)
        Customer(rt, "bob", "en").says("xyzzy plugh")
    finally:
        rt.db.dispose()
    assert endpoint.received == []


def test_the_environment_turns_the_endpoint_on_and_one_without_a_model_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHATCART_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("CHATCART_LLM_MODEL", "qwen")
    monkeypatch.setenv("CHATCART_LLM_API_KEY", "sk-1")
    configured = Settings(_env_file=None, data_dir=tmp_path)
    assert configured.llm_endpoint == Endpoint("http://127.0.0.1:9/v1", "qwen", "sk-1", 15.0)
    assert "sk-1" not in repr(configured) and "sk-1" not in repr(configured.llm_endpoint)
    rt = open_runtime(configured)
    try:
        model = rt.engine.assistant
        assert isinstance(model, OpenAICompatibleModel) and model.endpoint == configured.llm_endpoint
    finally:
        rt.db.dispose()
    monkeypatch.delenv("CHATCART_LLM_MODEL")
    with pytest.raises(ValidationError, match="CHATCART_LLM_MODEL must be set"):
        Settings(_env_file=None, data_dir=tmp_path)


def test_taps_complaints_requests_for_a_person_and_a_persons_conversation_never_reach_it(
    shop: Runtime, endpoint: FakeEndpoint
) -> None:
    endpoint.replies(*[completion("I am the model.") for _ in range(5)])
    tapper = Customer(shop, "tapper", "en")
    for payload in ("BROWSE", "SEARCH", "MENU", "BUY:NOPE-404", "NOT_A_PAYLOAD"):
        tapper.taps(payload)
    tapper.says("hello")
    angry = Customer(shop, "angry", "en")
    angry.says("this arrived broken!!")
    assert owner_of(shop, "angry") == "human", "a complaint goes to a person, as always"
    angry.says(OPEN_QUESTION)
    assert angry.replies == []
    asker = Customer(shop, "asker", "en")
    asker.says("talk to a person")
    assert owner_of(shop, "asker") == "human"
    assert endpoint.received == []
    assert "I am the model." not in tapper.text + angry.text + asker.text


def test_a_step_in_progress_keeps_its_own_question(
    shop: Runtime, customer: Customer, endpoint: FakeEndpoint
) -> None:
    endpoint.replies(completion("I am the model."))
    customer.taps("BUY:TEA-001")
    assert "Which size" in customer.text
    customer.says(OPEN_QUESTION)
    assert endpoint.received == [] and "I am the model." not in customer.text
    assert cart_of(shop, "alice") == []
