"""The Session tells what the MSSanté conventions need (issue 14 §1): the deployment's product
reference (X-MSS-NIL) for everyone, and each account its RPPS (the author of its CDA documents)."""

from __future__ import annotations

from server import urls
from tests.server.conftest import ALICE, BOB, ServerFactory, account_id, get_token
from tests.server.jmap_support import Jmap


def test_the_session_gives_the_product_reference_and_the_account_rpps(
    server_factory: ServerFactory,
) -> None:
    server = server_factory(mss_product_reference="MONSISRA-2026")
    server.sandbox.accounts.link_practitioner(account_id(server, ALICE), "pr-a", "10001234567")
    alice = Jmap(server.base_url, get_token(server.base_url, ALICE))
    bob = Jmap(server.base_url, get_token(server.base_url, BOB))
    regional = alice.session["capabilities"][urls.REGIONAL_CAPABILITY]
    assert regional["mssProductReference"] == "MONSISRA-2026"
    mine = alice.session["accounts"][alice.account_id]["accountCapabilities"]
    assert mine[urls.REGIONAL_CAPABILITY] == {"rpps": "10001234567"}
    theirs = bob.session["accounts"][bob.account_id]["accountCapabilities"]
    assert theirs[urls.REGIONAL_CAPABILITY] == {}  # bob has no RPPS on record


def test_without_a_product_reference_the_session_says_so_with_an_empty_one(
    server_factory: ServerFactory,
) -> None:
    server = server_factory()
    alice = Jmap(server.base_url, get_token(server.base_url, ALICE))
    assert alice.session["capabilities"][urls.REGIONAL_CAPABILITY]["mssProductReference"] == ""
