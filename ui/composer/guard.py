"""Background results may arrive after their window is gone (closed, deleted by Qt): callbacks
and coroutines check that their widget still exists before touching it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject


def alive(obj: QObject) -> bool:
    return bool(shiboken6.isValid(obj))


def guarded(obj: QObject, fn: Callable[..., None]) -> Callable[..., None]:
    """`fn`, skipped when `obj` was deleted meanwhile."""

    def call(*args: Any) -> None:
        if alive(obj):
            fn(*args)

    return call
