"""Editing a teleconsultation (issue 13 §1): its teleconsultant, or who planned it while still
delegated, changes the date, duration, motive, patient contact and channels, participants and
payment; a participant, a former delegate, a cancelled or past teleconsultation are refused with
a French sentence."""

from __future__ import annotations

import datetime as dt

from tests.server.conftest import ALICE, BOB, CAROL, Trio, account_id
from tests.server.test_regional import assert_error, in_days, plan


def test_the_teleconsultant_edits_each_field_and_the_sequence_counts_the_changes(
    trio: Trio,
) -> None:
    server, alice, bob, _ = trio
    bob_id = account_id(server, BOB)
    tc = plan(alice, participants=[{"name": "Sa fille", "email": "fille@famille.example"}]).json()
    assert (tc["sequence"], tc["paymentStatus"]) == (0, None)
    new_start = (dt.datetime.now(dt.UTC) + dt.timedelta(days=4)).replace(microsecond=0)
    r = alice.patch(
        f"/teleconsultations/{tc['id']}",
        json={
            "start": new_start.isoformat(),
            "durationMinutes": 45,
            "motive": "Suivi de cicatrisation",
            "patientMobile": "06 12 34 56 78",
            "channels": ["email", "sms"],
            "onlinePayment": {"amount": 30},
            "participants": [{"name": "Sa fille"}, {"accountId": bob_id}],
        },
    )
    assert r.status_code == 200, r.text
    edited = r.json()
    assert dt.datetime.fromisoformat(edited["start"]) == new_start
    assert edited["durationMinutes"] == 45
    assert edited["motive"] == "Suivi de cicatrisation"
    assert edited["patient"]["mobile"] == "+33612345678"
    assert edited["patient"]["email"] == "jean.valjean@patient.example"  # unchanged
    assert edited["channels"] == ["email", "sms"]
    assert edited["onlinePayment"] == {"amount": 30.0, "currency": "EUR"}
    assert edited["paymentStatus"] == "pending"
    assert [p["name"] for p in edited["participants"]] == ["Sa fille", BOB.name]
    assert edited["sequence"] == 1
    assert edited["patient"]["joinUrl"] == tc["patient"]["joinUrl"]  # links stay valid
    assert bob.get(f"/teleconsultations/{tc['id']}").json()["joinUrl"]
    # Only what is given changes; null withdraws the payment request.
    again = alice.patch(f"/teleconsultations/{tc['id']}", json={"onlinePayment": None}).json()
    assert (again["onlinePayment"], again["paymentStatus"], again["sequence"]) == (None, None, 2)
    assert again["durationMinutes"] == 45
    assert again["motive"] == "Suivi de cicatrisation"


def test_edits_are_checked_like_planning(trio: Trio) -> None:
    _, alice, _, _ = trio
    tc = plan(alice).json()
    url = f"/teleconsultations/{tc['id']}"
    assert_error(alice.patch(url, json={"start": in_days(-1)}), 400, "start_in_past")
    assert_error(alice.patch(url, json={"channels": ["sms"]}), 400, "missing_contact")
    assert_error(alice.patch(url, json={"patientEmail": None}), 400, "missing_contact")
    assert_error(alice.patch(url, json={"durationMinutes": 600}), 400)
    assert_error(alice.patch(url, json={"teleconsultantAccountId": "x"}), 400)
    unchanged = alice.get(url).json()
    assert (unchanged["sequence"], unchanged["durationMinutes"]) == (0, 30)


def test_only_the_teleconsultant_or_a_delegated_planner_may_edit(trio: Trio) -> None:
    server, alice, bob, carol = trio
    alice_id = account_id(server, ALICE)
    assert alice.post("/delegates", json={"address": CAROL.email}).status_code == 201
    tc = plan(
        carol,
        teleconsultantAccountId=alice_id,
        participants=[{"accountId": account_id(server, BOB)}],
    ).json()
    url = f"/teleconsultations/{tc['id']}"
    refused = bob.patch(url, json={"motive": "x"})  # a participant
    assert_error(refused, 403)
    assert "téléconsultant" in refused.json()["message"]
    assert carol.patch(url, json={"motive": "Par le secrétariat"}).status_code == 200
    assert alice.delete(f"/delegates/{account_id(server, CAROL)}").status_code == 204
    assert_error(carol.patch(url, json={"motive": "Plus délégué"}), 403, "not_delegated")
    assert alice.patch(url, json={"motive": "Par elle-même"}).status_code == 200
    assert alice.get(url).json()["motive"] == "Par elle-même"


def test_a_cancelled_or_past_teleconsultation_cannot_be_edited(trio: Trio) -> None:
    server, alice, _, _ = trio
    cancelled = plan(alice).json()
    assert (
        alice.post(
            f"/teleconsultations/{cancelled['id']}/cancel", json={"reason": "Absent"}
        ).status_code
        == 200
    )
    refused = alice.patch(f"/teleconsultations/{cancelled['id']}", json={"motive": "x"})
    assert_error(refused, 409, "already_cancelled")
    assert refused.json()["message"] == (
        "Cette téléconsultation est annulée : elle ne peut plus être modifiée."
    )
    past = plan(alice).json()
    with server.sandbox.db.write() as conn:  # it took place yesterday
        conn.execute(
            "UPDATE regional_teleconsultations SET start = start - 4 * 86400, "
            "end = end - 4 * 86400 WHERE id = ?",
            (past["id"],),
        )
    done = alice.patch(f"/teleconsultations/{past['id']}", json={"motive": "x"})
    assert_error(done, 409, "already_done")
    assert "a déjà eu lieu" in done.json()["message"]
