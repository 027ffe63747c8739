"""What every test run shares: the temporary folder.

The code under test writes into "the temporary folder" in several places (the private copies of
documents opened, the composer's demo documents, subprocesses, Xvfb's auth files...). A run used to
leave these in /tmp for good. Here the whole run's temporary folder is one folder of pytest's own
base folder: it goes with it (pyproject: `tmp_path_retention_policy = "failed"`, so a run that
passes keeps nothing and a failed run keeps what its failures wrote, the last run only).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import sockets

sockets.install()


@pytest.fixture(scope="session", autouse=True)
def run_temp_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("tmp", numbered=False)
    saved_env, saved_tempdir = os.environ.get("TMPDIR"), tempfile.tempdir
    os.environ["TMPDIR"] = str(folder)  # for the subprocesses the tests start
    tempfile.tempdir = str(folder)  # for this process (gettempdir caches its first answer)
    try:
        yield folder
    finally:
        tempfile.tempdir = saved_tempdir
        if saved_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved_env
