"""The interop fixtures: one private Cyrus IMAP for the whole run (scripts/interop/cyrus), alice's
mailbox filled over LMTP with the corpus, and the client core pointed at it.

Outside Debian, or without root where Cyrus is not installed, the interop tests are skipped with
the reason. With MONSISRA_INTEROP=required (make test, CI) they never skip: a Cyrus that cannot
be started is an error.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6

from tests.app.memory_keyring import memory_keyring  # noqa: F401
from tests.app.store_helpers import cache, cache_path, key  # noqa: F401
from tests.interop import corpus, cyrus, psc_peer
from tests.interop.cyrus import ALICE, Cyrus
from tests.interop.psc_peer import PscPeer

# The desktop app's flow (test_cyrus_app.py) runs on the UI tests' one qasync loop, and its
# composer sends at once, as in tests/ui (the undo delay has its own tests there).
from tests.ui.conftest import _qasync_loop, _sends_leave_at_once, data_root, qloop  # noqa: F401

CORPUS_SIZE = 1000


def _required() -> bool:
    return os.environ.get("MONSISRA_INTEROP", "").lower() == "required"


def _start(state: Path) -> Cyrus | Exception:
    try:
        return cyrus.start(state)
    except (cyrus.CyrusUnavailable, cyrus.CyrusFailed) as e:
        return e


@contextlib.contextmanager
def running_cyrus() -> Iterator[Cyrus]:
    """A fresh Cyrus (about a second once installed), stopped and wiped at the end; skipped where
    it cannot run, unless MONSISRA_INTEROP=required (then the run fails, saying why)."""
    reason = cyrus.can_run_here()
    if reason is not None:
        if _required():
            pytest.fail(f"MONSISRA_INTEROP=required but {reason}", pytrace=False)
        pytest.skip(reason)
    state = cyrus.new_state_dir()
    server = _start(state)
    if isinstance(server, Exception):  # said outside the except block: no chained traceback
        cyrus.stop(state)
        if isinstance(server, cyrus.CyrusUnavailable):
            if not _required():
                pytest.skip(f"Cyrus cannot run here: {server}")
            pytest.fail(f"MONSISRA_INTEROP=required but Cyrus cannot run here: {server}", False)
        pytest.fail(f"Cyrus did not start: {server}", pytrace=False)
    try:
        yield server
    finally:
        cyrus.stop(state)


@pytest.fixture(scope="session")
def cyrus_server() -> Iterator[Cyrus]:
    """This run's Cyrus, shared by the interop tests."""
    with running_cyrus() as server:
        yield server


PscFactory = Callable[..., PscPeer]


@pytest.fixture(scope="session")
def psc_factory() -> Iterator[PscFactory]:
    """Starts OpenID providers dressed as PSC (scripts/interop/psc: about a second once `npm ci`
    ran), each with its own settings (provider.mjs's PSC_* variables); all stopped at the end.
    Without node/npm: skipped, or failed under MONSISRA_INTEROP=required, as Cyrus is."""
    reason = psc_peer.can_run_here()
    if reason is not None:
        if _required():
            pytest.fail(f"MONSISRA_INTEROP=required but {reason}", pytrace=False)
        pytest.skip(reason)
    started: list[Path] = []

    def start(**env: str) -> PscPeer:
        state = psc_peer.new_state_dir()
        started.append(state)
        try:
            return psc_peer.start(state, **env)
        except psc_peer.PscUnavailable as e:
            failure: Exception = e
        except psc_peer.PscFailed as e:
            failure = e
        # said outside the except blocks: no chained traceback
        if isinstance(failure, psc_peer.PscUnavailable) and not _required():
            pytest.skip(f"the PSC test provider cannot run here: {failure}")
        pytest.fail(f"the PSC test provider did not start: {failure}", pytrace=False)

    try:
        yield start
    finally:
        for state in started:
            psc_peer.stop(state)


@pytest.fixture(scope="session")
def psc(psc_factory: PscFactory) -> PscPeer:
    """One provider for the run, with PSC's defaults (userinfo as JSON)."""
    return psc_factory()


@pytest.fixture(scope="session")
def alice_corpus(cyrus_server: Cyrus) -> corpus.Corpus:
    """Alice's inbox holds the corpus (delivered once per run, over LMTP)."""
    made = corpus.generate(CORPUS_SIZE, to=ALICE)
    assert cyrus.deliver(cyrus_server, made.messages, ALICE) == CORPUS_SIZE
    return made


@pytest.fixture(scope="session")
def navigator_installed() -> None:
    """Features open each other (the mail page a composer) through the navigator the app
    installs at start-up (ui.app.make_application), as tests/ui's own fixture does."""
    from ui.shell import navigator

    navigator.install()


@pytest.fixture(scope="session")
def qt_shut_down_at_the_end(qapp: Any) -> Iterator[None]:
    """As tests/ui does: Qt's objects go while Qt is alive, before Python's final collection —
    unless tests/ui's own fixture did it already (both folders in one run)."""
    yield
    if not shiboken6.isValid(qapp):
        return
    for widget in qapp.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    qapp.processEvents()
    from ui import theme

    theme.icon.cache_clear()
    gc.collect()
    qapp.shutdown()


_exit_status: int | None = None


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    global _exit_status  # noqa: PLW0603 - the status must outlive the session object
    _exit_status = int(exitstatus)


def pytest_unconfigure(config: pytest.Config) -> None:
    """tests/ui/conftest.py says why: PySide6 can abort in Python's final garbage collection
    after widget tests; once pytest has reported, the process ends with pytest's own status."""
    if _exit_status is not None and "PySide6" in sys.modules:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_exit_status)
