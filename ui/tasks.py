"""Background work from the UI: coroutines on the qasync loop, with success and failure callbacks
(the Anki CollectionOp idea). The UI never waits on I/O; failures reach the user as French
sentences, never as tracebacks."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from app.errors import CoreError

log = logging.getLogger("monsisra.ui")

T = TypeVar("T")

UNEXPECTED_FR = "Une erreur inattendue s'est produite. Le détail est dans le Journal."


def message_of(error: BaseException) -> str:
    """What to tell the user about `error`."""
    if isinstance(error, CoreError):
        return error.message_fr
    return UNEXPECTED_FR


def run(
    coro: Coroutine[Any, Any, T],
    on_done: Callable[[T], None] | None = None,
    on_error: Callable[[str], None] | None = None,
) -> asyncio.Future[T | None]:
    """Schedules `coro`; calls `on_done(result)` or `on_error(french_message)` on the UI thread.

    The returned future is done once the callback has run too (so a test, or a caller, that waits
    for it sees the callback's effect); a failure it reported resolves it to None."""

    async def runner() -> T | None:
        try:
            result = await coro
        except asyncio.CancelledError:
            raise
        except Exception as error:
            if not isinstance(error, CoreError):
                log.error("background task failed (%s)", type(error).__name__, exc_info=error)
            if on_error is not None:
                on_error(message_of(error))
            return None
        if on_done is not None:
            on_done(result)
        return result

    future = asyncio.ensure_future(runner())
    # Cancelled before it started, `coro` was never awaited: close it (no "never awaited").
    future.add_done_callback(lambda f: coro.close() if f.cancelled() else None)
    return future
