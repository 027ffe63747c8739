"""Issue 13 §3, "Se déclarer comme télé-expert": the profile carries the specialties offered and
the delay announced; a requester reads a listed expert's prerequisites (not an unlisted one's);
withdrawing removes the profile and the directory's téléexpert flag, in French when there is
nothing to withdraw."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from typing import Any

import httpx

from server.testing import ServerThread
from server.urls import DIRECTORY_PATH
from tests.server.conftest import ALICE, BOB, get_token
from tests.server.jmap_support import Jmap
from tests.server.test_regional import assert_error, new_patient, register_in_directory

PROFILE = {
    "activityDescription": "Avis dermatologiques sur photographies",
    "prerequisiteDocuments": ["Photographies de la lésion", "Dernier bilan biologique"],
    "specialties": ["SM15", "SM04"],
    "responseDelayDays": 3,
    "listedInDirectory": True,
}


def is_listed_expert(server: ServerThread, api: httpx.Client, practitioner_id: str) -> bool:
    """The directory's FHIR Practitioner carries the téléexpert extension."""
    r = httpx.get(
        f"{server.base_url}{DIRECTORY_PATH}/Practitioner/{practitioner_id}",
        headers={"Authorization": api.headers["Authorization"]},
    )
    assert r.status_code == 200, r.text
    return any(e.get("valueBoolean") for e in r.json().get("extension", []))


def test_the_profile_keeps_specialties_and_delay(trio: Any) -> None:
    _, _, bob, _ = trio
    r = bob.put("/expert-profile", json=PROFILE)
    assert r.status_code == 200, r.text
    profile = bob.get("/expert-profile").json()
    assert profile["specialties"] == ["SM15", "SM04"]
    assert profile["responseDelayDays"] == 3
    assert profile["prerequisiteDocuments"] == PROFILE["prerequisiteDocuments"]
    # Edited later: what is sent replaces what was there.
    r = bob.put("/expert-profile", json={**PROFILE, "specialties": [], "responseDelayDays": None})
    assert (r.json()["specialties"], r.json()["responseDelayDays"]) == ([], None)


def test_an_unknown_specialty_code_or_delay_is_refused_in_french(trio: Any) -> None:
    _, _, bob, _ = trio
    assert_error(bob.put("/expert-profile", json={**PROFILE, "specialties": ["<b>"]}), 400)
    unknown = bob.put("/expert-profile", json={**PROFILE, "specialties": ["SM99"]})
    assert_error(unknown, 400, "unknown_specialty")
    assert "nomenclature" in unknown.json()["message"]
    assert_error(bob.put("/expert-profile", json={**PROFILE, "responseDelayDays": 0}), 400)
    assert bob.get("/expert-profile").json()["declared"] is False


def test_a_requester_reads_a_listed_experts_prerequisites(trio: Any) -> None:
    _, alice, bob, _ = trio
    assert_error(alice.get("/experts/profile", params={"address": BOB.email}), 404)
    bob.put("/expert-profile", json=PROFILE)
    r = alice.get("/experts/profile", params={"address": BOB.email.upper()})
    assert r.status_code == 200, r.text
    assert r.json()["prerequisiteDocuments"] == PROFILE["prerequisiteDocuments"]
    assert r.json()["responseDelayDays"] == 3
    # Not listed in the directory: not shown to others.
    bob.put("/expert-profile", json={**PROFILE, "listedInDirectory": False})
    assert_error(alice.get("/experts/profile", params={"address": BOB.email}), 404)
    assert_error(alice.get("/experts/profile"), 400)


def test_withdrawing_removes_the_profile_and_the_directory_flag(trio: Any) -> None:
    server, alice, bob, _ = trio
    register_in_directory(server, BOB, "pr-bob-000000003", "10", "SM15")
    server.sandbox.accounts.link_practitioner(
        server.sandbox.accounts.by_email(BOB.email).id,  # type: ignore[union-attr]
        "pr-bob-000000003",
        "10000000003",
    )
    bob.put("/expert-profile", json=PROFILE)
    assert is_listed_expert(server, alice, "pr-bob-000000003")
    r = alice.get("/experts/profile", params={"practitionerId": "pr-bob-000000003"})
    assert r.status_code == 200, r.text

    r = bob.delete("/expert-profile")
    assert r.status_code == 200, r.text
    assert r.json()["declared"] is False
    assert bob.get("/expert-profile").json()["declared"] is False
    assert not is_listed_expert(server, alice, "pr-bob-000000003")
    assert_error(alice.get("/experts/profile", params={"address": BOB.email}), 404)
    r = bob.delete("/expert-profile")
    assert_error(r, 404)
    assert "téléexpert" in r.json()["message"]


def test_the_portal_page_shows_the_declaration_and_where_to_edit_it(trio: Any) -> None:
    """Fetched like a browser (a one-time portal code, redirects followed): the profile read-only,
    text escaped, the app named as where it is edited, a way back to the portal."""
    _, _, bob, _ = trio
    hostile = {**PROFILE, "prerequisiteDocuments": ["<script>alert(1)</script>"]}
    assert bob.put("/expert-profile", json=hostile).status_code == 200
    issued = bob.post("/portal-codes", json={"page": "expert"}).json()
    page = httpx.get(issued["url"], follow_redirects=True)
    assert page.status_code == 200
    assert "Vous êtes déclaré(e) téléexpert(e)." in page.text
    assert "Dermatologie et Vénéréologie (SM)" in page.text  # SM15, by its label
    assert "Cardiologie et Maladies vasculaires" in page.text
    assert "Délai de réponse : 3 jour(s)" in page.text
    assert "&lt;script&gt;" in page.text
    assert "<script>" not in page.text
    assert "Modifier dans MonSisra bureau" in page.text
    assert 'href="/portal/telemedecine"' in page.text
    assert "Ces préférences se modifient depuis MonSisra (Mon portail" not in page.text


def test_documents_of_a_request_arrive_named_and_typed(trio: Any) -> None:
    server, alice, bob, _ = trio
    bob.put("/expert-profile", json=PROFILE)
    patient = new_patient(alice)
    alice_mail = Jmap(server.base_url, get_token(server.base_url, ALICE))
    blob = httpx.post(
        alice_mail.session["uploadUrl"].replace("{accountId}", alice_mail.account_id),
        content=b"%PDF-1.4 bilan",
        headers={**alice_mail.headers, "Content-Type": "application/pdf"},
    ).json()["blobId"]
    ask = {"expertAddress": BOB.email, "patientId": patient["id"], "question": "Plaie ?"}
    bad = {"blobId": blob, "name": "a/b.pdf"}
    assert_error(alice.post("/teleexpertises", json={**ask, "documents": [bad]}), 400)
    # The type becomes a header of the message: a line break in it is refused, not a 500.
    forged = {"blobId": blob, "name": "b.pdf", "typeLabel": "CR\r\nBcc: x@example.com"}
    assert_error(alice.post("/teleexpertises", json={**ask, "documents": [forged]}), 400)
    document = {"blobId": blob, "name": "bilan.pdf", "typeLabel": "CR d'examens biologiques"}
    r = alice.post("/teleexpertises", json={**ask, "documents": [document]})
    assert r.status_code == 201, r.text
    assert r.json()["documents"] == [document]
    seen = bob.get(f"/teleexpertises/{r.json()['id']}").json()
    assert [d["name"] for d in seen["documents"]] == ["bilan.pdf"]
    # In the expert's Inbox: the attachment with its name and type, as the composer sends.
    mail = Jmap(server.base_url, get_token(server.base_url, BOB))
    [email_id] = mail.call("Email/query", filter={"inMailbox": mail.mailbox("inbox")})["ids"]
    [email] = mail.call("Email/get", ids=[email_id], properties=["attachments", "blobId"])["list"]
    [attachment] = email["attachments"]
    assert (attachment["name"], attachment["type"]) == ("bilan.pdf", "application/pdf")
    raw = httpx.get(
        mail.session["downloadUrl"]
        .replace("{accountId}", mail.account_id)
        .replace("{blobId}", email["blobId"])
        .replace("{name}", "message.eml")
        .replace("{type}", "message/rfc822"),
        headers=mail.headers,
    )
    message = BytesParser(policy=policy.default).parsebytes(raw.content)
    [part] = list(message.iter_attachments())  # type: ignore[attr-defined]
    assert part["Content-Description"] == "CR d'examens biologiques"
    assert part.get_content() == b"%PDF-1.4 bilan"
