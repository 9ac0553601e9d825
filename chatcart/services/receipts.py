"""Delivery receipts, batched: a channel that hands a message over marks it `sent`, but a
write transaction per message would sit on every turn's path. Cursors are collected and
written a few times a second in one statement, from a timer thread. A crash before that
write leaves a delivered message `queued`; the channel's replay by cursor keeps what the
customer sees right, and the next receipt of that message corrects the state."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from chatcart.storage.conversations import mark_sent
from chatcart.storage.db import Database

log = logging.getLogger(__name__)
FLUSH_AFTER_S = 0.25


class SentReceipts:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._pending: dict[str, set[int]] = {}
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def add(self, channel: str, cursors: Iterable[int]) -> None:
        with self._lock:
            self._pending.setdefault(channel, set()).update(cursors)
            if self._timer is None and self._pending[channel]:
                self._timer = threading.Timer(FLUSH_AFTER_S, self.flush)
                self._timer.daemon = True
                self._timer.start()

    def flush(self) -> int:
        """Writes what was collected; the number of messages now `sent`."""
        with self._lock:
            pending, self._pending, self._timer = self._pending, {}, None
        changed = 0
        for channel, cursors in pending.items():
            changed += self._write(channel, sorted(cursors))
        return changed

    def _write(self, channel: str, cursors: list[int]) -> int:
        """A receipt that cannot be written (the database is down or shutting down) is
        dropped with a warning: the message was delivered, only its state lags."""
        try:
            with self.db.transaction() as session:
                return mark_sent(session, cursors, channel)
        except Exception:
            log.warning("could not record %s delivered %s messages", len(cursors), channel, exc_info=True)
            return 0
