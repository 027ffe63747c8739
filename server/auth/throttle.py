"""Failed-login throttling: N failures for one login within a window lock it for the rest of it."""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque


class LoginThrottle:
    def __init__(self, limit: int, window: float) -> None:
        self._limit = limit
        self._window = window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def retry_after(self, login: str) -> int | None:
        """Seconds to wait before trying this login again, or None if it may try now."""
        now = time.monotonic()
        with self._lock:
            failures = self._failures.get(login.casefold())
            if not failures:
                return None
            while failures and failures[0] <= now - self._window:
                failures.popleft()
            if len(failures) < self._limit:
                return None
            return max(1, math.ceil(failures[0] + self._window - now))

    def failed(self, login: str) -> None:
        with self._lock:
            self._failures[login.casefold()].append(time.monotonic())

    def succeeded(self, login: str) -> None:
        with self._lock:
            self._failures.pop(login.casefold(), None)
