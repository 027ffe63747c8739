"""`monsisra-server` as a user starts it: the first stdout line, the demo logins, persistence."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx


@contextmanager
def running_server(data: Path, *extra: str) -> Iterator[dict[str, Any]]:
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


def test_demo_server_prints_url_and_logins_and_the_session_answers(tmp_path: Path) -> None:
    data = tmp_path / "demo"
    with running_server(data, "--demo", "--professionals", "2000") as info:
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
    # Restarted on the same folder: the data is kept, nothing is generated again.
    with running_server(data, "--demo") as info:
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


def test_empty_server_starts_without_demo_accounts(tmp_path: Path) -> None:
    with running_server(tmp_path / "empty") as info:
        assert info["accounts"] == []
        assert httpx.get(info["url"] + "/.well-known/jmap").status_code == 200
        r = httpx.post(
            info["url"] + "/auth/token",
            data={"grant_type": "password", "username": "x", "password": "y"},
        )
        assert r.status_code == 401
