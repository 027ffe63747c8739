"""A small synchronous publish/subscribe: the core announces progress and changes, the UI listens
(without polling the database). Callbacks run on the publisher's thread and must be quick."""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from app.messages import Message

log = logging.getLogger("monsisra.events")

E = TypeVar("E")


class EventBus:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[type[Any], list[Callable[[Any], None]]] = defaultdict(list)

    def subscribe(self, event_type: type[E], callback: Callable[[E], None]) -> Callable[[], None]:
        """Returns the function that unsubscribes."""
        with self._lock:
            self._subscribers[event_type].append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers[event_type]:
                    self._subscribers[event_type].remove(callback)

        return unsubscribe

    def publish(self, event: object) -> None:
        with self._lock:
            callbacks = list(self._subscribers.get(type(event), ()))
        for callback in callbacks:
            try:
                callback(event)
            except Exception:  # a listener's bug must not break the publisher
                log.exception("listener of %s failed", type(event).__name__)


@dataclass(frozen=True)
class SyncProgress:
    phase: str  # "mailboxes", "initial", "delta", "attachments"
    done: int
    total: int | None


@dataclass(frozen=True)
class MailChanged:
    email_ids: frozenset[str] = field(default_factory=frozenset)
    thread_ids: frozenset[str] = field(default_factory=frozenset)
    mailbox_ids: frozenset[str] = field(default_factory=frozenset)
    removed_email_ids: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class ConnectionChanged:
    online: bool
    reason: Message | None = None  # why offline, or refused: the catalogue's words (translatable)
    tls_refused: bool = False  # the server answered but its secure connection was refused

    @property
    def reason_fr(self) -> str | None:
        return None if self.reason is None else self.reason.text()


@dataclass(frozen=True)
class DiskChanged:
    """Writing to the data folder failed (disk full or read-only: `reason`, the catalogue's words)
    or, with no reason, works again: the status bar says it until then (issue 17 §2)."""

    reason: Message | None = None

    @property
    def reason_fr(self) -> str | None:
        return None if self.reason is None else self.reason.text()


@dataclass(frozen=True)
class OutboxChanged:
    pending: int
    failed: int


@dataclass(frozen=True)
class DraftsChanged:
    """A draft of this computer was saved or deleted (the "Brouillons" view lists them)."""


@dataclass(frozen=True)
class CacheRebuilt:
    reason: Message

    @property
    def reason_fr(self) -> str:
        return self.reason.text()


@dataclass(frozen=True)
class ReauthNeeded:
    """The server refused the session: ask the password again; nothing in progress is lost."""


@dataclass(frozen=True)
class FavoritesChanged:
    """The favorites shown changed through a sync (made on another computer): issue 13 §5."""
