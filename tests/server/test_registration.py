"""Creating a Sara account (issue 13 §5), over HTTP as a browser does: the identity is checked
against the directory (the RPPS must be there, with the same names, and have no account yet), the
activation link goes to the e-mail given through the outbound path (caught here by a real SMTP
relay on loopback), logging in is refused until the link is used, the link works once and
expires, and the activated account's address is what the directory gives for the professional."""

from __future__ import annotations

import email
import email.policy
import html
import re
from email.message import EmailMessage
from typing import Any

import httpx
import pytest

from server.directory.records import OrganizationRecord, PractitionerRecord, RoleRecord
from server.registration import ACTIVATION_LIFETIME
from server.testing import ServerThread
from tests.server.conftest import ALICE, ServerFactory, get_token
from tests.server.smtp_support import SmtpServer, smtp_fixture  # noqa: F401 (the `smtp` fixture)

RPPS = "10101010101"
PRACTITIONER = "pra-registration-1"
FIELDS = {
    "rpps": RPPS,
    "given": "zoe",  # as typed: no capitals, no accents
    "family": "NOEL-d'Arc",
    "email": "zoe.perso@example.org",
    "login": "zoe.noel",
    "password": "long-enough-1",
}


def in_directory(server: ServerThread, email_address: str = "z.noel@ch-vienne.mssante.fr") -> None:
    """Test setup: a professional of the directory who has no account yet."""
    server.sandbox.directory.insert(
        [
            OrganizationRecord(
                id="org-registration",
                name="Centre hospitalier de Vienne",
                kind="ch",
                finess="380000001",
                insee="38544",
                city="Vienne",
                postal_code="38200",
                departement="38",
                line="Montée du Docteur Chapuis",
                lat=45.52,
                lon=4.87,
            )
        ],
        [
            PractitionerRecord(
                id=PRACTITIONER,
                rpps=RPPS,
                prefix="Dr",
                given="Zoé",
                family="Noël-d'Arc",
                gender="female",
                email=email_address,
                profession="10",
                specialty="SM54",
            )
        ],
        [
            RoleRecord(
                id="rol-registration",
                practitioner_id=PRACTITIONER,
                organization_id="org-registration",
            )
        ],
    )


@pytest.fixture
def relayed(server_factory: ServerFactory, smtp: SmtpServer) -> tuple[ServerThread, SmtpServer]:
    server = server_factory(smtp_relay=smtp.relay)
    in_directory(server)
    return server, smtp


def shown_text(page: httpx.Response) -> str:
    """What the browser shows (entities such as &#x27; read back as characters)."""
    return html.unescape(page.text)


def post(server: ServerThread, **changes: str) -> httpx.Response:
    return httpx.post(server.base_url + "/portal/inscription", data={**FIELDS, **changes})


def login(server: ServerThread, password: str = FIELDS["password"]) -> httpx.Response:
    return httpx.post(
        server.base_url + "/auth/token",
        data={"grant_type": "password", "username": FIELDS["login"], "password": password},
    )


def link_in(message: bytes) -> str:
    parsed: EmailMessage = email.message_from_bytes(message, policy=email.policy.default)  # type: ignore[assignment]
    body = parsed.get_body(("plain",))
    assert body is not None
    found = re.search(r"http://\S+/portal/inscription/activation/\S+", str(body.get_content()))
    assert found is not None
    return found.group(0)


def directory_address(server: ServerThread) -> str:
    r = httpx.get(
        server.base_url + "/fhir/Practitioner",
        params={"identifier": RPPS},
        headers={"Authorization": f"Bearer {get_token(server.base_url, ALICE)}"},
    )
    assert r.status_code == 200, r.text
    [entry] = r.json()["entry"]
    [telecom] = entry["resource"]["telecom"]
    address: str = telecom["value"]
    return address


def test_the_account_waits_for_the_link_sent_to_the_email_given_then_is_in_the_directory(
    relayed: tuple[ServerThread, Any],
) -> None:
    server, relay = relayed
    form = httpx.get(server.base_url + "/portal/inscription")
    assert form.status_code == 200
    assert 'name="rpps"' in form.text
    assert 'name="email"' in form.text
    assert "/portal/aide#comment-obtenir-mes-identifiants-de-connexion-monsisra" in form.text
    created = post(server)
    assert created.status_code == 201, created.text
    assert "zoe.perso@example.org" in shown_text(created)
    assert "zoe.noel-d-arc@sisra-demo.mssante.fr" in shown_text(created)  # the directory's spelling
    # The activation mail went to the address given, through the outbound path.
    [sent] = relay.received
    recipients, message = sent.recipients, sent.data
    assert recipients == ["zoe.perso@example.org"]
    link = link_in(message)
    # Before the link: the password is right, and the login is refused with its own sentence.
    refused = login(server)
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_grant"
    assert refused.json()["error_reason"] == "account_inactive"
    assert "pas encore activé" in refused.json()["error_description"]
    assert login(server, "pas-le-bon-mot").json().get("error_reason") is None
    basic = httpx.get(server.base_url + "/.well-known/jmap", auth=("zoe.noel", "long-enough-1"))
    assert basic.status_code == 401
    assert directory_address(server) == "z.noel@ch-vienne.mssante.fr"
    # The link's page asks for a click (a mail scanner's GET activates nothing)...
    shown = httpx.get(link)
    assert shown.status_code == 200
    assert "Activer mon compte" in shown_text(shown)
    assert login(server).status_code == 400
    # ...which activates the account and lists its address in the directory.
    activated = httpx.post(link)
    assert activated.status_code == 200
    assert "activé" in shown_text(activated)
    assert login(server).status_code == 200
    assert directory_address(server) == "zoe.noel-d-arc@sisra-demo.mssante.fr"
    account = server.sandbox.accounts.by_login("zoe.noel")
    assert account is not None
    assert (account.display_name, account.practitioner_id) == ("Dr Zoé Noël-d'Arc", PRACTITIONER)
    # The link worked once.
    again = httpx.post(link)
    assert again.status_code == 410
    assert "déjà servi" in shown_text(again)
    assert httpx.get(link).status_code == 410


def test_an_unknown_rpps_names_that_do_not_match_and_duplicates_are_refused_keeping_the_form(
    relayed: tuple[ServerThread, Any],
) -> None:
    server, relay = relayed
    unknown = post(server, rpps="10000000999")
    assert unknown.status_code == 400
    assert "ne figure pas dans l'annuaire" in shown_text(unknown)
    assert 'value="zoe.perso@example.org"' in unknown.text  # what was typed is kept
    assert "long-enough-1" not in shown_text(unknown)  # but the password
    other_name = post(server, given="Zoéline")
    assert other_name.status_code == 400
    assert "ne correspondent pas" in shown_text(other_name)
    assert "Zoé" not in shown_text(other_name).replace(
        "Zoéline", ""
    )  # the directory's name is not told
    assert post(server, rpps="1234").status_code == 400
    assert post(server, email="pas-une-adresse").status_code == 400
    assert post(server, password="court").status_code == 400
    assert post(server, login=ALICE.login).status_code == 409  # a login already taken
    assert relay.received == []  # nothing was sent for a refused form
    assert (
        httpx.post(server.base_url + "/portal/inscription", data={"login": "x"}).status_code == 422
    )
    assert post(server).status_code == 201
    httpx.post(link_in(relay.received[-1].data))
    duplicate = post(server, login="zoe.noel2")
    assert duplicate.status_code == 409
    assert "existe déjà pour ce numéro RPPS" in shown_text(duplicate)


def test_an_expired_link_activates_nothing_and_registering_again_sends_a_new_one(
    relayed: tuple[ServerThread, Any],
) -> None:
    server, relay = relayed
    clock = server.sandbox.registration.clock
    clock.fixed = 1_800_000_000
    assert post(server).status_code == 201
    first = link_in(relay.received[-1].data)
    clock.fixed += ACTIVATION_LIFETIME - 1
    assert httpx.get(first).status_code == 200  # still valid, one second before the end
    clock.fixed += 1
    expired = httpx.post(first)
    assert expired.status_code == 410
    assert "a expiré" in shown_text(expired)
    assert login(server).status_code == 400
    # The same RPPS again, with another e-mail typed: the new link goes to the first address.
    again = post(server, email="quelqu.un@autre.example", login="autre.login")
    assert again.status_code == 200
    assert "z•••@example.org" in shown_text(again)
    recipients, message = relay.received[-1].recipients, relay.received[-1].data
    assert recipients == ["zoe.perso@example.org"]
    assert httpx.post(link_in(message)).status_code == 200
    assert login(server).status_code == 200
    assert server.sandbox.accounts.by_login("autre.login") is None


def test_the_activation_mail_is_recorded_and_a_forged_link_is_unknown(
    server_factory: ServerFactory,
) -> None:
    server = server_factory()
    in_directory(server)
    assert post(server).status_code == 201
    account = server.sandbox.accounts.by_login("zoe.noel")
    assert account is not None
    assert not account.active
    [sent] = server.sandbox.mail.sent_outside(account.id)  # listed at /sandbox/sent-outside
    assert sent["recipient"] == "zoe.perso@example.org"
    assert sent["subject"] == "Activez votre compte Sara"
    forged = httpx.get(server.base_url + "/portal/inscription/activation/forged")
    assert forged.status_code == 404
    assert "n'est pas valide" in shown_text(forged)
