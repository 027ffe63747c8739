"""Fan-out of JMAP state changes to the push (EventSource) connections of an account.

Writers run in worker threads; listeners are asyncio queues on the server's loop. `publish` is
thread-safe and never blocks a writer: each listener's loop is woken with call_soon_threadsafe.
"""

from __future__ import annotations

import asyncio
import threading
from collections import defaultdict
from dataclasses import dataclass, field


@dataclass(eq=False)
class Subscription:
    account_id: str
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[dict[str, str]] = field(default_factory=asyncio.Queue)


class StateBroker:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subs: dict[str, set[Subscription]] = defaultdict(set)

    def subscribe(self, account_id: str) -> Subscription:
        """Called from a coroutine: the subscription is bound to the running loop."""
        sub = Subscription(account_id, asyncio.get_running_loop())
        with self._lock:
            self._subs[account_id].add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            self._subs[sub.account_id].discard(sub)

    def publish(self, account_id: str, changed: dict[str, str]) -> None:
        """`changed` maps a JMAP type name to its new state string."""
        with self._lock:
            subs = list(self._subs.get(account_id, ()))
        for sub in subs:
            try:
                sub.loop.call_soon_threadsafe(sub.queue.put_nowait, dict(changed))
            except RuntimeError:  # its loop has closed: the connection is gone
                self.unsubscribe(sub)

    def listener_count(self, account_id: str) -> int:
        with self._lock:
            return len(self._subs.get(account_id, ()))
