"""UI tests: real widgets offscreen, a qasync loop that runs while pytest-qt spins Qt's event loop
(`qtbot.waitUntil`), and a real AccountSession on the sandbox."""

from __future__ import annotations

import asyncio
import gc
import os
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
import qasync
from pytestqt.qtbot import QtBot

from app import settings as settings_mod
from app.session import AccountSession
from server.demo.users import DEMO_PASSWORD
from server.testing import ServerThread
from tests.server.conftest import (  # noqa: F401
    demo_server,
    demo_template,
    server,
    server_factory,
)
from tests.ui.browser import browser  # noqa: F401
from ui import tasks
from ui.composer import sending
from ui.shell import navigator as shell_navigator

T = TypeVar("T")
GP_LOGIN = "helene.garnier"
# The offscreen platform cannot pass a window's size constraints on, and says so whenever a shown
# window's layout changes its minimum size: a limit of the test platform, not a bug of ours.
OFFSCREEN_ONLY = r"This plugin does not support propagateSizeHints\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            # pytest-qt reads the closest qt_log_ignore mark only: a test's own mark would hide
            # this one, so the patterns are merged into one mark placed first.
            own = [p for m in item.iter_markers("qt_log_ignore") for p in m.args]
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_ONLY, *own), append=False)


@pytest.fixture(scope="session")
def _qasync_loop(qapp: Any) -> Iterator[qasync.QEventLoop]:
    """One qasync loop for the whole run: a loop per test left Qt objects behind that Python's
    final garbage collection then freed after Qt, aborting the process."""
    loop = qasync.QEventLoop(qapp, already_running=True)
    # asyncio.to_thread runs on the loop's default executor, whose workers are QThreads: ours, so
    # that they stop before Qt does ("QThread: Destroyed while thread '' is still running").
    executor = qasync.QThreadExecutor(max_workers=10)  # qasync's own default
    loop.set_default_executor(executor)
    yield loop
    # Closed (which shuts the executor down, waiting for its threads), or Python's final garbage
    # collection finds it open ("unclosed event loop", and its self-pipe as an unclosed socket),
    # which the warnings-as-errors run reports as a failure. stop() first (close() refuses a
    # running loop): on this loop, which never ran exec(), it only marks it stopped —
    # QApplication.exit() does nothing outside exec().
    loop.stop()
    loop.close()


@pytest.fixture
def qloop(_qasync_loop: qasync.QEventLoop, qtbot: QtBot) -> Iterator[asyncio.AbstractEventLoop]:
    """asyncio on Qt's loop: coroutines progress whenever Qt processes events."""
    loop = _qasync_loop
    asyncio.events._set_running_loop(loop)
    asyncio.set_event_loop(loop)
    yield loop
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in pending:
        task.cancel()
    qtbot.waitUntil(lambda: all(t.done() for t in pending), timeout=10_000)
    # Unmarked between tests, or the next asyncio test (of tests/app, tests/server) would find
    # "another loop is running".
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(None)


def run_sync(qtbot: QtBot, coro: Coroutine[Any, Any, T], timeout: int = 30_000) -> T:
    """Runs `coro` to its end while Qt (and so the qasync loop) keeps running."""
    task = asyncio.ensure_future(coro)
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()


@contextmanager
def opened_session(
    qtbot: QtBot, base_url: str, root: Path, login: str, password: str = DEMO_PASSWORD
) -> Iterator[AccountSession]:
    """`login`'s session on the sandbox at `base_url`, its files under `root` (not started: no
    background sync); settled and closed when the block ends, as the app closes one."""
    session = run_sync(qtbot, AccountSession.open(root, base_url, login, password))
    try:
        yield session
    finally:
        run_sync(qtbot, tasks.settle())
        run_sync(qtbot, session.close())


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
    run_sync(qtbot, tasks.settle())  # as the app does before it closes a session
    run_sync(qtbot, session.close())


@pytest.fixture
def data_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data root of the test's own, made current (the settings module's state is restored
    after)."""
    monkeypatch.setattr(settings_mod, "_state", settings_mod.State())
    root = tmp_path / "client"
    settings_mod.use(root)
    return root


@pytest.fixture(autouse=True)
def _sends_leave_at_once(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A message sent from a composer leaves at once, as before the undo delay existed (its
    default, 10 s, would only slow the tests of other things down); the tests of the delay, marked
    `send_delay`, set the setting themselves."""
    if "send_delay" not in request.keywords:
        monkeypatch.setattr(sending, "undo_delay_s", lambda: 0)


@pytest.fixture(scope="session", autouse=True)
def _navigator() -> None:
    """Features open each other through the navigator, as in the app (ui.app.make_application)."""
    shell_navigator.install()


@pytest.fixture(scope="session", autouse=True)
def _shut_qt_down_before_python(qapp: Any) -> Iterator[None]:
    """Qt's objects go while Qt is still alive, before Python's final garbage collection (which
    otherwise tears PySide's types down in an order that can abort the process)."""
    yield
    for widget in qapp.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    qapp.processEvents()
    from ui import theme

    theme.icon.cache_clear()
    gc.collect()
    qapp.shutdown()
