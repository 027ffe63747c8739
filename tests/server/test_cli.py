"""`monsisra-server` as a user starts it: the first stdout line, the demo logins, persistence, and
how it stops (SIGTERM with a push stream open)."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.cli import config_from, parse_args


@contextmanager
def running_server(
    data: Path, *extra: str, stderr: list[str] | None = None
) -> Iterator[dict[str, Any]]:
    """The server's first stdout line, parsed; `stderr` gets what it wrote there once stopped."""
    # As a context manager, Popen closes its pipes once the server has ended.
    with subprocess.Popen(
        [
            sys.executable,
            "-m",
            "server.cli",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--data",
            str(data),
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            assert line, proc.stderr.read() if proc.stderr else "no output"
            yield json.loads(line)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
            if stderr is not None and proc.stderr is not None:
                stderr.extend(proc.stderr.read().splitlines())


def test_demo_server_prints_url_and_logins_and_the_session_answers(tmp_path: Path) -> None:
    data = tmp_path / "demo"
    said: list[str] = []
    with running_server(data, "--demo", "--professionals", "2000", stderr=said) as info:
        assert info["url"].startswith("http://127.0.0.1:")
        logins = {a["login"]: a["password"] for a in info["accounts"]}
        assert "helene.garnier" in logins
        token = httpx.post(
            info["url"] + "/auth/token",
            data={
                "grant_type": "password",
                "username": "helene.garnier",
                "password": logins["helene.garnier"],
            },
        ).json()["access_token"]
        session = httpx.get(info["session"], headers={"Authorization": f"Bearer {token}"}).json()
        assert session["username"] == "helene.garnier"
        assert "urn:monsisra:params:regional" in session["capabilities"]
        api = session["apiUrl"]
        account = session["primaryAccounts"]["urn:ietf:params:jmap:mail"]
        r = httpx.post(
            api,
            headers={"Authorization": f"Bearer {token}"},
            json={
                "using": ["urn:ietf:params:jmap:core", "urn:ietf:params:jmap:mail"],
                "methodCalls": [["Email/query", {"accountId": account, "limit": 5}, "q"]],
            },
        )
        first_ids = r.json()["methodResponses"][0][1]["ids"]
        assert len(first_ids) == 5
    # While the demo data is made (10–20 s the first time), each area is named as it starts.
    areas = [line.split(" s  ", 1)[1] for line in said if " s  " in line]
    assert areas == [
        "comptes de démonstration…",
        "annuaire (2000 professionnels)…",
        "patients et services régionaux…",
        "conversations et documents…",
    ]
    # Restarted on the same folder: the data is kept, nothing is generated again.
    said.clear()
    with running_server(data, "--demo", stderr=said) as info:
        token = httpx.post(
            info["url"] + "/auth/token",
            data={
                "grant_type": "password",
                "username": "helene.garnier",
                "password": logins["helene.garnier"],
            },
        ).json()["access_token"]
        r = httpx.post(
            info["url"] + "/jmap/api",
            headers={"Authorization": f"Bearer {token}"},
            json={
                "using": ["urn:ietf:params:jmap:core", "urn:ietf:params:jmap:mail"],
                "methodCalls": [["Email/query", {"accountId": account, "limit": 5}, "q"]],
            },
        )
        assert r.json()["methodResponses"][0][1]["ids"] == first_ids
    assert not any("démonstration (une seule fois)" in line for line in said)


def test_empty_server_starts_without_demo_accounts(tmp_path: Path) -> None:
    with running_server(tmp_path / "empty") as info:
        assert info["accounts"] == []
        assert httpx.get(info["url"] + "/.well-known/jmap").status_code == 200
        r = httpx.post(
            info["url"] + "/auth/token",
            data={"grant_type": "password", "username": "x", "password": "y"},
        )
        assert r.status_code == 401


def test_sigterm_ends_push_streams_and_stops_within_two_seconds(
    demo_template: Path, tmp_path: Path
) -> None:
    """`make demo` stops the sandbox with SIGTERM while the app holds its push stream open: the
    stream is ended (not left to a graceful wait without end) and the process exits, code 0."""
    data = tmp_path / "demo"
    shutil.copytree(demo_template, data)
    with subprocess.Popen(
        [sys.executable, "-m", "server.cli", "--demo", "--port", "0", "--data", str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            assert proc.stdout is not None
            info = json.loads(proc.stdout.readline())
            login = next(a for a in info["accounts"] if a["login"] == "helene.garnier")
            token = httpx.post(
                info["url"] + "/auth/token",
                data={
                    "grant_type": "password",
                    "username": login["login"],
                    "password": login["password"],
                },
            ).json()["access_token"]
            auth = {"Authorization": f"Bearer {token}"}
            session = httpx.get(info["session"], headers=auth).json()
            url = session["eventSourceUrl"].format(types="*", closeafter="no", ping="0")
            with httpx.stream("GET", url, headers=auth, timeout=30) as stream:
                lines = stream.iter_lines()
                assert next(lines).startswith(": MonSisra sandbox push")
                proc.send_signal(signal.SIGTERM)
                signalled = time.monotonic()
                rest = list(lines)  # the server ends the stream: no read error, no timeout
                code = proc.wait(timeout=10)
                stopped = time.monotonic() - signalled
            assert any(line.startswith("event: state") for line in rest)
            assert code == 0
            assert stopped < 2.0, f"stopped {stopped:.1f} s after SIGTERM"
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def test_the_delivered_size_limit_is_a_command_line_setting(tmp_path: Path) -> None:
    base = ["--data", str(tmp_path)]
    assert config_from(parse_args(base)).max_delivered_size == 50 * 1024 * 1024
    limited = config_from(parse_args([*base, "--max-delivered-size", "1048576"]))
    assert limited.max_delivered_size == 1048576


def test_pro_sante_connect_settings_and_the_secret_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = ["--data", str(tmp_path)]
    assert not config_from(parse_args(base)).psc_configured
    psc = [
        *base,
        "--psc-discovery-url",
        "https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet/.well-known/wallet-openid-configuration",
        "--psc-client-id",
        "monsisra-region",
    ]
    monkeypatch.setenv("MONSISRA_PSC_CLIENT_SECRET", "secret-de-l-environnement")
    config = config_from(parse_args(psc))
    assert config.psc_configured
    assert config.psc_client_secret == "secret-de-l-environnement"
    assert "secret-de-l-environnement" not in repr(config)
    flagged = config_from(parse_args([*psc, "--psc-client-secret", "secret-en-option"]))
    assert flagged.psc_client_secret == "secret-en-option"
