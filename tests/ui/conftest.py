"""UI tests: real widgets offscreen, a qasync loop that runs while pytest-qt spins Qt's event loop
(`qtbot.waitUntil`), and a real AccountSession on the sandbox."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
import qasync
from pytestqt.qtbot import QtBot

from app.session import AccountSession
from server.demo.users import DEMO_PASSWORD
from server.testing import ServerThread
from tests.server.conftest import (  # noqa: F401
    demo_server,
    demo_template,
    server,
    server_factory,
)

T = TypeVar("T")
GP_LOGIN = "helene.garnier"


@pytest.fixture
def qloop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    """asyncio on Qt's loop: coroutines progress whenever Qt processes events."""
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop
    # asyncio.to_thread's workers are QThreads here: stop them before Qt goes.
    executor = getattr(loop, "_default_executor", None)
    if executor is not None:
        executor.shutdown(wait=True)
    asyncio.set_event_loop(None)


def run_sync(qtbot: QtBot, coro: Coroutine[Any, Any, T], timeout: int = 30_000) -> T:
    """Runs `coro` to its end while Qt (and so the qasync loop) keeps running."""
    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


@pytest.fixture
def ui_session(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    demo_server: ServerThread,  # noqa: F811
    tmp_path: Path,
) -> Iterator[AccountSession]:
    """The demo GP's session, started (background sync), with her inbox in the cache."""
    session = run_sync(
        qtbot, AccountSession.open(tmp_path / "data", demo_server.base_url, GP_LOGIN, DEMO_PASSWORD)
    )
    session.start()
    qtbot.waitUntil(lambda: session.unread_total() > 0, timeout=30_000)
    yield session
    run_sync(qtbot, session.close())
