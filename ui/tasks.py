"""Background work from the UI, each piece with an owner (the Anki QueryOp / CollectionOp idea).

Coroutines run on the qasync loop; their results come back on the UI thread through callbacks,
and failures reach the user as French sentences, never as tracebacks. Results may arrive after
the widget that asked is gone (a page closed, a window deleted by Qt), and the session must not
close under work still using it, so every task has an owner and one of two kinds:

- `run` reads (a list, a search, a code): it is cancelled when its owner is destroyed, when a newer
  request of the same `key` replaces it (a search typed further), and when the session closes.
- `change` writes (a send, a draft saved, a flag set): it is never cancelled by its owner going
  away; the app awaits it before it closes the session (`settle`).

Either way, callbacks run only while the owner is alive. This module is the only place that
guards against late results: a page needs no flag of its own. A page that runs one change at a
time (a send button) keeps it in a `Running`, which also knows when it is over."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject

from app.errors import CoreError
from app.messages import Message
from ui import i18n

log = logging.getLogger("monsisra.ui")

T = TypeVar("T")

UNEXPECTED_FR = str(
    QT_TRANSLATE_NOOP(
        "tasks", "Une erreur inattendue s'est produite. Le détail est dans le Journal."
    )
)

# How long the app waits, at close, for changes still running (a send, a draft saved).
SETTLE_TIMEOUT_S = 30.0

_queries: dict[int, dict[str | None, set[asyncio.Future[Any]]]] = {}  # owner → key → reads
_changes: dict[asyncio.Future[Any], int] = {}  # change → its owner


def message_of(error: BaseException) -> str:
    """What to tell the user about `error`, in the app's language: a core error's own sentence
    (translated from the catalogue, `ui.i18n.core_text`), anything else as unexpected."""
    if isinstance(error, CoreError):
        return i18n.core_text(error.message)
    return QCoreApplication.translate("tasks", UNEXPECTED_FR)


def sentence(message: Message | None) -> str:
    """A core sentence that is no error (an event's reason, a probe's answer) in the app's
    language, like `message_of`; "" for none."""
    return "" if message is None else i18n.core_text(message)


def alive(obj: QObject) -> bool:
    """False once Qt deleted the C++ object behind `obj` (its Python wrapper may outlive it)."""
    return bool(shiboken6.isValid(obj))


def run(
    coro: Coroutine[Any, Any, T],
    owner: QObject,
    on_done: Callable[[T], None] | None = None,
    on_error: Callable[[str], None] | None = None,
    *,
    key: str | None = None,
) -> asyncio.Future[T | None]:
    """Reads in the background for `owner`: `on_done(result)` or `on_error(french_message)` on
    the UI thread. With a `key`, an unfinished read of the same owner and key is cancelled first.

    The returned future is done once the callback has run too (so a caller or a test that waits
    for it sees the callback's effect); a failure it reported resolves it to None."""
    address = _address(owner)
    if address not in _queries:
        _queries[address] = {}
        _watch(owner, address)
    slots = _queries[address]
    if key is not None:
        for older in list(slots.get(key, ())):
            older.cancel()
    future = _start(coro, owner, on_done, on_error)
    running = slots.setdefault(key, set())
    running.add(future)
    future.add_done_callback(running.discard)
    return future


def change(
    coro: Coroutine[Any, Any, T],
    owner: QObject,
    on_done: Callable[[T], None] | None = None,
    on_error: Callable[[str], None] | None = None,
) -> asyncio.Future[T | None]:
    """Writes in the background: finishes even if `owner` goes; awaited by `settle`."""
    future = _start(coro, owner, on_done, on_error)
    _changes[future] = _address(owner)
    future.add_done_callback(lambda f: _changes.pop(f, None))
    return future


def pending(owner: QObject | None = None) -> list[asyncio.Future[Any]]:
    """Work not yet finished (of `owner`, or all): reads and changes."""
    if owner is None:
        reads = [f for slots in _queries.values() for fs in slots.values() for f in fs]
        return [f for f in reads + list(_changes) if not f.done()]
    address = _address(owner)
    reads = [f for fs in _queries.get(address, {}).values() for f in fs]
    changes = [f for f, of in _changes.items() if of == address]
    return [f for f in reads + changes if not f.done()]


async def settle(timeout: float = SETTLE_TIMEOUT_S) -> None:
    """Before the session closes: every read cancelled, every change awaited (those still running
    after `timeout` are cancelled, logged). Work started meanwhile (a change's callback may start
    a read or another change) is settled the same way."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    me = asyncio.current_task()  # a change that settles (the app closing) does not await itself
    while True:
        for slots in list(_queries.values()):
            for running in list(slots.values()):
                for future in list(running):
                    future.cancel()  # nothing for one cancelled or done already
        waiting = [f for f in _changes if not f.done() and f is not me]
        reads = [f for f in pending() if f is not me and f not in _changes]
        if not waiting and not reads:
            return
        left = deadline - loop.time()
        if left <= 0:
            log.error("closing: %d change(s) cancelled after %.0f s", len(waiting), timeout)
            for future in waiting:
                future.cancel()
            await asyncio.gather(*waiting, return_exceptions=True)
            return
        await asyncio.wait(waiting + reads, timeout=left)


class Running:
    """The one change a page runs at a time (a send, a save): while it runs, another is refused (a
    second click starts nothing); once it ended, success or error, a new one may start.

    It counts as over from the moment its callback starts: a callback runs inside the task, before
    the future itself is done, and it is there that the page re-enables its buttons — a page that
    asked `future.done()` would still see itself busy and leave them disabled."""

    def __init__(self, owner: QObject) -> None:
        self.owner = owner
        self.future: asyncio.Future[Any] | None = None

    @property
    def busy(self) -> bool:
        return self.future is not None and not self.future.done()

    def change(
        self,
        coro: Coroutine[Any, Any, T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> asyncio.Future[T | None] | None:
        """`change(coro, owner, on_done, on_error)`, unless one is running: then `coro` is closed
        unstarted and None returned."""
        if self.busy:
            coro.close()
            return None

        def done(result: T) -> None:
            self.future = None
            if on_done is not None:
                on_done(result)

        def failed(message: str) -> None:
            self.future = None
            if on_error is not None:
                on_error(message)

        future = change(coro, self.owner, done, failed)
        self.future = future
        # Also over when no callback ran: cancelled at close, or its owner gone.
        future.add_done_callback(self._ended)
        return future

    def _ended(self, future: asyncio.Future[Any]) -> None:
        if self.future is future:
            self.future = None


def _start(
    coro: Coroutine[Any, Any, T],
    owner: QObject,
    on_done: Callable[[T], None] | None,
    on_error: Callable[[str], None] | None,
) -> asyncio.Future[T | None]:
    async def runner() -> T | None:
        try:
            result = await coro
        except asyncio.CancelledError:
            raise
        except Exception as error:
            if not isinstance(error, CoreError):
                log.error("background task failed (%s)", type(error).__name__, exc_info=error)
            if on_error is not None and alive(owner):
                on_error(message_of(error))
            return None
        if on_done is not None and alive(owner):
            on_done(result)
        return result

    future = asyncio.ensure_future(runner())
    # Cancelled before it started, `coro` was never awaited: close it (no "never awaited").
    future.add_done_callback(lambda f: coro.close() if f.cancelled() else None)
    return future


def _address(owner: QObject) -> int:
    """The C++ object's address: Python wrappers of one QObject may differ, the object does not."""
    return int(shiboken6.getCppPointer(owner)[0])


def _watch(owner: QObject, address: int) -> None:
    def gone() -> None:
        for running in _queries.pop(address, {}).values():
            for future in list(running):
                future.cancel()

    owner.destroyed.connect(gone)


__all__ = [
    "UNEXPECTED_FR",
    "Running",
    "alive",
    "change",
    "message_of",
    "pending",
    "run",
    "sentence",
    "settle",
]
