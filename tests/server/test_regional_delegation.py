"""Delegation of teleconsultation planning (issue 13 §1): a professional names who may plan in
their name; the server refuses everyone else (plan, cancel), allows the delegate, and refuses
again once the delegation is removed. Before, a nurse planned in a cardiologist's name: 201."""

from __future__ import annotations

from typing import Any

from server.regional.store import MIGRATIONS
from server.storage import Database
from server.testing import quick_config
from tests.server.conftest import ALICE, BOB, CAROL, RegionalApi, ServerFactory, Trio, account_id
from tests.server.test_regional import (
    assert_error,
    in_days,
    plan,
    register_in_directory,
)


def test_planning_in_a_professionals_name_needs_their_delegation(trio: Trio) -> None:
    server, alice, bob, carol = trio
    alice_id = account_id(server, ALICE)
    refused = plan(carol, teleconsultantAccountId=alice_id)
    assert_error(refused, 403, "not_delegated")
    assert refused.json()["message"].startswith("Dr Alice Martin ne vous a pas délégué")
    # By directory id, the same refusal.
    register_in_directory(server, ALICE, "pr-alice-00000002", "10", "SM26")
    server.sandbox.accounts.link_practitioner(alice_id, "pr-alice-00000002", "10000000002")
    by_directory = plan(carol, teleconsultantPractitionerId="pr-alice-00000002")
    assert_error(by_directory, 403, "not_delegated")
    assert alice.get("/teleconsultations").json()["teleconsultations"] == []
    # In one's own name, always.
    assert plan(carol).status_code == 201

    added = alice.post("/delegates", json={"address": CAROL.email})
    assert added.status_code == 201, added.text
    assert added.json()["accountId"] == account_id(server, CAROL)
    allowed = plan(carol, teleconsultantPractitionerId="pr-alice-00000002")
    assert allowed.status_code == 201, allowed.text
    assert allowed.json()["teleconsultant"]["accountId"] == alice_id
    # Alice's delegation is to Carol, not to Bob.
    assert_error(plan(bob, teleconsultantAccountId=alice_id), 403, "not_delegated")

    assert alice.delete(f"/delegates/{account_id(server, CAROL)}").status_code == 204
    assert_error(plan(carol, teleconsultantAccountId=alice_id), 403, "not_delegated")


def test_cancelling_in_a_professionals_name_needs_their_delegation(trio: Trio) -> None:
    server, alice, bob, carol = trio
    alice_id = account_id(server, ALICE)
    carol_id = account_id(server, CAROL)
    assert alice.post("/delegates", json={"address": CAROL.email}).status_code == 201
    first = plan(carol, teleconsultantAccountId=alice_id).json()
    second = plan(carol, teleconsultantAccountId=alice_id, start=in_days(3)).json()
    # Carol planned and sees the patient's link while she plans for Alice.
    assert carol.get(f"/teleconsultations/{first['id']}").json()["patient"]["joinUrl"]
    cancelled = carol.post(f"/teleconsultations/{first['id']}/cancel", json={"reason": "Absente"})
    assert cancelled.status_code == 200, cancelled.text

    assert alice.delete(f"/delegates/{carol_id}").status_code == 204
    refused = carol.post(f"/teleconsultations/{second['id']}/cancel", json={"reason": "x"})
    assert_error(refused, 403, "not_delegated")
    assert alice.get(f"/teleconsultations/{second['id']}").json()["status"] == "planned"
    # No longer planning for Alice, Carol no longer sees the patient's link.
    assert carol.get(f"/teleconsultations/{second['id']}").json()["patient"]["joinUrl"] is None
    # The teleconsultant herself always may.
    ok = alice.post(f"/teleconsultations/{second['id']}/cancel", json={"reason": "Congés"})
    assert ok.status_code == 200, ok.text
    # Bob, who never planned it, is not told it exists.
    assert_error(bob.post(f"/teleconsultations/{second['id']}/cancel", json={"reason": "x"}), 404)


def test_delegates_and_delegators_are_listed_for_each_side(trio: Trio) -> None:
    server, alice, bob, carol = trio
    register_in_directory(server, BOB, "pr-bob-00000003", "10", "SM54")
    bob_id = account_id(server, BOB)
    server.sandbox.accounts.link_practitioner(bob_id, "pr-bob-00000003", "10000000003")
    assert alice.get("/delegates").json() == {"delegates": []}
    assert alice.post("/delegates", json={"address": CAROL.email}).status_code == 201
    by_id = alice.post("/delegates", json={"practitionerId": "pr-bob-00000003"})
    assert by_id.status_code == 201, by_id.text
    # Adding the same person again changes nothing.
    assert alice.post("/delegates", json={"address": CAROL.email}).status_code == 201
    mine = alice.get("/delegates").json()["delegates"]
    assert [(d["name"], d["mssanteAddress"]) for d in mine] == [
        (CAROL.name, CAROL.email),
        (BOB.name, BOB.email),
    ]
    assert mine[1]["practitionerId"] == "pr-bob-00000003"
    assert mine[0]["since"]
    # Each delegate sees Alice among those they may plan for; Alice sees no one.
    for api in (bob, carol):
        names = [d["name"] for d in api.get("/delegators").json()["delegates"]]
        assert names == [ALICE.name]
    assert alice.get("/delegators").json() == {"delegates": []}
    assert carol.get("/delegates").json() == {"delegates": []}
    assert alice.delete(f"/delegates/{bob_id}").status_code == 204
    assert bob.get("/delegators").json() == {"delegates": []}
    assert_error(alice.delete(f"/delegates/{bob_id}"), 404)


def test_delegation_refusals_are_french_sentences(trio: Trio) -> None:
    _, alice, _, _ = trio
    assert_error(alice.post("/delegates", json={}), 400, "missing_delegate")
    assert_error(
        alice.post("/delegates", json={"address": "personne@sisra-demo.mssante.fr"}),
        400,
        "unknown_delegate",
    )
    assert_error(alice.post("/delegates", json={"practitionerId": "pr-none"}), 400)
    assert_error(alice.post("/delegates", json={"address": ALICE.email}), 400, "self_delegation")
    assert_error(alice.delete("/delegates/nobody"), 404)
    # Nobody adds a delegate for someone else: the owner is always the caller.
    assert_error(alice.post("/delegates", json={"ownerAccountId": "x", "address": BOB.email}), 400)
    assert alice.get("/delegates").json() == {"delegates": []}


def test_a_data_folder_of_before_delegations_gets_the_table(
    tmp_path: Any, server_factory: ServerFactory, regional_api: RegionalApi
) -> None:
    data = tmp_path / "old"
    old = Database(quick_config(data).database_path)
    old.migrate("regional", MIGRATIONS[:2])
    old.close()
    server = server_factory(data_dir=data, users=(ALICE, CAROL))
    alice = regional_api(server, ALICE)
    assert alice.post("/delegates", json={"address": CAROL.email}).status_code == 201
    assert [d["name"] for d in alice.get("/delegates").json()["delegates"]] == [CAROL.name]
