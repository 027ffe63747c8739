"""Fixtures that run the real sandbox over loopback: tests talk HTTP to it, never call its code."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.testing import ServerThread, TlsFiles, quick_config
from server.urls import REGIONAL_API_PATH
from tests.server.jmap_support import Jmap


@dataclass(frozen=True)
class User:
    login: str
    password: str
    name: str
    email: str


ALICE = User("alice", "alice-secret-1", "Dr Alice Martin", "alice.martin@sisra-demo.mssante.fr")
BOB = User("bob", "bob-secret-2", "Dr Bob Durand", "bob.durand@sisra-demo.mssante.fr")
CAROL = User("carol", "carol-secret-3", "Dr Carol Petit", "carol.petit@sisra-demo.mssante.fr")

ServerFactory = Callable[..., ServerThread]
RegionalApi = Callable[[ServerThread, User], httpx.Client]
Trio = tuple[ServerThread, httpx.Client, httpx.Client, httpx.Client]


def start_sandbox(
    data: Path,
    users: tuple[User, ...] = (ALICE, BOB),
    tls: TlsFiles | None = None,
    **overrides: Any,
) -> ServerThread:
    """A started sandbox on `data` with these users (created unless already there); `tls`: over
    HTTPS with that certificate."""
    thread = ServerThread(quick_config(data, **overrides), tls=tls)
    for u in users:
        if thread.sandbox.accounts.by_login(u.login) is None:
            thread.sandbox.accounts.create(u.login, u.password, u.name, u.email)
    return thread.start()


@pytest.fixture
def server_factory(tmp_path: Path) -> Iterator[ServerFactory]:
    """Starts sandboxes (each on its own free port); all are stopped at teardown."""
    started: list[ServerThread] = []

    def start(
        data_dir: Path | None = None,
        users: tuple[User, ...] = (ALICE, BOB),
        tls: TlsFiles | None = None,
        **overrides: Any,
    ) -> ServerThread:
        """`tls`: serves HTTPS with that certificate (tests/tls_pki.py)."""
        data = data_dir or tmp_path / f"sandbox-{len(started)}"
        started.append(start_sandbox(data, users, tls=tls, **overrides))
        return started[-1]

    yield start
    for thread in reversed(started):
        thread.stop()


@pytest.fixture
def server(server_factory: ServerFactory) -> ServerThread:
    """A sandbox with two users, alice and bob, and nothing else."""
    return server_factory()


def get_token(base_url: str, user: User) -> str:
    r = httpx.post(
        base_url + "/auth/token",
        data={"grant_type": "password", "username": user.login, "password": user.password},
    )
    assert r.status_code == 200, r.text
    token: str = r.json()["access_token"]
    return token


@pytest.fixture
def regional_api() -> Iterator[RegionalApi]:
    """`regional_api(server, user)`: a client of the server's regional API with `user`'s token.
    Every client is closed at teardown: one left to the garbage collector leaks its sockets."""
    with contextlib.ExitStack() as clients:

        def open_client(server: ServerThread, user: User) -> httpx.Client:
            token = get_token(server.base_url, user)
            return clients.enter_context(
                httpx.Client(
                    base_url=server.base_url + REGIONAL_API_PATH,
                    headers={"Authorization": f"Bearer {token}"},
                )
            )

        yield open_client


@pytest.fixture
def trio(server_factory: ServerFactory, regional_api: RegionalApi) -> Trio:
    """A sandbox with alice, bob and carol, and a regional API client logged in as each."""
    server = server_factory(users=(ALICE, BOB, CAROL))
    alice, bob, carol = (regional_api(server, u) for u in (ALICE, BOB, CAROL))
    return server, alice, bob, carol


def account_id(server: ServerThread, user: User) -> str:
    """`user`'s account id on `server` (a planning or a delegation names accounts by id)."""
    account = server.sandbox.accounts.by_login(user.login)
    assert account is not None
    return account.id


@pytest.fixture
def alice_token(server: ServerThread) -> str:
    return get_token(server.base_url, ALICE)


@pytest.fixture
def bob_token(server: ServerThread) -> str:
    return get_token(server.base_url, BOB)


@pytest.fixture
def alice(server: ServerThread, alice_token: str) -> Jmap:
    return Jmap(server.base_url, alice_token)


@pytest.fixture
def bob(server: ServerThread, bob_token: str) -> Jmap:
    return Jmap(server.base_url, bob_token)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Demo data generated once per test session (a smaller directory, to stay quick)."""
    from server import demo
    from server.context import Sandbox

    path = tmp_path_factory.mktemp("demo-template")
    sandbox = Sandbox(quick_config(path))
    try:
        demo.generate(sandbox, professionals=3_000)
    finally:
        sandbox.close()
    return path


@pytest.fixture
def demo_server(server_factory: ServerFactory, demo_template: Path, tmp_path: Path) -> ServerThread:
    """A sandbox started on a fresh copy of the demo data."""
    data = tmp_path / "demo-data"
    shutil.copytree(demo_template, data)
    return server_factory(data_dir=data, users=())
