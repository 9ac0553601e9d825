"""Live fan-out: "this contact has new messages". In one process it is an in-memory hub;
with several API processes a Redis channel carries the same call (see docs/architecture.md)."""

from __future__ import annotations

import asyncio
import threading
from collections import defaultdict
from typing import Protocol


class Notifier(Protocol):
    def publish(self, workspace_id: str, contact_id: str) -> None: ...


class LocalNotifier:
    """Wakes the web chat connections of one contact; safe to call from worker threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        #: How many times each contact was announced: a connection that delivered after the
        #: latest announcement need not read the history again when its signal fires.
        self._announced: dict[tuple[str, str], int] = defaultdict(int)
        self._waiters: dict[tuple[str, str], set[tuple[asyncio.AbstractEventLoop, asyncio.Event]]] = (
            defaultdict(set)
        )

    def subscribe(self, workspace_id: str, contact_id: str) -> asyncio.Event:
        signal = asyncio.Event()
        with self._lock:
            self._waiters[(workspace_id, contact_id)].add((asyncio.get_running_loop(), signal))
        return signal

    def unsubscribe(self, workspace_id: str, contact_id: str, signal: asyncio.Event) -> None:
        with self._lock:
            waiters = self._waiters.get((workspace_id, contact_id), set())
            for entry in [w for w in waiters if w[1] is signal]:
                waiters.discard(entry)

    def announced(self, workspace_id: str, contact_id: str) -> int:
        with self._lock:
            return self._announced.get((workspace_id, contact_id), 0)

    def publish(self, workspace_id: str, contact_id: str) -> None:
        with self._lock:
            self._announced[(workspace_id, contact_id)] += 1
            waiters = list(self._waiters.get((workspace_id, contact_id), ()))
        for loop, signal in waiters:
            loop.call_soon_threadsafe(signal.set)
