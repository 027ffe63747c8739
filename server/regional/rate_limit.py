"""A per-key sliding window: at most `limit` events within `window` seconds.

The regional patient directory answers a few searches a minute per account: enough for a
professional looking patients up one by one, far too few to walk the directory (issue 9 §8).
Kept in memory: a restart forgets the counts, which only ever helps the caller by one window.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque


class SlidingWindow:
    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self._window = window
        self._events: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def hit(self, key: str) -> int | None:
        """Counts one event for `key` and returns None, or, when the window is full, counts
        nothing and returns the seconds to wait before the next event is allowed."""
        now = time.monotonic()
        with self._lock:
            events = self._events[key]
            while events and events[0] <= now - self._window:
                events.popleft()
            if len(events) >= self.limit:
                return max(1, math.ceil(events[0] + self._window - now))
            events.append(now)
            return None
