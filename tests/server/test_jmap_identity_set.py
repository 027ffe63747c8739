"""Identity/set and Identity/changes (RFC 8621 §6), against a running sandbox."""

from __future__ import annotations

from tests.server.conftest import ALICE, BOB
from tests.server.jmap_support import Jmap


def _set(jmap: Jmap, **args: object) -> dict[str, object]:
    return jmap.call("Identity/set", **args)


def test_create_returns_server_set_properties_and_get_shows_them(alice: Jmap) -> None:
    result = _set(
        alice,
        create={"k1": {"email": ALICE.email, "name": "Dr A. Martin (cabinet)", "bcc": None}},
    )
    created = result["created"]["k1"]  # type: ignore[index]
    assert created["mayDelete"] is True  # a second identity can go; the account's own cannot
    assert created["textSignature"] == ""
    assert created["replyTo"] is None
    assert "bcc" not in created  # given by the client: not echoed
    [main, second] = alice.call("Identity/get")["list"]
    assert main["mayDelete"] is False
    assert second == {
        "id": created["id"],
        "name": "Dr A. Martin (cabinet)",
        "email": ALICE.email,
        "replyTo": None,
        "bcc": None,
        "textSignature": "",
        "htmlSignature": "",
        "mayDelete": True,
    }
    assert result["oldState"] != result["newState"]


def test_create_with_an_address_the_account_may_not_use_is_forbidden_from(alice: Jmap) -> None:
    result = _set(alice, create={"a": {"email": BOB.email}, "b": {"email": "x@ailleurs.example"}})
    assert result["created"] is None
    assert {e["type"] for e in result["notCreated"].values()} == {"forbiddenFrom"}  # type: ignore[union-attr]
    assert len(alice.call("Identity/get")["list"]) == 1


def test_create_with_bad_or_server_set_properties_is_invalid_properties(alice: Jmap) -> None:
    result = _set(
        alice,
        create={
            "noEmail": {"name": "X"},
            "serverSet": {"email": ALICE.email, "mayDelete": True, "id": "I1"},
            "badType": {"email": ALICE.email, "replyTo": [{"name": "x"}], "textSignature": 3},
        },
    )
    errors = result["notCreated"]
    assert errors["noEmail"] == {"type": "invalidProperties", "properties": ["email"]}  # type: ignore[index]
    assert sorted(errors["serverSet"]["properties"]) == ["id", "mayDelete"]  # type: ignore[index]
    assert sorted(errors["badType"]["properties"]) == ["replyTo", "textSignature"]  # type: ignore[index]


def test_update_signatures_and_reply_to_but_never_the_email(alice: Jmap) -> None:
    identity = alice.identity()
    reply_to = [{"name": "Secrétariat", "email": "secretariat@sisra-demo.mssante.fr"}]
    result = _set(
        alice,
        update={
            identity: {
                "name": "Dr Alice Martin, cardiologue",
                "textSignature": "-- \nDr Martin",
                "htmlSignature": "<p>Dr Martin</p>",
                "replyTo": reply_to,
                "email": ALICE.email,  # the same value: allowed
            }
        },
    )
    assert result["updated"] == {identity: None}
    [got] = alice.call("Identity/get", ids=[identity])["list"]
    assert got["name"] == "Dr Alice Martin, cardiologue"
    assert got["textSignature"] == "-- \nDr Martin"
    assert got["htmlSignature"] == "<p>Dr Martin</p>"
    assert got["replyTo"] == reply_to
    refused = _set(alice, update={identity: {"email": "autre@sisra-demo.mssante.fr"}})
    assert refused["notUpdated"] == {
        identity: {"type": "invalidProperties", "properties": ["email"]}
    }
    missing = _set(alice, update={"Inope": {"name": "x"}})
    assert missing["notUpdated"] == {"Inope": {"type": "notFound"}}


def test_destroy_is_forbidden_for_the_main_identity_and_works_for_others(alice: Jmap) -> None:
    main = alice.identity()
    created = _set(alice, create={"k": {"email": ALICE.email, "name": "Autre"}})
    second = created["created"]["k"]["id"]  # type: ignore[index]
    result = _set(alice, destroy=[main, second, "Inope"])
    assert result["destroyed"] == [second]
    assert result["notDestroyed"][main]["type"] == "forbidden"  # type: ignore[index]
    assert result["notDestroyed"]["Inope"] == {"type": "notFound"}  # type: ignore[index]
    assert [i["id"] for i in alice.call("Identity/get")["list"]] == [main]


def test_creation_id_can_be_referenced_in_the_same_call_and_if_in_state_is_kept(
    alice: Jmap,
) -> None:
    state = alice.state("Identity")
    [[name, result, _]] = alice.request(
        ["Identity/set", {"accountId": alice.account_id, "ifInState": "999"}, "0"]
    )
    assert (name, result["type"]) == ("error", "stateMismatch")
    result = _set(
        alice,
        ifInState=state,
        create={"k": {"email": ALICE.email}},
        update={"#k": {"name": "Référencée"}},
    )
    assert result["updated"] == {"#k": None}
    new = result["created"]["k"]["id"]  # type: ignore[index]
    assert alice.call("Identity/get", ids=[new])["list"][0]["name"] == "Référencée"


def test_identity_changes_reports_created_updated_destroyed(alice: Jmap) -> None:
    main = alice.identity()
    since = alice.state("Identity")
    a = _set(alice, create={"a": {"email": ALICE.email}})["created"]["a"]["id"]  # type: ignore[index]
    b = _set(alice, create={"b": {"email": ALICE.email}})["created"]["b"]["id"]  # type: ignore[index]
    _set(alice, update={main: {"name": "Nouveau nom"}}, destroy=[b])
    changes = alice.call("Identity/changes", sinceState=since)
    assert changes["created"] == [a]  # b was created and destroyed since: not reported
    assert changes["updated"] == [main]
    assert changes["destroyed"] == []
    assert changes["newState"] == alice.state("Identity")
    first = alice.call("Identity/changes", sinceState=since, maxChanges=1)
    assert first["hasMoreChanges"] is True
    assert first["created"] == [a]
    [[name, error, _]] = alice.request(
        ["Identity/changes", {"accountId": alice.account_id, "sinceState": "junk"}, "0"]
    )
    assert (name, error["type"]) == ("error", "cannotCalculateChanges")
