"""Running `monsisra-cli` as a user or a script does: a separate process, killed when a test
says so (MONSISRA_CRASHPOINT), its cache opened afterwards to compare with the server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from app.account.login import OpenAccount, open_account
from server.testing import ServerThread
from tests.server.conftest import ALICE, BOB

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
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`env`: more environment variables for the process."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("MONSISRA_")}
    env = {**environment, **(env or {})}
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


def as_alice(
    server: ServerThread, data: Path, *args: str, crashpoint: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`monsisra-cli` run by alice on the sandbox `server`."""
    return cli(server.base_url, ALICE.login, ALICE.password, data, *args, crashpoint=crashpoint)


def send_as_alice(
    server: ServerThread,
    data: Path,
    subject: str,
    body: str = "Cher confrère,",
    attach: tuple[str, ...] = (),
    crashpoint: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """alice sends `subject` to bob with `monsisra-cli send`; `attach`: "path:LOINC type" each."""
    documents = [arg for document in attach for arg in ("--attach", document)]
    return as_alice(
        server,
        data,
        *("send", "--to", BOB.email, "--subject", subject, "--body", body, *documents),
        crashpoint=crashpoint,
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


def deliver_to_alice(
    server: ServerThread, prefix: str, tag: str, count: int, start: datetime
) -> None:
    """Mail delivered to alice, as an incoming mail server would (6 s apart)."""
    account = server.sandbox.accounts.by_login(ALICE.login)
    assert account is not None
    with server.sandbox.db.write():
        for i in range(count):
            msg = EmailMessage()
            msg["From"] = BOB.email
            msg["To"] = ALICE.email
            msg["Subject"] = f"{prefix} {i}"
            msg["Message-ID"] = f"<{tag}-{i}@sisra-demo.mssante.fr>"
            msg.set_content(f"Compte rendu numéro {i} : échographie cardiaque sans anomalie.")
            server.sandbox.mail.import_message(
                account.id, msg.as_bytes(), received_at=start + timedelta(seconds=6 * i)
            )
