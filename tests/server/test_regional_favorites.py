"""Favorites kept on the server (issue 13 §5): each account has its own list; a computer sends
what changed on it and gets the merged list back; per address the latest change wins, and a
removal stays as a trace the other computers learn from."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from server.testing import ServerThread
from tests.server.conftest import ALICE, BOB, RegionalApi

CARDIO = "karim.benali@chu-lyon.mssante.fr"
PHARMA = "julie.perrin@pharmacie-du-parc.mssante.fr"
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def change(address: str, at: dt.datetime, removed: bool = False, name: str = "") -> dict[str, Any]:
    return {
        "address": address,
        "display": {"name": name or address, "address": address},
        "changedAt": at.isoformat(),
        "removed": removed,
    }


def send(client: httpx.Client, *changes: dict[str, Any]) -> dict[str, dict[str, Any]]:
    r = client.post("/favorites", json={"changes": list(changes)})
    assert r.status_code == 200, r.text
    return {f["address"]: f for f in r.json()["favorites"]}


def listed(client: httpx.Client) -> dict[str, dict[str, Any]]:
    r = client.get("/favorites")
    assert r.status_code == 200, r.text
    return {f["address"]: f for f in r.json()["favorites"]}


def test_each_account_sees_only_its_own_favorites(
    server: ServerThread, regional_api: RegionalApi
) -> None:
    alice, bob = regional_api(server, ALICE), regional_api(server, BOB)
    mine = send(alice, change(CARDIO, T0, name="Dr Karim Benali"))
    assert mine[CARDIO]["display"]["name"] == "Dr Karim Benali"
    assert not mine[CARDIO]["removed"]
    assert listed(bob) == {}
    assert send(bob, change(PHARMA, T0)).keys() == {PHARMA}
    assert listed(alice).keys() == {CARDIO}
    assert httpx.get(server.base_url + "/regional/v1/favorites").status_code == 401


def test_the_latest_change_wins_and_a_removal_stays_as_a_trace(
    server: ServerThread, regional_api: RegionalApi
) -> None:
    alice = regional_api(server, ALICE)
    later = T0 + dt.timedelta(minutes=5)
    send(alice, change(CARDIO, T0), change(PHARMA, T0))
    # Removed on one computer at `later`...
    after = send(alice, change(CARDIO, later, removed=True))
    assert after[CARDIO]["removed"] is True
    assert after[CARDIO]["display"] == {}  # a trace keeps no card
    # ...and an older add from a computer that was offline does not bring it back.
    assert send(alice, change(CARDIO, T0 + dt.timedelta(minutes=1)))[CARDIO]["removed"] is True
    # A later add does.
    again = send(alice, change(CARDIO, later + dt.timedelta(seconds=1), name="Dr K. Benali"))
    assert again[CARDIO]["removed"] is False
    assert again[CARDIO]["display"]["name"] == "Dr K. Benali"
    # Addresses are compared without case; an equal time keeps what the server has.
    same_time = send(alice, change(PHARMA.upper(), T0, removed=True))
    assert same_time[PHARMA]["removed"] is False
    assert PHARMA.upper() not in same_time


def test_a_clock_ahead_of_the_servers_does_not_win_for_ever(
    server: ServerThread, regional_api: RegionalApi
) -> None:
    alice = regional_api(server, ALICE)
    future = dt.datetime.now(dt.UTC) + dt.timedelta(days=365)
    stored = send(alice, change(CARDIO, future))[CARDIO]
    assert dt.datetime.fromisoformat(stored["changedAt"]) < future - dt.timedelta(days=300)
    # The user removes it a minute later on a computer on time: the removal wins.
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    assert send(alice, change(CARDIO, soon, removed=True))[CARDIO]["removed"] is True


def test_bad_changes_are_refused_in_french_and_change_nothing(
    server: ServerThread, regional_api: RegionalApi
) -> None:
    alice = regional_api(server, ALICE)
    r = alice.post(
        "/favorites", json={"changes": [change(CARDIO, T0), change("pas une adresse", T0)]}
    )
    assert r.status_code == 400
    assert r.json()["error"] == "invalid_address"
    assert "n'est pas une adresse MSSanté" in r.json()["message"]
    assert listed(alice) == {}  # the valid change of the same request was not kept either
    big = change(CARDIO, T0)
    big["display"] = {"note": "x" * 5000}
    r = alice.post("/favorites", json={"changes": [big]})
    assert r.status_code == 400
    assert r.json()["error"] == "display_too_big"
    r = alice.post("/favorites", json={"changes": [change(CARDIO, T0)] * 501})
    assert r.status_code == 400
    assert listed(alice) == {}
