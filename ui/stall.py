"""Event-loop stall watch: a precise timer on the UI thread notes how long each tick waited.

While the UI thread is busy (a slow query, a big layout, Python holding the GIL elsewhere) nothing
else runs on it: no paint, no click, no key. The time between two ticks of a short timer is how
long the app could not answer; on an idle loop it is the interval itself, so a figure overstates a
block by at most one interval. One Python call per tick and a fixed-size histogram: cheap enough
to stay on all day. Stalls over `log_over_ms` go to the Journal at WARNING, with their duration
only (nothing about what was on screen).
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, QTimer

log = logging.getLogger("monsisra.ui.stall")

HISTOGRAM_MS = 2_000  # gaps counted by the millisecond up to 2 s; longer ones share a last bucket


@dataclass(frozen=True)
class StallReport:
    """What the watch saw since it started (gaps: times between two ticks, in ms)."""

    interval_ms: int
    ticks: int
    longest_ms: float
    p99_ms: float  # 99 % of the gaps were at most this long (1 ms resolution)
    over_50: int
    over_100: int
    logged: int  # stalls written to the Journal

    @property
    def p99_late_ms(self) -> float:
        """p99 of the lateness: the gap beyond the interval."""
        return max(0.0, self.p99_ms - self.interval_ms)

    def line(self) -> str:
        return (
            f"longest stall {self.longest_ms:.0f} ms, p99 of tick lateness "
            f"{self.p99_late_ms:.0f} ms, {self.over_50} over 50 ms, {self.over_100} over "
            f"100 ms ({self.ticks} ticks of {self.interval_ms} ms)"
        )


class StallWatch(QObject):
    """start() / stop() / report(); `log_over_ms=None` logs nothing."""

    def __init__(
        self,
        interval_ms: int = 10,
        log_over_ms: float | None = 250.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.interval_ms = interval_ms
        self.log_over_ms = log_over_ms
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0
        self.reset()

    def reset(self) -> None:
        """Forgets what was seen (the timer keeps running if it was)."""
        self._histogram = [0] * (HISTOGRAM_MS + 1)
        self._ticks = 0
        self._longest = 0.0
        self._over_50 = 0
        self._over_100 = 0
        self._logged = 0
        self._last = time.monotonic()

    def start(self) -> None:
        self._last = time.monotonic()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def _tick(self) -> None:
        now = time.monotonic()
        gap_ms = (now - self._last) * 1000
        self._last = now
        self.note(gap_ms)

    def note(self, gap_ms: float) -> None:
        """Counts one gap between ticks (the timer calls it; tests may feed it)."""
        self._ticks += 1
        self._histogram[min(math.ceil(gap_ms), HISTOGRAM_MS)] += 1  # 12.4 ms counts as 13
        self._longest = max(self._longest, gap_ms)
        if gap_ms > 50:
            self._over_50 += 1
        if gap_ms > 100:
            self._over_100 += 1
        if self.log_over_ms is not None and gap_ms > self.log_over_ms:
            self._logged += 1
            log.warning("the interface did not respond for %.0f ms", gap_ms)

    def report(self) -> StallReport:
        return StallReport(
            interval_ms=self.interval_ms,
            ticks=self._ticks,
            longest_ms=self._longest,
            p99_ms=self._percentile(0.99),
            over_50=self._over_50,
            over_100=self._over_100,
            logged=self._logged,
        )

    def _percentile(self, fraction: float) -> float:
        if self._ticks == 0:
            return 0.0
        rank = fraction * self._ticks  # the smallest gap with at least this many at or below it
        seen = 0
        for ms, count in enumerate(self._histogram):
            seen += count
            if seen >= rank:
                return min(float(ms), self._longest)
        return self._longest
