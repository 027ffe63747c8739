"""Code loaded once in a worker thread (ui/loading.py): a caller that comes while another is
still importing waits for the module to be whole. The login's core was taken from sys.modules
half imported (no `SignIn` yet): the login failed, and bench/ui.py waited forever for the
account."""

from __future__ import annotations

import asyncio
import importlib
import sys
import threading
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from ui.loading import LoadOnce

SLOW_MODULE = """
import slow_gate

slow_gate.entered.set()
slow_gate.release.wait(10)
READY = True
"""


@pytest.fixture
def slow_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[types.ModuleType]:
    """`slow_module` imports until `gate.release` is set (a big module under load); `gate`."""
    gate = types.ModuleType("slow_gate")
    gate.entered = threading.Event()  # type: ignore[attr-defined]
    gate.release = threading.Event()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "slow_gate", gate)
    (tmp_path / "slow_module.py").write_text(SLOW_MODULE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "slow_module", raising=False)
    yield gate
    gate.release.set()  # type: ignore[attr-defined]
    sys.modules.pop("slow_module", None)


def test_a_caller_during_the_import_waits_for_the_whole_module(
    slow_module: types.ModuleType,
) -> None:
    gate = slow_module
    load = LoadOnce(lambda: importlib.import_module("slow_module"))

    async def load_then_read() -> object:
        await load()
        return getattr(sys.modules["slow_module"], "READY", None)

    async def scenario() -> tuple[object, object]:
        first = asyncio.ensure_future(load_then_read())  # the app, once the login window painted
        await asyncio.to_thread(gate.entered.wait, 10)
        assert "slow_module" in sys.modules  # in sys.modules from the start of its import
        second = asyncio.ensure_future(load_then_read())  # a login submitted meanwhile
        await asyncio.sleep(0.2)
        gate.release.set()
        return await second, await first

    assert asyncio.run(scenario()) == (True, True)
    assert load.ready


def test_a_failed_load_is_tried_again() -> None:
    calls: list[int] = []

    def flaky() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise OSError("disk busy")

    load = LoadOnce(flaky)
    with pytest.raises(OSError, match="disk busy"):
        asyncio.run(load())
    assert not load.ready
    asyncio.run(load())
    asyncio.run(load())
    assert load.ready
    assert len(calls) == 2
