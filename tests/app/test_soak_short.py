"""Issue 17 §5 in the normal suite: bench/soak.py for two minutes (the long run is a bench). The
desktop app open offscreen against a sandbox changing at random, user actions at random through
its main window and lock screen: nothing it measures grows past its limit, no sync pass or action
hangs, and the cache equals the server at the end.

The soak runs in a process of its own, as the bench does: its RSS, descriptors and threads are
the app's alone, and its QApplication and qasync loop are not the test suite's (tests/ui keeps
one loop for the whole run)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
@pytest.mark.timeout(400)  # only catches a hang: the run stops itself after --seconds
def test_two_minutes_of_use_grow_nothing_and_converge(tmp_path: Path) -> None:
    plot = tmp_path / "soak.png"
    command = [sys.executable, str(ROOT / "bench" / "soak.py"), "--seconds", "120"]
    command += ["--seed", "17", "--lock-every", "0.03", "--plot", str(plot)]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path / "home")}
    # A session of its own: a hang is stopped with the sandbox process the soak started.
    with subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    ) as soak:
        try:
            out, _ = soak.communicate(timeout=380)
        except subprocess.TimeoutExpired:
            os.killpg(soak.pid, signal.SIGKILL)
            out, _ = soak.communicate()
    assert soak.returncode == 0, out
    assert "cache equals server at the end: yes" in out, out
    assert "soak: ok" in out, out
    assert "user: lock+unlock" in out, out  # the lock screen was gone through
    assert "user: read + document" in out, out  # a PDF opened from its chip
    assert "user: search" in out, out
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
