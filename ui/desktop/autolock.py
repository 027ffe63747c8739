"""Auto-lock after inactivity (default 2 hours, the MSSanté client reference's figure).

An application-wide event filter notes the user's input (keys, mouse presses, the wheel) in any of
our windows; it only records a time, so it costs nothing per event. One single-shot timer wakes up
when the delay could be over, checks the time of the last input, and either asks for the lock
(`timedOut`) or sleeps again for what remains. The delay comes from the settings
(`autolock_minutes`); tests give milliseconds instead. What the login window says after a lock is
the login's (ui/login/locked.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class AutoLock(QObject):
    """`timedOut` once no input came for the delay; `start()` again after an unlock."""

    timedOut = Signal()

    def __init__(
        self,
        minutes: int,
        parent: QObject | None = None,
        *,
        ms: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.minutes = minutes
        self._ms = ms
        self._clock = clock
        self._last = clock()
        self.running = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.check)

    @property
    def delay_ms(self) -> int:
        return self._ms if self._ms is not None else self.minutes * 60_000

    def set_minutes(self, minutes: int, ms: int | None = None) -> None:
        """A new delay (the settings changed; `ms` instead, for tests), counted from the last
        input as before: a shorter one may lock at once."""
        self.minutes = minutes
        self._ms = ms
        if self.running:
            self.check()

    def start(self) -> None:
        self._last = self._clock()
        if not self.running:
            app = QCoreApplication.instance()
            if app is not None:
                app.installEventFilter(self)
            self.running = True
        self._timer.start(self.delay_ms)

    def stop(self) -> None:
        self._timer.stop()
        if self.running:
            app = QCoreApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
            self.running = False

    def note_input(self) -> None:
        self._last = self._clock()

    def idle_ms(self) -> int:
        return int((self._clock() - self._last) * 1000)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS:
            self._last = self._clock()
        return False

    def check(self) -> None:
        """Locks when the delay is over, else sleeps for the rest of it."""
        if not self.running:
            return
        left = self.delay_ms - self.idle_ms()
        if left <= 0:
            self.stop()
            self.timedOut.emit()
        else:
            self._timer.start(left)
