"""The hostile fixture in every main screen (tests/ui/hostile_screens.py), run in a child process
bounded in memory and time: where a screen renders their markup as rich text,
`<img src="/dev/zero">` reads until memory runs out and the process aborts (std::bad_alloc) —
the child, not this test run, which then reports it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENS = Path(__file__).with_name("hostile_screens.py")
MEMORY_LIMIT = 2 * 1024**3  # data segment and private maps; the screens need about 1 GB
TIME_LIMIT_S = 480
# The child sets its own limit, then runs pytest (no preexec_fn: this process has threads).
BOUNDED_PYTEST = (
    "import resource, runpy, sys\n"
    "limit = int(sys.argv.pop(1))\n"
    "resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))\n"
    "sys.argv[0] = 'pytest'\n"
    "runpy.run_module('pytest', run_name='__main__')\n"
)


@pytest.mark.timeout(TIME_LIMIT_S + 60)
def test_hostile_fixture_is_plain_text_in_every_screen(tmp_path: Path) -> None:
    command = [
        sys.executable,
        "-c",
        BOUNDED_PYTEST,
        str(MEMORY_LIMIT),
        "-q",
        "-s",
        "-p",
        "no:cacheprovider",
        f"--basetemp={tmp_path / 'screens'}",
        str(SCREENS),
    ]
    path = os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))
    try:
        done = subprocess.run(
            command,
            check=False,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": path},
            capture_output=True,
            text=True,
            timeout=TIME_LIMIT_S,
        )
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"the screens did not finish in {TIME_LIMIT_S} s:\n{e.stdout!s}")
    errors = (
        done.stderr
        if len(done.stderr) < 6000
        else done.stderr[:2000] + " […] " + done.stderr[-4000:]
    )
    output = done.stdout[-8000:] + errors
    print(output)
    assert done.returncode == 0, f"the screens' process ended with {done.returncode}:\n{output}"
    assert "1 passed" in done.stdout, output
