"""Background work with an owner (ui/tasks.py): reads go with their owner, a newer read of the same
key replaces the older one, changes finish whatever happens to their page, results never reach a
widget that is gone, and `settle` leaves nothing running before a session closes."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from app.errors import CoreError
from tests.ui.conftest import run_sync
from ui import tasks


async def after(seconds: float, value: str, log: list[str] | None = None) -> str:
    await asyncio.sleep(seconds)
    if log is not None:
        log.append(value)
    return value


def test_a_read_reports_to_its_owner_and_an_error_as_a_sentence(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    owner = QObject()
    done: list[str] = []
    said: list[str] = []

    async def refused() -> str:
        raise CoreError("test", "Le serveur a refusé.")

    tasks.run(after(0, "liste"), owner, done.append)
    tasks.run(refused(), owner, done.append, said.append)
    qtbot.waitUntil(lambda: done == ["liste"] and said == ["Le serveur a refusé."])


def test_a_newer_read_of_the_same_key_replaces_the_older_one(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    owner = QObject()
    shown: list[str] = []
    first = tasks.run(after(0.2, "ca"), owner, shown.append, key="search")
    other = tasks.run(after(0.2, "autre clé"), owner, shown.append, key="quota")
    second = tasks.run(after(0.05, "cardio"), owner, shown.append, key="search")
    qtbot.waitUntil(lambda: first.done() and second.done() and other.done())
    assert first.cancelled()
    assert sorted(shown) == ["autre clé", "cardio"]


def test_reads_go_with_their_owner_and_changes_finish_without_telling_it(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    owner = QObject()
    written: list[str] = []
    told: list[str] = []
    read = tasks.run(after(0.2, "lu"), owner, told.append)
    change = tasks.change(after(0.2, "brouillon", written), owner, told.append)
    owner.deleteLater()
    qtbot.waitUntil(lambda: read.done() and change.done())
    assert read.cancelled()
    assert written == ["brouillon"]  # the change finished: the draft is saved
    assert told == []  # and nothing reached the deleted owner


def test_settle_cancels_reads_and_waits_for_changes_even_those_started_meanwhile(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    owner = QObject()
    written: list[str] = []

    def then_more(_: str) -> None:  # a change's callback starting more work while settling
        tasks.run(after(30, "lecture tardive"), owner, written.append)
        tasks.change(after(0.1, "suite", written), owner)

    read = tasks.run(after(30, "lecture"), owner, written.append)
    tasks.change(after(0.1, "envoi", written), owner, then_more)
    run_sync(qtbot, tasks.settle(timeout=10), timeout=5_000)
    assert read.cancelled()
    assert written == ["envoi", "suite"]
    assert tasks.pending() == []


def test_settle_gives_up_on_a_change_that_outlasts_its_timeout(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    owner = QObject()
    stuck = tasks.change(after(60, "jamais"), owner)
    run_sync(qtbot, tasks.settle(timeout=0.2), timeout=5_000)
    assert stuck.cancelled()


def test_running_refuses_a_second_change_while_one_runs_and_frees_itself_as_it_ends(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    owner = QObject()
    sending = tasks.Running(owner)
    written: list[str] = []
    seen_busy: list[bool] = []  # as each callback saw it: where a page re-enables its buttons

    async def refused() -> str:
        raise CoreError("test", "Le serveur a refusé.")

    first = sending.change(after(0.1, "envoi", written), lambda _: seen_busy.append(sending.busy))
    assert first is not None
    assert sending.busy
    assert sending.change(after(0, "double clic", written)) is None  # a second click: nothing
    qtbot.waitUntil(first.done)
    assert written == ["envoi"]
    assert seen_busy == [False]
    assert not sending.busy

    failing = sending.change(refused(), on_error=lambda _: seen_busy.append(sending.busy))
    assert failing is not None  # after a success, a new one starts
    qtbot.waitUntil(failing.done)
    assert seen_busy == [False, False]
    again = sending.change(after(0, "nouvel essai", written))
    assert again is not None  # and after an error too
    qtbot.waitUntil(again.done)
    assert written == ["envoi", "nouvel essai"]


def test_running_is_free_again_after_a_change_cancelled_at_close(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop
) -> None:
    sending = tasks.Running(QObject())
    stuck = sending.change(after(60, "jamais"))
    assert stuck is not None
    assert sending.busy
    run_sync(qtbot, tasks.settle(timeout=0.1), timeout=5_000)
    assert stuck.cancelled()
    assert not sending.busy
    assert sending.future is None
