"""The heap frozen once the code is loaded (shorter full collections), never once an account is
open: a session frozen with the rest would outlive its lock, key included."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.ui.conftest import run_sync
from ui import app as ui_app


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()  # the rest of the test run collects as usual


def test_the_heap_is_frozen_before_any_account_opens(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path, unfrozen: None
) -> None:
    controller = ui_app.Controller(tmp_path, use_system_tray=False)
    qtbot.addWidget(controller.login)
    run_sync(qtbot, ui_app._settle(controller))
    assert gc.get_freeze_count() > 0


def test_nothing_is_frozen_once_an_account_is_open(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path, unfrozen: None
) -> None:
    controller = ui_app.Controller(tmp_path, use_system_tray=False)
    qtbot.addWidget(controller.login)
    controller.session = object()  # type: ignore[assignment]  # the user was quicker
    run_sync(qtbot, ui_app._settle(controller))
    assert gc.get_freeze_count() == 0
    controller.session = None
