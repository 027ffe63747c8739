"""The regional API (DESIGN §2.4) over HTTP: patients, file active, teleconsultations,
téléexpertise, équipes ressources, portal codes; per-user isolation and French errors."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

import httpx

from server.directory.records import PractitionerRecord
from server.testing import ServerThread
from server.urls import REGIONAL_API_PATH
from tests.server.conftest import (
    ALICE,
    BOB,
    CAROL,
    RegionalApi,
    ServerFactory,
    User,
    account_id,
    get_token,
)
from tests.server.jmap_support import Jmap


def nir_key(nir: str) -> int:
    return 97 - int(nir) % 97


def make_ins(nir: str) -> str:
    return f"{nir}{nir_key(nir):02d}"


def new_patient(api: httpx.Client, **over: Any) -> dict[str, Any]:
    body = {
        "given": "Élodie",
        "family": "Lefèvre",
        "birthDate": "1980-04-02",
        "sex": "female",
        "followReason": "prise_en_charge",
    }
    body.update(over)
    r = api.post("/patients", json=body)
    assert r.status_code == 201, r.text
    patient: dict[str, Any] = r.json()
    return patient


def in_days(days: float) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(days=days)).isoformat()


def follow(api: httpx.Client, patient_id: str, reason: str = "prise_en_charge") -> httpx.Response:
    return api.put(f"/file-active/{patient_id}", json={"reason": reason})


def assert_error(r: httpx.Response, status: int, code: str | None = None) -> None:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error", "message"}
    assert body["message"]
    if code:
        assert body["error"] == code


# --- Patients -------------------------------------------------------------------------------------


def test_patient_creation_checks_ins_key_and_birth_date(trio: Any) -> None:
    _, alice, _, _ = trio
    nir = "1750269123012"
    wrong_key = f"{nir}{(nir_key(nir) + 1) % 100:02d}"
    assert_error(
        alice.post(
            "/patients",
            json={"given": "A", "family": "B", "birthDate": "1975-02-01", "ins": wrong_key},
        ),
        400,
        "invalid_ins",
    )
    assert_error(
        alice.post(
            "/patients",
            json={"given": "A", "family": "B", "birthDate": "1975-02-01", "ins": "12345"},
        ),
        400,
        "invalid_ins",
    )
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert_error(
        alice.post("/patients", json={"given": "A", "family": "B", "birthDate": tomorrow}), 400
    )
    assert_error(
        alice.post(
            "/patients",
            json={
                "given": "A",
                "family": "B",
                "birthDate": "1975-02-01",
                "mobile": "01 23 45 67 89",
            },
        ),
        400,
        "invalid_mobile",
    )
    assert_error(
        alice.post("/patients", content=b"{nope", headers={"content-type": "application/json"}), 400
    )
    ok = new_patient(alice, ins=make_ins(nir), mobile="06 12 34 56 78")
    assert ok["mobile"] == "+33612345678"
    assert_error(
        alice.post(
            "/patients",
            json={
                "given": "A",
                "family": "B",
                "birthDate": "1975-02-01",
                "ins": make_ins(nir),
                "followReason": "urgence",
            },
        ),
        409,
        "patient_exists",
    )


def test_file_active_is_per_user_and_care_team_lists_followers(trio: Any) -> None:
    _, alice, bob, carol = trio
    patient = new_patient(alice)
    pid = patient["id"]
    assert [p["id"] for p in alice.get("/file-active").json()["patients"]] == [pid]
    assert bob.get("/file-active").json()["patients"] == []
    assert_error(bob.get(f"/patients/{pid}/care-team"), 403, "forbidden")
    assert follow(bob, pid).json()["inFileActive"] is True
    team = bob.get(f"/patients/{pid}/care-team").json()
    addresses = [m["mssanteAddress"] for m in team["members"]]
    assert addresses == [ALICE.email, BOB.email]
    assert team["members"][0]["name"] == ALICE.name
    assert bob.delete(f"/file-active/{pid}").status_code == 204
    assert bob.get("/file-active").json()["patients"] == []
    assert_error(bob.delete(f"/file-active/{pid}"), 404)
    assert_error(follow(carol, "nope"), 404)
    assert_error(carol.get("/patients/nope"), 404)


def register_in_directory(
    server: ServerThread, user: User, practitioner_id: str, profession: str, specialty: str | None
) -> None:
    """Test setup: the directory learns who is behind the user's address."""
    given, family = user.name.split()[1:]
    record = PractitionerRecord(
        id=practitioner_id,
        rpps="1" + practitioner_id[-10:].rjust(10, "0"),
        prefix="Dr",
        given=given,
        family=family,
        gender="female",
        email=user.email,
        profession=profession,
        specialty=specialty,
    )
    server.sandbox.directory.insert([], [record], [])


def test_care_team_members_known_by_address_carry_the_directory_entry(trio: Any) -> None:
    server, alice, bob, carol = trio
    register_in_directory(server, CAROL, "pr-carol-00000001", "10", "SM04")
    patient = new_patient(alice, ins=make_ins("2800469123045"))
    pid = patient["id"]
    # Carol follows the patient: her member entry comes with what the directory knows.
    assert follow(carol, pid, "avis").status_code == 200
    # Alice followed before the directory knew her address: completed when the team is read.
    register_in_directory(server, ALICE, "pr-alice-00000002", "21", None)
    members = {
        m["mssanteAddress"]: m for m in carol.get(f"/patients/{pid}/care-team").json()["members"]
    }
    assert members[CAROL.email] == {
        "practitionerId": "pr-carol-00000001",
        "name": CAROL.name,
        "profession": "Médecin",
        "professionCode": "10",
        "specialty": "Cardiologie et Maladies vasculaires (SM)",
        "specialtyCode": "SM04",
        "mssanteAddress": CAROL.email,
    }
    assert members[ALICE.email]["practitionerId"] == "pr-alice-00000002"
    assert (members[ALICE.email]["profession"], members[ALICE.email]["specialty"]) == (
        "Pharmacien",
        None,
    )
    # Bob is unknown to the directory: his entry stays as the account gives it.
    assert follow(bob, pid, "soins_coordonnes").status_code == 200
    unknown = bob.get(f"/patients/{pid}/care-team").json()["members"][-1]
    assert unknown["mssanteAddress"] == BOB.email
    assert (unknown["practitionerId"], unknown["profession"], unknown["specialty"]) == (
        None,
        None,
        None,
    )
    # The portal page of the patient's file shows the same.
    page = httpx.get(
        f"{server.base_url}/portal/mespatients/patients/{patient['ins']}",
        auth=(CAROL.login, CAROL.password),
    )
    assert page.status_code == 200
    assert "Cardiologie et Maladies vasculaires (SM)" in page.text
    assert "Pharmacien" in page.text


def test_regional_api_needs_authentication(server: ServerThread) -> None:
    r = httpx.get(server.base_url + REGIONAL_API_PATH + "/file-active")
    assert_error(r, 401)
    assert "Basic" in r.headers["www-authenticate"]
    basic = httpx.get(
        server.base_url + REGIONAL_API_PATH + "/file-active", auth=(ALICE.login, ALICE.password)
    )
    assert basic.status_code == 200


# --- Teleconsultations ----------------------------------------------------------------------------


def plan(api: httpx.Client, **over: Any) -> httpx.Response:
    body: dict[str, Any] = {
        "start": in_days(2),
        "durationMinutes": 30,
        "patientName": "Jean Valjean",
        "patientEmail": "jean.valjean@patient.example",
        "channels": ["email"],
    }
    body.update(over)
    return api.post("/teleconsultations", json=body)


def test_secretary_plans_on_behalf_of_a_professional_with_invitations(trio: Any) -> None:
    server, alice, bob, carol = trio
    accounts = {u.login: account_id(server, u) for u in (ALICE, BOB, CAROL)}
    patient = new_patient(alice, mobile="+33 7 11 22 33 44", email="elodie@patient.example")
    assert alice.post("/delegates", json={"address": CAROL.email}).status_code == 201
    r = plan(
        carol,  # the secretary, whom Alice lets plan for her
        teleconsultantAccountId=accounts["alice"],
        patientId=patient["id"],
        patientEmail=None,
        channels=["email", "sms"],
        onlinePayment={"amount": 25},
        participants=[{"accountId": accounts["bob"]}, {"name": "Sa fille", "mobile": "0655443322"}],
    )
    assert r.status_code == 201, r.text
    tc = r.json()
    assert tc["teleconsultant"]["accountId"] == accounts["alice"]
    assert tc["planner"]["accountId"] == accounts["carol"]
    assert tc["joinUrl"] is None  # the secretary does not join
    assert tc["patient"]["joinUrl"].startswith(server.base_url + "/portal/telemedecine/join/")
    assert tc["onlinePayment"] == {"amount": 25.0, "currency": "EUR"}
    assert tc["durationMinutes"] == 30
    # Alice sees her own link and the patient's; Bob (participant) only his own.
    seen_by_alice = alice.get(f"/teleconsultations/{tc['id']}").json()
    seen_by_bob = bob.get(f"/teleconsultations/{tc['id']}").json()
    assert seen_by_alice["joinUrl"]
    assert seen_by_bob["joinUrl"]
    assert len({seen_by_alice["joinUrl"], seen_by_bob["joinUrl"], tc["patient"]["joinUrl"]}) == 3
    assert seen_by_bob["patient"]["joinUrl"] is None
    # Invitations: the patient by e-mail and SMS, Alice (planned for her), Bob, the daughter.
    sent = carol.get("/sandbox/invitations").json()["invitations"]
    pairs = {(i["channel"], i["recipient"]) for i in sent}
    assert ("email", "elodie@patient.example") in pairs
    assert ("sms", "+33711223344") in pairs
    assert ("sms", "+33655443322") in pairs
    assert ("email", ALICE.email) in pairs
    patient_mail = next(i for i in sent if i["recipient"] == "elodie@patient.example")
    assert tc["patient"]["joinUrl"] in patient_mail["text"]
    assert "25,00 €" in patient_mail["text"]
    assert alice.get("/sandbox/invitations").json()["invitations"] == sent
    assert bob.get("/sandbox/invitations").json()["invitations"] == []
    # The join page is public and greets the participant.
    page = httpx.get(tc["patient"]["joinUrl"])
    assert page.status_code == 200
    assert "Élodie Lefèvre" in page.text


def test_a_planner_who_does_not_follow_the_patient_gets_no_contact_details(trio: Any) -> None:
    _, alice, bob, _ = trio
    patient = new_patient(alice, email="elodie@patient.example", mobile="+33 7 11 22 33 44")
    # Bob does not follow the patient: the directory's e-mail and mobile are not his to use.
    assert_error(plan(bob, patientId=patient["id"], patientEmail=None), 400, "missing_contact")
    typed = plan(bob, patientId=patient["id"], patientEmail="autre@patient.example")
    assert typed.status_code == 201, typed.text
    assert (typed.json()["patient"]["email"], typed.json()["patient"]["mobile"]) == (
        "autre@patient.example",
        None,
    )
    assert "elodie@patient.example" not in typed.text
    # Once he follows the patient, the directory fills them in.
    assert follow(bob, patient["id"]).status_code == 200
    known = plan(
        bob,
        patientId=patient["id"],
        patientEmail=None,
        channels=["email", "sms"],
        start=in_days(3),  # not at the time of the first
    )
    assert known.status_code == 201, known.text
    assert (known.json()["patient"]["email"], known.json()["patient"]["mobile"]) == (
        "elodie@patient.example",
        "+33711223344",
    )


def test_teleconsultation_validation_errors(trio: Any) -> None:
    _, alice, _, _ = trio
    assert_error(plan(alice, start=in_days(-1)), 400, "start_in_past")
    assert_error(plan(alice, patientEmail=None), 400, "missing_contact")
    assert_error(plan(alice, channels=["sms"]), 400, "missing_contact")
    assert_error(
        plan(alice, channels=["sms"], patientMobile="+44 7700 900123"), 400, "invalid_mobile"
    )
    assert_error(plan(alice, patientName=None), 400, "missing_patient")
    assert_error(plan(alice, patientId="nope"), 400, "unknown_patient")
    assert_error(plan(alice, channels=[]), 400)
    assert_error(plan(alice, teleconsultantAccountId="ghost"), 400, "unknown_teleconsultant")
    assert_error(plan(alice, durationMinutes=None, end=in_days(1)), 400, "invalid_end")
    assert_error(plan(alice, start="not a date"), 400)
    ok = plan(
        alice,
        durationMinutes=None,
        channels=["sms"],
        patientEmail=None,
        patientMobile="07 00 00 00 01",
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["patient"]["mobile"] == "+33700000001"
    assert ok.json()["durationMinutes"] == 20


def test_teleconsultations_are_isolated_and_cancellable(trio: Any) -> None:
    _, alice, bob, _ = trio
    tc = plan(alice).json()
    assert [t["id"] for t in alice.get("/teleconsultations").json()["teleconsultations"]] == [
        tc["id"]
    ]
    assert bob.get("/teleconsultations").json()["teleconsultations"] == []
    assert_error(bob.get(f"/teleconsultations/{tc['id']}"), 404)
    assert_error(bob.post(f"/teleconsultations/{tc['id']}/cancel", json={"reason": "x"}), 404)
    day = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).date()
    listed = alice.get("/teleconsultations", params={"from": str(day), "to": str(day)})
    assert len(listed.json()["teleconsultations"]) <= 1
    later = alice.get("/teleconsultations", params={"from": str(day + dt.timedelta(days=5))})
    assert later.json()["teleconsultations"] == []
    assert_error(alice.get("/teleconsultations", params={"from": "demain"}), 400)
    cancelled = alice.post(
        f"/teleconsultations/{tc['id']}/cancel", json={"reason": "Patient hospitalisé"}
    )
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["cancelReason"] == "Patient hospitalisé"
    assert_error(alice.post(f"/teleconsultations/{tc['id']}/cancel", json={"reason": "x"}), 409)
    assert_error(alice.post(f"/teleconsultations/{tc['id']}/cancel", json={}), 400)
    kinds = [i["kind"] for i in alice.get("/sandbox/invitations").json()["invitations"]]
    assert kinds == ["invitation", "cancellation"]
    assert (
        alice.get("/teleconsultations", params={"status": "planned"}).json()["teleconsultations"]
        == []
    )


def test_a_participant_cannot_cancel(trio: Any) -> None:
    server, alice, bob, _ = trio
    bob_id = account_id(server, BOB)
    tc = plan(alice, participants=[{"accountId": bob_id}]).json()
    assert_error(bob.post(f"/teleconsultations/{tc['id']}/cancel", json={"reason": "x"}), 403)


# --- Téléexpertise --------------------------------------------------------------------------------


def declare_expert(api: httpx.Client) -> dict[str, Any]:
    r = api.put(
        "/expert-profile",
        json={
            "activityDescription": "Avis dermatologiques sur photographies",
            "prerequisiteDocuments": ["Photographies de la lésion"],
            "listedInDirectory": True,
        },
    )
    assert r.status_code == 200, r.text
    profile: dict[str, Any] = r.json()
    return profile


def test_expert_profile_declaration(trio: Any) -> None:
    _, _, bob, carol = trio
    assert bob.get("/expert-profile").json()["declared"] is False
    profile = declare_expert(bob)
    assert profile["declared"] is True
    assert profile["prerequisiteDocuments"] == ["Photographies de la lésion"]
    assert bob.get("/expert-profile").json() == profile
    assert carol.get("/expert-profile").json()["declared"] is False
    assert_error(bob.put("/expert-profile", json={"listedInDirectory": "maybe"}), 400)


def test_teleexpertise_lifecycle_with_its_thread(trio: Any) -> None:
    server, alice, bob, carol = trio
    declare_expert(bob)
    patient = new_patient(alice)
    assert_error(
        alice.post(
            "/teleexpertises",
            json={"expertAddress": CAROL.email, "patientId": patient["id"], "question": "?"},
        ),
        400,
        "unknown_expert",
    )
    r = alice.post(
        "/teleexpertises",
        json={"expertAddress": BOB.email, "patientId": patient["id"], "question": "Mélanome ?"},
    )
    assert r.status_code == 201, r.text
    te = r.json()
    assert te["status"] == "requested"
    assert te["expert"]["mssanteAddress"] == BOB.email
    assert te["threadId"]
    # Bob has the request in his Inbox, in the thread the request records for him.
    bob_view = bob.get(f"/teleexpertises/{te['id']}").json()
    assert bob_view["threadId"]
    assert bob_view["messageId"] == te["messageId"]
    mail = Jmap(server.base_url, get_token(server.base_url, BOB))
    inbox = mail.mailbox("inbox")
    [request_id] = mail.call("Email/query", filter={"inMailbox": inbox})["ids"]
    [request] = mail.call(
        "Email/get",
        ids=[request_id],
        properties=["subject", "threadId", "mailboxIds", "messageId", "textBody", "bodyValues"],
        fetchTextBodyValues=True,
    )["list"]
    assert request["subject"] == "Demande de téléexpertise — Élodie Lefèvre"
    assert request["threadId"] == bob_view["threadId"]
    assert request["mailboxIds"] == {inbox: True}
    assert f"<{request['messageId'][0]}>" == te["messageId"]
    text = request["bodyValues"][request["textBody"][0]["partId"]]["value"]
    assert "Élodie Lefèvre, née le 02/04/1980" in text
    assert "Mélanome ?" in text
    # Isolation and roles.
    assert_error(carol.get(f"/teleexpertises/{te['id']}"), 404)
    assert carol.get("/teleexpertises").json()["teleexpertises"] == []
    assert_error(alice.post(f"/teleexpertises/{te['id']}/answer", json={"answer": "x"}), 403)
    assert_error(
        alice.post(f"/teleexpertises/{te['id']}/close", json={"report": "x"}),
        409,
        "invalid_transition",
    )
    answered = bob.post(f"/teleexpertises/{te['id']}/answer", json={"answer": "Exérèse."})
    assert answered.status_code == 200
    assert answered.json()["status"] == "answered"
    assert_error(bob.post(f"/teleexpertises/{te['id']}/answer", json={"answer": "x"}), 409)
    closed = alice.post(f"/teleexpertises/{te['id']}/close", json={"report": "Exérèse faite."})
    assert closed.status_code == 200, closed.text
    body = closed.json()
    assert body["status"] == "closed"
    assert body["reportTypeCode"] == "85208-7"
    assert body["reportBlobId"].startswith("B")
    assert_error(alice.post(f"/teleexpertises/{te['id']}/close", json={"report": "x"}), 409)
    # The whole conversation is one thread in Bob's mailbox: request, his reply in Sent, report.
    [thread] = mail.call("Thread/get", ids=[bob_view["threadId"]])["list"]
    emails = mail.call(
        "Email/get",
        ids=thread["emailIds"],
        properties=["subject", "mailboxIds", "attachments"],
        bodyProperties=["partId", "blobId", "type", "header:Content-Description:asText"],
    )["list"]
    sent = mail.mailbox("sent")
    assert [(e["subject"], e["mailboxIds"]) for e in emails] == [
        ("Demande de téléexpertise — Élodie Lefèvre", {inbox: True}),
        ("Re: Demande de téléexpertise — Élodie Lefèvre", {sent: True}),
        ("Re: Demande de téléexpertise — Élodie Lefèvre", {inbox: True}),
    ]
    # The compte rendu: a PDF typed as the composer types it, and the patient's IHE_XDM.ZIP
    # (their content: tests/server/test_patient_documents.py).
    report, package = emails[2]["attachments"]
    assert report["type"] == "application/pdf"
    assert report["header:Content-Description:asText"] == "CR de télémédecine"
    assert report["blobId"] == body["reportBlobId"]
    assert package["type"] == "application/zip"
    url = (
        mail.session["downloadUrl"]
        .replace("{accountId}", mail.account_id)
        .replace("{blobId}", report["blobId"])
        .replace("{name}", "cr.pdf")
        .replace("{type}", quote(report["type"], safe=""))
    )
    document = httpx.get(url, headers=mail.headers)
    assert document.status_code == 200, document.text
    assert document.content.startswith(b"%PDF-1.4")
    assert [t["status"] for t in bob.get("/teleexpertises").json()["teleexpertises"]] == ["closed"]


def test_fifth_teleexpertise_for_a_patient_in_a_year_is_refused(trio: Any) -> None:
    server, alice, bob, carol = trio
    declare_expert(bob)
    patient = new_patient(alice, given="Jules", family="Noël", sex="male")
    body = {"expertAddress": BOB.email, "patientId": patient["id"], "question": "Avis ?"}
    for n in range(4):
        assert alice.post("/teleexpertises", json=body).status_code == 201
        quota = alice.get("/teleexpertises/quota", params={"patientId": patient["id"]}).json()
        assert (quota["used"], quota["remaining"], quota["limit"]) == (n + 1, 3 - n, 4)
    fifth = alice.post("/teleexpertises", json=body)
    assert_error(fifth, 409, "teleexpertise_limit")
    assert fifth.json()["message"].startswith(
        "Limite atteinte : 4 téléexpertises par patient et par an"
    )
    # The rule is per requesting professional: Carol may still ask.
    assert carol.post("/teleexpertises", json=body).status_code == 201
    # The requests say "né" for a man.
    mail = Jmap(server.base_url, get_token(server.base_url, BOB))
    ids = mail.call("Email/query", filter={"inMailbox": mail.mailbox("inbox")})["ids"]
    assert len(ids) == 5
    emails = mail.call(
        "Email/get", ids=ids, properties=["textBody", "bodyValues"], fetchTextBodyValues=True
    )["list"]
    for email in emails:
        text = email["bodyValues"][email["textBody"][0]["partId"]]["value"]
        assert "Jules Noël, né le 02/04/1980." in text
    assert_error(alice.get("/teleexpertises/quota", params={"patientId": "nope"}), 404)
    assert_error(alice.get("/teleexpertises/quota"), 400)


# --- Équipes ressources ---------------------------------------------------------------------------


def test_resource_team_template_round_trip_with_an_odd_file_name(trio: Any) -> None:
    _, alice, bob, _ = trio
    r = alice.post(
        "/resource-teams",
        json={
            "name": "Équipe ressource plaies et cicatrisation",
            "activityDescription": "Avis sur les plaies chroniques",
            "prerequisites": "Photographies datées",
            "contactAddress": ALICE.email,
        },
    )
    assert r.status_code == 201, r.text
    team = r.json()
    name = "compte rendu été 2026 (v2)!.pdf"
    data = b"%PDF-1.4\n" + bytes(range(256)) * 10
    up = alice.post(
        f"/resource-teams/{team['id']}/templates",
        files={"file": (name, data, "application/pdf")},
    )
    assert up.status_code == 201, up.text
    template = up.json()
    assert template["fileName"] == name
    assert template["size"] == len(data)
    down = bob.get(template["downloadUrl"])
    assert down.status_code == 200
    assert down.content == data
    assert down.headers["content-type"] == "application/pdf"
    disposition = down.headers["content-disposition"]
    assert f"filename*=UTF-8''{quote(name, safe='')}" in disposition
    assert disposition.startswith('attachment; filename="compte rendu _t_ 2026 (v2)!.pdf"')
    # Others find the team by text, accents ignored; only the declarer uploads.
    found = bob.get("/resource-teams", params={"q": "cicatrisation PLAIES"}).json()
    assert [t["id"] for t in found["resourceTeams"]] == [team["id"]]
    assert bob.get("/resource-teams", params={"q": "cardiologie"}).json()["resourceTeams"] == []
    assert bob.get(f"/resource-teams/{team['id']}").json()["templates"][0]["id"] == template["id"]
    assert_error(
        bob.post(f"/resource-teams/{team['id']}/templates", files={"file": ("x.txt", b"x")}), 403
    )
    assert_error(alice.get(f"/resource-teams/{team['id']}/templates/nope"), 404)
    assert_error(alice.get("/resource-teams/nope"), 404)
    assert_error(alice.post(f"/resource-teams/{team['id']}/templates"), 400)
    assert_error(
        alice.post(
            "/resource-teams",
            json={"name": "X", "activityDescription": "", "contactAddress": "pas une adresse"},
        ),
        400,
    )


def test_template_upload_is_size_limited(
    server_factory: ServerFactory, regional_api: RegionalApi
) -> None:
    server = server_factory(max_size_upload=1024)
    api = regional_api(server, ALICE)
    team = api.post(
        "/resource-teams",
        json={"name": "T", "activityDescription": "d", "contactAddress": ALICE.email},
    ).json()
    too_big = api.post(
        f"/resource-teams/{team['id']}/templates", files={"file": ("a.bin", b"x" * 2048)}
    )
    assert_error(too_big, 413, "too_large")


# --- Portal codes and the OpenAPI document --------------------------------------------------------


def test_portal_code_logs_the_browser_in_once(trio: Any) -> None:
    server, alice, _, _ = trio
    new_patient(alice, ins=make_ins("2800469123045"))
    issued = alice.post("/portal-codes").json()
    assert issued["expiresIn"] > 0
    assert issued["url"].startswith(server.base_url + "/portal/mespatients?code=")
    with httpx.Client(follow_redirects=True) as browser:
        page = browser.get(issued["url"])
        assert page.status_code == 200
        assert "LEFÈVRE Élodie" in page.text
        assert page.url.params.get("code") is None
        cookie = page.history[0].headers["set-cookie"]
        assert "HttpOnly" in cookie
        assert browser.get(server.base_url + "/portal/telemedecine").status_code == 200
    reused = httpx.get(issued["url"])
    assert reused.status_code == 401
    assert "Basic" in reused.headers["www-authenticate"]
    assert httpx.get(server.base_url + "/portal/mespatients").status_code == 401
    basic = httpx.get(server.base_url + "/portal/mespatients", auth=(ALICE.login, ALICE.password))
    assert basic.status_code == 200
    direct = alice.post("/portal-codes", json={"ins": make_ins("2800469123045")}).json()
    file_page = httpx.get(direct["url"], follow_redirects=True)
    assert file_page.status_code == 200
    assert "Acteurs du dossier" in file_page.text
    assert ALICE.email in file_page.text


def test_openapi_document_is_published_without_credentials(server: ServerThread) -> None:
    """Public, as its route says: it describes the API, not anyone's data."""
    r = httpx.get(server.base_url + REGIONAL_API_PATH + "/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    # The routes it describes still need a caller.
    assert httpx.get(server.base_url + REGIONAL_API_PATH + "/file-active").status_code == 401
    assert doc["openapi"].startswith("3.")
    assert f"{REGIONAL_API_PATH}/teleexpertises/{{teleexpertise_id}}/close" in doc["paths"]
    schema = doc["components"]["schemas"]["TeleconsultationCreate"]
    assert "teleconsultantAccountId" in schema["properties"]
    assert schema["properties"]["channels"]["description"]
