"""The 4-téléexpertises rule is per calendar year in Paris time: requests of another year do not
count, and the year turns at midnight in Paris, not in UTC. Requests made "now" all fall in the
same year and would pass with a server counting every year together, so these set the server's
clock (`sandbox.regional.clock`) to chosen moments, and otherwise talk HTTP to it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest

from server.testing import ServerThread
from tests.server.conftest import ALICE, BOB, RegionalApi, ServerFactory
from tests.server.test_regional import assert_error, declare_expert, new_patient


def at(year: int, month: int, day: int, hour: int, minute: int) -> int:
    """UTC seconds of a moment given in UTC."""
    return int(dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC).timestamp())


@pytest.fixture
def pair(
    server_factory: ServerFactory, regional_api: RegionalApi
) -> tuple[ServerThread, httpx.Client, dict[str, Any]]:
    """The server, Alice's client, and the body of a request of Alice to Bob for a new patient."""
    server = server_factory(users=(ALICE, BOB))
    alice, bob = regional_api(server, ALICE), regional_api(server, BOB)
    declare_expert(bob)
    patient = new_patient(alice, given="Jules", family="Noël", sex="male")
    body = {"expertAddress": BOB.email, "patientId": patient["id"], "question": "Avis ?"}
    return server, alice, body


def quota(alice: httpx.Client, body: dict[str, Any], year: int | None = None) -> dict[str, Any]:
    params: dict[str, Any] = {"patientId": body["patientId"]}
    if year is not None:
        params["year"] = year
    r = alice.get("/teleexpertises/quota", params=params)
    assert r.status_code == 200, r.text
    result: dict[str, Any] = r.json()
    return result


def test_four_requests_last_year_do_not_stop_one_this_year(pair: Any) -> None:
    server, alice, body = pair
    clock = server.sandbox.regional.clock
    # Both moments fixed, so that the test says the same on 31 December at 23:59.
    clock.fixed = at(2025, 6, 16, 9, 0)
    for _ in range(4):
        r = alice.post("/teleexpertises", json=body)
        assert r.status_code == 201, r.text
        assert r.json()["year"] == 2025
    assert_error(alice.post("/teleexpertises", json=body), 409, "teleexpertise_limit")

    clock.fixed = at(2026, 2, 3, 10, 0)
    this_year = quota(alice, body)
    assert (this_year["year"], this_year["used"], this_year["remaining"]) == (2026, 0, 4)
    last_year = quota(alice, body, year=2025)
    assert (last_year["year"], last_year["used"], last_year["remaining"]) == (2025, 4, 0)
    r = alice.post("/teleexpertises", json=body)
    assert r.status_code == 201, r.text
    assert r.json()["year"] == 2026
    assert quota(alice, body)["used"] == 1
    assert quota(alice, body, year=2025)["used"] == 4


def test_the_year_turns_at_midnight_in_paris_not_in_utc(pair: Any) -> None:
    server, alice, body = pair
    clock = server.sandbox.regional.clock
    clock.fixed = at(2025, 12, 31, 12, 0)
    for _ in range(3):
        assert alice.post("/teleexpertises", json=body).status_code == 201
    # 22:30 UTC on 31 December is 23:30 in Paris: still the old year, and its fourth request.
    clock.fixed = at(2025, 12, 31, 22, 30)
    r = alice.post("/teleexpertises", json=body)
    assert r.status_code == 201, r.text
    assert r.json()["year"] == 2025
    assert r.json()["createdAt"].startswith("2025-12-31T23:30:00")
    assert quota(alice, body)["remaining"] == 0
    # 23:30 UTC on 31 December is 00:30 on 1 January in Paris: a new year, a new quota.
    clock.fixed = at(2025, 12, 31, 23, 30)
    this_year = quota(alice, body)
    assert (this_year["year"], this_year["used"]) == (2026, 0)
    r = alice.post("/teleexpertises", json=body)
    assert r.status_code == 201, r.text
    assert r.json()["year"] == 2026
    assert r.json()["createdAt"].startswith("2026-01-01T00:30:00")
    assert quota(alice, body)["used"] == 1
    assert quota(alice, body, year=2025)["used"] == 4


def test_the_quota_of_a_year_out_of_range_is_refused(pair: Any) -> None:
    _, alice, body = pair
    for year in (1999, 2101):
        params = {"patientId": body["patientId"], "year": year}
        assert_error(alice.get("/teleexpertises/quota", params=params), 400)
