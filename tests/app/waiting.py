"""Waiting, in an async test, for something the background work does."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


async def until(condition: Callable[[], bool], timeout: float = 30) -> None:
    """Returns once `condition()` holds; AssertionError after `timeout` seconds."""
    for _ in range(int(timeout * 20)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not reached")
