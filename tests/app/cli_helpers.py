"""Running `monsisra-cli` as a user or a script does: a separate process, killed when a test
says so (MONSISRA_CRASHPOINT), its cache opened afterwards to compare with the server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from app.account.login import OpenAccount, open_account

KILLED = -9


def cli(
    server_url: str,
    login: str,
    password: str,
    data: Path,
    *args: str,
    crashpoint: str | None = None,
    tmp: Path | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONSISRA_")}
    env["MONSISRA_PASSWORD"] = password
    if crashpoint:
        env["MONSISRA_CRASHPOINT"] = crashpoint
    if tmp is not None:
        env["TMPDIR"] = str(tmp)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "app.cli",
            "--server",
            server_url,
            "--login",
            login,
            "--data",
            str(data),
            *args,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def ok(result: subprocess.CompletedProcess[str]) -> Any:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@asynccontextmanager
async def opened(
    server_url: str, login: str, password: str, data: Path
) -> AsyncIterator[OpenAccount]:
    account = await open_account(data, server_url, login, password)
    try:
        yield account
    finally:
        await account.close()
