"""The core's events on the UI thread, for every feature (mail, desktop notifications, composer).

The EventBus runs callbacks on the publisher's thread (the store's writer, a sync task…); widgets
may only be touched from the UI thread. Each event is re-emitted as a Qt signal of a QObject that
lives on the UI thread: Qt queues signals that cross threads, so the slots always run there.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from app.events import (
    CacheRebuilt,
    ConnectionChanged,
    DiskChanged,
    DraftsChanged,
    EventBus,
    FavoritesChanged,
    MailChanged,
    OutboxChanged,
    ReauthNeeded,
    SyncProgress,
)


class EventBridge(QObject):
    mailChanged = Signal(object)  # MailChanged
    syncProgress = Signal(object)  # SyncProgress
    connectionChanged = Signal(object)  # ConnectionChanged
    diskChanged = Signal(object)  # DiskChanged
    outboxChanged = Signal(object)  # OutboxChanged
    cacheRebuilt = Signal(object)  # CacheRebuilt
    reauthNeeded = Signal(object)  # ReauthNeeded
    draftsChanged = Signal(object)  # DraftsChanged
    favoritesChanged = Signal(object)  # FavoritesChanged

    def __init__(self, bus: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe: list[Callable[[], None]] = [
            bus.subscribe(MailChanged, self.mailChanged.emit),
            bus.subscribe(SyncProgress, self.syncProgress.emit),
            bus.subscribe(ConnectionChanged, self.connectionChanged.emit),
            bus.subscribe(DiskChanged, self.diskChanged.emit),
            bus.subscribe(OutboxChanged, self.outboxChanged.emit),
            bus.subscribe(CacheRebuilt, self.cacheRebuilt.emit),
            bus.subscribe(ReauthNeeded, self.reauthNeeded.emit),
            bus.subscribe(DraftsChanged, self.draftsChanged.emit),
            bus.subscribe(FavoritesChanged, self.favoritesChanged.emit),
        ]
        # The bus outlives the widgets: never call into a deleted QObject.
        unsubscribe = self._unsubscribe
        self.destroyed.connect(lambda *_: _drop(unsubscribe))

    def close(self) -> None:
        """Stops listening (the window is closing)."""
        _drop(self._unsubscribe)


def _drop(unsubscribe: list[Callable[[], None]]) -> None:
    while unsubscribe:
        unsubscribe.pop()()
