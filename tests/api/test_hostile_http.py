"""The HTTP surface against a hostile client: languages clients send cannot grow memory,
every response says how browsers may use it (framing, sniffing, referrers), the API
explorer is off outside development, and a garbled payment signature is a plain 401."""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

import chatcart
from chatcart.api.app import create_app
from chatcart.demo.loader import ensure_demo
from chatcart.i18n import catalogue
from chatcart.services.runtime import Runtime
from chatcart.settings import Settings
from chatcart.storage.tables import MessageRow

from .conftest import count, order_status, orders_snapshot, place_order, signed

#: Unbounded caches whose arguments never come from a client (a handful of OpenCC configs).
INTERNAL_KEYS = {"chatcart.nlu.text._converter", "chatcart.nlu.language._converter"}


def long_tags(how_many: int, length: int = 15_000) -> Iterator[str]:
    for n in range(how_many):
        yield f"{n:06d}".translate(str.maketrans("0123456789", "abcdefghij")) + "z" * length


def test_thousands_of_long_languages_leave_the_caches_bounded(client: TestClient) -> None:
    catalogue._is_known_locale.cache_clear()
    for tag in long_tags(2_000):
        config = client.get("/channels/webchat/config", params={"workspace": "demo", "lang": tag})
        assert config.status_code == 200
        assert config.json()["lang"] == "zh-TW", "the shop's language"
    for n, tag in enumerate(long_tags(500, 40)):
        page = client.get("/", headers={"accept-language": f"{tag},xx-{n};q=0.5"})
        assert page.status_code == 200
    assert catalogue._is_known_locale.cache_info().currsize <= catalogue._LOCALES_REMEMBERED
    assert catalogue._messages.cache_info().currsize <= catalogue._CATALOGUES_REMEMBERED


def test_well_formed_languages_cannot_grow_the_caches_either() -> None:
    catalogue._is_known_locale.cache_clear()
    for n in range(3_000):
        letters = f"{n:05d}".translate(str.maketrans("0123456789", "abcdefghij"))
        catalogue.normalise_lang(letters)
        catalogue.translate(letters, "Send")
    info = catalogue._is_known_locale.cache_info()
    assert info.maxsize == catalogue._LOCALES_REMEMBERED and info.currsize <= info.maxsize


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("zh_Hant_TW", "zh-hant-tw"),
        ("en-GB", "en-gb"),
        ("de-DE-1996", "de-de-1996"),
        ("x" * 36, None),
        ("en;q=0.9", None),
        ("<script>", None),
        ("zh-TW" + "-abcdefgh" * 4, None),
        ("", None),
    ],
)
def test_only_bcp47_tags_are_languages(tag: str, expected: str | None) -> None:
    assert catalogue.language_tag(tag) == expected


def test_no_cache_in_chatcart_keyed_by_arguments_is_unbounded() -> None:
    unbounded = []
    for module_info in pkgutil.walk_packages(chatcart.__path__, "chatcart."):
        if ".migrations" in module_info.name:
            continue
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if not isinstance(value, functools._lru_cache_wrapper) or value.__module__ != module.__name__:
                continue
            takes_arguments = bool(inspect.signature(value.__wrapped__).parameters)  # type: ignore[attr-defined]
            if takes_arguments and value.cache_parameters()["maxsize"] is None:
                unbounded.append(f"{module.__name__}.{name}")
    assert set(unbounded) <= INTERNAL_KEYS, unbounded


# ---------------------------------------------------------------------------- security headers


def test_pages_cannot_be_framed_and_say_so(client: TestClient) -> None:
    for path in ("/", "/shop/demo/", "/shop/demo/p/SKN-005", "/shop/demo/p/nothing"):
        response = client.get(path)
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_pages_with_a_token_in_their_url_send_no_referrer(client: TestClient, runtime: Runtime) -> None:
    order = place_order(runtime)
    for path in (order.pay_path, order.track_path):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["referrer-policy"] == "no-referrer", path
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path
        assert response.headers["x-frame-options"] == "DENY"


def test_the_widget_and_its_endpoints_stay_usable_from_other_sites(client: TestClient) -> None:
    script = client.get("/static/widget.js")
    config = client.get("/channels/webchat/config", params={"workspace": "demo"})
    session = client.post("/channels/webchat/session", params={"workspace": "demo"})
    for response in (script, config, session):
        assert response.status_code == 200
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "x-frame-options" not in response.headers
        assert "content-security-policy" not in response.headers
    assert "javascript" in script.headers["content-type"]
    assert config.headers["access-control-allow-origin"] == "*"
    assert session.headers["access-control-allow-origin"] == "*"


def test_the_api_explorer_is_off_unless_in_development(runtime: Runtime, settings: Settings) -> None:
    ensure_demo(runtime)
    with TestClient(create_app(runtime, settings, run_jobs=False)) as client:
        assert [client.get(p).status_code for p in ("/docs", "/redoc", "/openapi.json")] == [404] * 3
    development = settings.model_copy(update={"development": True})
    with TestClient(create_app(runtime, development, run_jobs=False)) as client:
        assert [client.get(p).status_code for p in ("/docs", "/openapi.json")] == [200] * 2


# ---------------------------------------------------------------------------- payment signature


@pytest.mark.parametrize("signature", ["%C3%A9", "%E4%B8%AD" * 30, "%FF%FE", "%ED%A0%80", "%00"])
def test_a_non_ascii_signature_is_401_and_changes_nothing(
    client: TestClient, runtime: Runtime, signature: str
) -> None:
    order = place_order(runtime)
    before = (orders_snapshot(runtime), count(runtime, MessageRow))
    fields = signed(runtime, order.token)
    body = f"amount={fields['amount']}&currency={fields['currency']}&signature={signature}"
    response = client.post(
        order.pay_path, content=body, headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 401
    assert (orders_snapshot(runtime), count(runtime, MessageRow)) == before
    assert order_status(runtime, order.number) == "pending_payment"
