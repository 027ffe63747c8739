"""One teleconsultation at a time per teleconsultant (issue 13 §1): planning or moving one onto a
moment taken by another of the same teleconsultant is refused (409, a French sentence naming the
time it clashes with, nothing recorded nor sent); a cancelled one frees its slot, one that ends
when the next starts does not clash, and another teleconsultant is free at the same time."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from server.testing import ServerThread
from tests.server.conftest import ALICE, CAROL, Trio
from tests.server.test_regional import assert_error, plan

PARIS = ZoneInfo("Europe/Paris")


def at(hour: int, minute: int = 0) -> dt.datetime:
    """In three days, at this time in Paris."""
    day = dt.datetime.now(PARIS).date() + dt.timedelta(days=3)
    return dt.datetime.combine(day, dt.time(hour, minute), PARIS)


def plan_at(api: httpx.Client, start: dt.datetime, minutes: int = 30, **over: Any) -> Any:
    return plan(api, start=start.isoformat(), durationMinutes=minutes, **over)


def sent(server: ServerThread) -> int:
    with server.sandbox.db.read() as conn:
        return int(conn.execute("SELECT count(*) FROM regional_invitations").fetchone()[0])


def test_planning_over_another_of_the_same_teleconsultant_is_refused_with_its_time(
    trio: Trio,
) -> None:
    server, alice, _, _ = trio
    first = plan_at(alice, at(10))
    assert first.status_code == 201, first.text
    told = sent(server)
    for start, minutes in ((at(10, 15), 30), (at(9, 45), 30), (at(9), 240), (at(10), 30)):
        refused = plan_at(alice, start, minutes)
        assert_error(refused, 409, "overlapping")
        day = f"{at(10):%d/%m/%Y}"
        assert refused.json()["message"] == (
            f"Vous avez déjà une téléconsultation le {day} de 10 h 00 à 10 h 30 (heure de Paris) : "
            "choisissez un autre horaire."
        )
    assert len(alice.get("/teleconsultations").json()["teleconsultations"]) == 1
    assert sent(server) == told  # nobody was invited to what was refused


def test_adjacent_ones_a_cancelled_one_and_another_teleconsultant_do_not_clash(
    trio: Trio,
) -> None:
    _, alice, bob, _ = trio
    assert plan_at(alice, at(10)).status_code == 201
    assert plan_at(alice, at(10, 30)).status_code == 201  # starts when the first ends
    assert plan_at(alice, at(9, 30)).status_code == 201  # ends when the first starts
    assert plan_at(bob, at(10)).status_code == 201  # Bob is free then
    cancelled = plan_at(alice, at(14)).json()
    r = alice.post(f"/teleconsultations/{cancelled['id']}/cancel", json={"reason": "Absent"})
    assert r.status_code == 200
    assert plan_at(alice, at(14)).status_code == 201  # the cancelled one freed its slot


def test_a_secretary_is_told_the_professional_is_busy_without_the_patients_name(
    trio: Trio,
) -> None:
    server, alice, _, carol = trio
    alice_id = server.sandbox.accounts.by_login(ALICE.login).id  # type: ignore[union-attr]
    assert alice.post("/delegates", json={"address": CAROL.email}).status_code == 201
    assert plan_at(alice, at(11), patientName="Élodie Lefèvre").status_code == 201
    refused = plan_at(carol, at(11, 10), teleconsultantAccountId=alice_id)
    assert_error(refused, 409, "overlapping")
    message = refused.json()["message"]
    assert message.startswith("Dr Alice Martin a déjà une téléconsultation le ")
    assert "de 11 h 00 à 11 h 30" in message
    assert "Lefèvre" not in message


def test_moving_one_onto_another_is_refused_and_changes_nothing(trio: Trio) -> None:
    server, alice, _, _ = trio
    assert plan_at(alice, at(10)).status_code == 201
    other = plan_at(alice, at(15)).json()
    url = f"/teleconsultations/{other['id']}"
    told = sent(server)
    refused = alice.patch(url, json={"start": at(10, 20).isoformat()})
    assert_error(refused, 409, "overlapping")
    assert "de 10 h 00 à 10 h 30" in refused.json()["message"]
    # Made longer from 9:30, it would run into 10:00 too.
    assert_error(
        alice.patch(url, json={"start": at(9, 30).isoformat(), "durationMinutes": 45}),
        409,
        "overlapping",
    )
    unchanged = alice.get(url).json()
    assert (unchanged["start"], unchanged["sequence"]) == (other["start"], 0)
    assert sent(server) == told
    # Moved within its own slot, or right after the other, it is fine.
    assert alice.patch(url, json={"start": at(15, 10).isoformat()}).status_code == 200
    assert alice.patch(url, json={"start": at(10, 30).isoformat()}).status_code == 200
    # An edit that does not move it is not checked against the others.
    assert alice.patch(url, json={"motive": "Suivi"}).status_code == 200
