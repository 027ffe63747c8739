"""Fan-out of JMAP state changes to the push (EventSource) connections of an account.

Writers run in worker threads; listeners are asyncio queues on the server's loop. `publish` is
thread-safe and never blocks a writer: each listener's loop is woken with call_soon_threadsafe.
`close` ends every stream (a `None` in each queue): a push connection never ends by itself, so
the server calls it when it stops, or its graceful shutdown would wait for the clients.
"""

from __future__ import annotations

import asyncio
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(eq=False)
class Subscription:
    account_id: str
    loop: asyncio.AbstractEventLoop
    # `None` means the server is stopping: the stream ends.
    queue: asyncio.Queue[dict[str, str] | None] = field(default_factory=asyncio.Queue)


class StateBroker:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subs: dict[str, set[Subscription]] = defaultdict(set)
        self._closed = False
        # Called with every publish, from the writer's thread: they must not block (RFC 8620
        # §7.2 push subscriptions hand the change to their own thread).
        self.observers: list[Callable[[str, dict[str, str]], None]] = []

    def subscribe(self, account_id: str) -> Subscription:
        """Called from a coroutine: the subscription is bound to the running loop. Once the
        broker is closed, a new subscription is ended at once."""
        sub = Subscription(account_id, asyncio.get_running_loop())
        with self._lock:
            if self._closed:
                sub.queue.put_nowait(None)
            else:
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
            self._deliver(sub, dict(changed))
        for observer in self.observers:
            observer(account_id, dict(changed))

    def close(self) -> None:
        """Ends every stream, now and to come (thread-safe)."""
        with self._lock:
            self._closed = True
            subs = [sub for account_subs in self._subs.values() for sub in account_subs]
        for sub in subs:
            self._deliver(sub, None)

    def _deliver(self, sub: Subscription, item: dict[str, str] | None) -> None:
        try:
            sub.loop.call_soon_threadsafe(sub.queue.put_nowait, item)
        except RuntimeError:  # its loop has closed: the connection is gone
            self.unsubscribe(sub)

    def listener_count(self, account_id: str) -> int:
        with self._lock:
            return len(self._subs.get(account_id, ()))
