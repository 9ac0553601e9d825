"""Production fan-out over the real Redis: a reply stored by one API process wakes the web
chat connections held by another."""

from __future__ import annotations

import asyncio
import os
import threading
import uuid
from collections.abc import Callable, Coroutine
from typing import Any

import pytest
import redis

from chatcart.services.fanout import RedisNotifier, channel_name
from chatcart.services.notify import LocalNotifier

REDIS_URL = os.environ.get("CHATCART_TEST_REDIS", "redis://127.0.0.1:6379/0")


def run_in_own_loop(scenario: Callable[[], Coroutine[Any, Any, bool]]) -> bool:
    """A private thread and event loop, whatever loop the test session already runs."""
    result: list[bool] = []
    thread = threading.Thread(target=lambda: result.append(asyncio.run(scenario())))
    thread.start()
    thread.join(timeout=30)
    assert result, "the scenario did not finish"
    return result[0]


def test_a_signal_published_by_one_process_reaches_connections_of_another() -> None:
    async def scenario() -> bool:
        writer = RedisNotifier(REDIS_URL, LocalNotifier())
        reader_hub = LocalNotifier()
        reader = RedisNotifier(REDIS_URL, reader_hub)
        contact = uuid.uuid4().hex
        waiting = reader_hub.subscribe("demo", contact)
        other = reader_hub.subscribe("demo", "someone-else")
        ready = asyncio.Event()
        listener = asyncio.create_task(reader.listen(ready))
        await asyncio.wait_for(ready.wait(), timeout=5)
        await asyncio.to_thread(writer.publish, "demo", contact)
        try:
            await asyncio.wait_for(waiting.wait(), timeout=5)
        finally:
            listener.cancel()
            writer.close()
            reader.close()
        return other.is_set()

    assert run_in_own_loop(scenario) is False, "only the addressed contact's connections wake up"


def test_the_channel_names_the_workspace_and_the_contact() -> None:
    assert channel_name("demo", "c1") == "chatcart:contact:demo:c1"


def test_a_misconfigured_redis_fails_loudly_at_start() -> None:
    notifier = RedisNotifier("redis://127.0.0.1:1/0", LocalNotifier())
    with pytest.raises(redis.ConnectionError):
        notifier.check()
