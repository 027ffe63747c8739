"""Per-account concurrency limits of the Session (maxConcurrentUpload, maxConcurrentRequests)."""

from __future__ import annotations

import threading
from collections import defaultdict


class Slots:
    """At most `limit` operations of one kind at a time per account; a caller over it is told so
    (a JMAP `limit` problem) rather than queued."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._busy: dict[str, int] = defaultdict(int)

    def take(self, account_id: str, limit: int) -> bool:
        with self._lock:
            if self._busy[account_id] >= limit:
                return False
            self._busy[account_id] += 1
            return True

    def give_back(self, account_id: str) -> None:
        with self._lock:
            self._busy[account_id] -= 1
