"""Fan-out across API processes over Redis pub/sub: a process that stores new messages for a
contact publishes once, and every process wakes its own web chat connections of that
contact. Selected by CHATCART_REDIS_URL; without it one process's `LocalNotifier` suffices."""

from __future__ import annotations

import asyncio
import logging

import redis
import redis.asyncio as aioredis

from chatcart.services.notify import LocalNotifier

log = logging.getLogger(__name__)
CHANNEL_PREFIX = "chatcart:contact:"


def channel_name(workspace_id: str, contact_id: str) -> str:
    return f"{CHANNEL_PREFIX}{workspace_id}:{contact_id}"


class RedisNotifier:
    """Implements `Notifier` by publishing to Redis; `listen` delivers to the local hub."""

    def __init__(self, url: str, local: LocalNotifier) -> None:
        self.url = url
        self.local = local
        self._client = redis.Redis.from_url(url)

    def check(self) -> None:
        """Fails loudly at start-up when the configured Redis does not answer."""
        self._client.ping()

    def publish(self, workspace_id: str, contact_id: str) -> None:
        self._client.publish(channel_name(workspace_id, contact_id), b"1")

    async def listen(self, ready: asyncio.Event | None = None) -> None:
        """Forwards every contact signal from Redis to this process's connections."""
        client = aioredis.Redis.from_url(self.url)
        pubsub = client.pubsub()
        await pubsub.psubscribe(f"{CHANNEL_PREFIX}*")
        if ready is not None:
            ready.set()
        try:
            async for message in pubsub.listen():
                if message.get("type") != "pmessage":
                    continue
                workspace_id, _, contact_id = (
                    message["channel"].decode()[len(CHANNEL_PREFIX) :].partition(":")
                )
                self.local.publish(workspace_id, contact_id)
        finally:
            await pubsub.aclose()  # type: ignore[no-untyped-call]
            await client.aclose()

    def close(self) -> None:
        self._client.close()
