"""Failed logins slow down whoever fails, never lock the real user out (server/auth/throttle.py):
over HTTP against a running sandbox, with clients on two loopback addresses (Linux routes all of
127.0.0.0/8 to lo; the sandbox listens on 127.0.0.1 and sees the client's own address)."""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from server.config import Backoff
from server.testing import ServerThread
from tests.server.conftest import ALICE, BOB, ServerFactory

OTHER_ADDRESS = "127.0.0.2"
# A first delay long enough that no attempt of a test slips past it on a loaded machine.
SLOW = Backoff(free=5, first=30.0, longest=60.0)


@contextmanager
def client_from(address: str) -> Iterator[httpx.Client]:
    with httpx.Client(transport=httpx.HTTPTransport(local_address=address)) as client:
        yield client


def login(
    server: ServerThread, login: str, password: str, client: httpx.Client, **headers: str
) -> httpx.Response:
    form = {"grant_type": "password", "username": login, "password": password}
    return client.post(server.base_url + "/auth/token", data=form, headers=headers)


@pytest.fixture
def here() -> Iterator[httpx.Client]:
    """A client from 127.0.0.1 (one client: each new one would build its TLS context again)."""
    with httpx.Client() as client:
        yield client


def count_password_checks(server: ServerThread, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    checked: list[str] = []
    accounts = server.sandbox.accounts
    real = accounts.check_password

    def counting(login: str, password: str) -> Any:
        checked.append(login)
        return real(login, password)

    monkeypatch.setattr(accounts, "check_password", counting)
    return checked


def test_five_wrong_passwords_then_the_right_one_gets_in_once_the_delay_is_over(
    server: ServerThread, monkeypatch: pytest.MonkeyPatch, here: httpx.Client
) -> None:
    checked = count_password_checks(server, monkeypatch)
    for _ in range(5):
        assert login(server, ALICE.login, "wrong", here).status_code == 401
    early = login(server, ALICE.login, ALICE.password, here)
    assert early.status_code == 429
    assert early.json()["error"] == "too_many_attempts"
    assert early.headers["retry-after"] == "1"
    assert len(checked) == 5, "refused during the delay without checking the password"

    time.sleep(1.1)
    assert login(server, ALICE.login, ALICE.password, here).status_code == 200
    # Success forgets the failures: a typo now costs nothing.
    assert login(server, ALICE.login, "wrong", here).status_code == 401
    assert login(server, ALICE.login, ALICE.password, here).status_code == 200


def test_the_delay_doubles_with_each_failure_up_to_its_longest(
    server_factory: ServerFactory,
    here: httpx.Client,
) -> None:
    server = server_factory(throttle_login_address=Backoff(free=1, first=1.0, longest=2.0))
    waits = []
    for _ in range(3):
        assert login(server, ALICE.login, "wrong", here).status_code == 401
        refused = login(server, ALICE.login, "wrong", here)
        assert refused.status_code == 429
        waits.append(int(refused.headers["retry-after"]))
        time.sleep(waits[-1] + 0.05)
    assert waits == [1, 2, 2]


def test_one_password_sprayed_over_300_logins_from_one_address_is_stopped_early(
    server: ServerThread,
    here: httpx.Client,
) -> None:
    statuses = [
        login(server, f"dr.{n:03d}", "Printemps2026!", here).status_code for n in range(300)
    ]
    assert statuses[:50] == [401] * 50  # a hospital's share of honest typos is free
    assert statuses[50] == 429
    # Each doubled delay lets at most one more guess through: 1, 2, 4, 8… s.
    assert statuses.count(401) <= 50 + 8
    # The spraying address waits; the users elsewhere do not.
    with client_from(OTHER_ADDRESS) as elsewhere:
        assert login(server, ALICE.login, ALICE.password, elsewhere).status_code == 200


def test_failures_from_one_address_do_not_delay_the_same_login_from_another(
    server_factory: ServerFactory,
    here: httpx.Client,
) -> None:
    server = server_factory(throttle_login_address=SLOW)
    with client_from(OTHER_ADDRESS) as guesser:
        statuses = [
            login(server, ALICE.login, f"guess-{n}", guesser).status_code for n in range(12)
        ]
        assert statuses[:5] == [401] * 5
        assert set(statuses[5:]) == {429}
        # The guesser's own right password waits too: the delay is per login and address.
        assert login(server, ALICE.login, ALICE.password, guesser).status_code == 429
    assert login(server, ALICE.login, ALICE.password, here).status_code == 200
    assert login(server, BOB.login, BOB.password, here).status_code == 200


def test_guesses_from_many_addresses_meet_a_soft_bound_that_spares_known_addresses(
    server_factory: ServerFactory,
    here: httpx.Client,
) -> None:
    server = server_factory(throttle_login=Backoff(free=4, first=3.0, longest=3.0))
    assert login(server, ALICE.login, ALICE.password, here).status_code == 200  # her usual address
    for n in range(2, 6):  # one guess from each of four addresses
        with client_from(f"127.0.0.{n}") as guesser:
            assert login(server, ALICE.login, "guess", guesser).status_code == 401
    with client_from("127.0.0.9") as new_place:
        refused = login(server, ALICE.login, ALICE.password, new_place)
        assert refused.status_code == 429
        wait = int(refused.headers["retry-after"])
        assert 1 <= wait <= 3
        # Where she logged in before, she is not slowed at all.
        assert login(server, ALICE.login, ALICE.password, here).status_code == 200
        time.sleep(wait + 0.05)
        assert login(server, ALICE.login, ALICE.password, new_place).status_code == 200


def test_basic_credentials_and_the_portal_go_through_the_same_throttle(
    server_factory: ServerFactory,
    here: httpx.Client,
) -> None:
    server = server_factory(throttle_login_address=Backoff(free=5, first=3.0, longest=3.0))

    def basic(password: str) -> dict[str, str]:
        pair = base64.b64encode(f"{ALICE.login}:{password}".encode()).decode()
        return {"Authorization": f"Basic {pair}"}

    for n in range(5):
        r = here.post(server.base_url + "/jmap/api", headers=basic(f"guess-{n}"), json={})
        assert r.status_code == 401
    session = here.get(server.base_url + "/.well-known/jmap", headers=basic(ALICE.password))
    assert session.status_code == 429
    assert session.headers["retry-after"] == "3"
    portal = here.get(server.base_url + "/portal/mespatients", headers=basic(ALICE.password))
    assert portal.status_code == 429
    assert "Trop de tentatives de connexion infructueuses" in portal.text
    assert portal.headers["retry-after"] in ("2", "3")
    regional = here.get(server.base_url + "/regional/v1/file-active", headers=basic(ALICE.password))
    assert regional.status_code == 429
    wait = regional.headers["retry-after"]
    assert regional.json() == {
        "error": "too_many_attempts",
        "message": f"Trop de tentatives de connexion : réessayez dans {wait} s.",
    }
    assert login(server, ALICE.login, ALICE.password, here).status_code == 429  # the same counters
    time.sleep(3.1)
    portal = here.get(server.base_url + "/portal/mespatients", headers=basic(ALICE.password))
    assert portal.status_code == 200


def test_x_forwarded_for_is_believed_only_behind_a_proxy(
    server_factory: ServerFactory, here: httpx.Client
) -> None:
    direct = server_factory(throttle_login_address=SLOW)
    statuses = [
        login(
            direct, ALICE.login, "guess", here, **{"X-Forwarded-For": f"198.51.100.{n}"}
        ).status_code
        for n in range(7)
    ]
    assert statuses == [401] * 5 + [429] * 2  # all counted for the socket's peer

    proxied = server_factory(behind_proxy=True, throttle_login_address=SLOW)
    # The proxy appends the address it saw: the last one counts, not what the client wrote.
    spoofed = {"X-Forwarded-For": "10.0.0.1, 203.0.113.7"}
    statuses = [login(proxied, ALICE.login, "guess", here, **spoofed).status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]
    other = {"X-Forwarded-For": "203.0.113.7, 203.0.113.8"}
    assert login(proxied, ALICE.login, ALICE.password, here, **other).status_code == 200


def test_failed_logins_and_throttling_are_logged_with_the_login_and_the_address(
    server_factory: ServerFactory, caplog: pytest.LogCaptureFixture
) -> None:
    server = server_factory(throttle_login_address=SLOW)
    caplog.set_level(logging.INFO, logger="server.auth")
    with client_from(OTHER_ADDRESS) as guesser:
        for _ in range(8):
            login(server, ALICE.login, "not-the-password", guesser)
    lines = [r.getMessage() for r in caplog.records if r.name == "server.auth"]
    failed = [line for line in lines if line.startswith("failed login")]
    refused = [line for line in lines if line.startswith("login attempts refused")]
    assert failed == [f"failed login for 'alice' from {OTHER_ADDRESS}"] * 5
    # Three attempts refused during one delay: one line, not one per request.
    assert refused == [
        f"login attempts refused for 'alice' from {OTHER_ADDRESS} for 30 s "
        "(too many failures per login and address)"
    ]
    assert "not-the-password" not in caplog.text


def test_the_throttle_forgets_the_oldest_keys_past_its_bound(
    server_factory: ServerFactory,
    here: httpx.Client,
) -> None:
    server = server_factory(
        throttle_max_keys=20, throttle_address=Backoff(free=1000, first=1.0, longest=1.0)
    )
    for n in range(200):  # a caller rotating logins
        assert login(server, f"dr.{n:03d}", "guess", here).status_code == 401
    assert login(server, "x" * 60_000, "guess", here).status_code == 401  # within the 64 kB form
    keys = server.sandbox.throttle.tracked_keys()
    # Per pair, per address, per login, and the addresses where a login succeeded.
    assert len(keys) <= 4 * 20
    assert max(len(key) for key in keys) < 100
