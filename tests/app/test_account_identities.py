"""My identities as the server gives them and as the cache keeps them: the signature kept as plain
text, the older cached form (addresses only) still read, and every address of mine known."""

from __future__ import annotations

import json

from app.account import identities
from app.account.identities import Identity
from app.store.records import Address, addresses_to_json


def test_identities_keep_their_signature_as_plain_text_without_bidi_controls() -> None:
    found = identities.from_jmap(
        [
            {
                "name": "Dr Alice",
                "email": "alice@x.example",
                "textSignature": "Dr A\r\n\u202e06\r\n",
            },
            {"name": None, "email": "cabinet@x.example", "textSignature": None},
            {"email": "not an address"},
            "junk",
        ]
    )
    assert found == [
        Identity(Address("Dr Alice", "alice@x.example"), "Dr A\n06"),
        Identity(Address(None, "cabinet@x.example"), ""),
    ]
    assert identities.from_json(identities.to_json(found)) == found


def test_the_older_cached_form_of_addresses_only_still_reads() -> None:
    old = json_of([Address("Dr Alice", "alice@x.example")])
    assert identities.from_json(old) == [Identity(Address("Dr Alice", "alice@x.example"))]
    assert identities.from_json("{not json") == []
    assert identities.from_json(None) == []


def test_my_addresses_are_every_identity_and_the_login_lower_cased() -> None:
    mine = [Identity(Address(None, "Alice@X.example")), Identity(Address(None, "cab@x.example"))]
    assert identities.own_emails(mine, "ALICE.M@x.example") == {
        "alice@x.example",
        "cab@x.example",
        "alice.m@x.example",
    }
    assert identities.own_emails(mine, "alice") == {"alice@x.example", "cab@x.example"}


def json_of(addresses: list[Address]) -> str:
    return json.dumps(addresses_to_json(addresses))
