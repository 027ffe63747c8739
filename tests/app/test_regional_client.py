"""The regional client against the sandbox: one call per route, typed results, and the server's
French error messages carried by RegionalError."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import pytest_asyncio
from hypothesis import given, settings
from hypothesis import strategies as st

from app.remote.regional import (
    ParticipantInput,
    PatientSearchTooBroad,
    Payment,
    RegionalClient,
    RegionalError,
    RegionalForbidden,
    RegionalRateLimited,
    RegionalUnreachable,
    TeleconsultationPlan,
    _access_log,
    _Obj,
    _Shape,
    _teleexpertise,
)
from server.testing import ServerThread
from tests.server.conftest import ALICE, BOB, ServerFactory, get_token

PARIS = ZoneInfo("Europe/Paris")

# Synthetic INS (valid key) under the test OID: never a real person.
INS = "260057512345684"
TEST_OID = "1.2.250.1.213.1.4.10"


@dataclass
class Pair:
    alice: RegionalClient
    bob: RegionalClient


@pytest_asyncio.fixture
async def regional(server: ServerThread) -> AsyncIterator[Pair]:
    base = server.base_url + "/regional/v1"
    alice_token = get_token(server.base_url, ALICE)
    bob_token = get_token(server.base_url, BOB)
    async with (
        httpx.AsyncClient(headers={"Authorization": f"Bearer {alice_token}"}) as alice_http,
        httpx.AsyncClient(headers={"Authorization": f"Bearer {bob_token}"}) as bob_http,
    ):
        yield Pair(RegionalClient(alice_http, base), RegionalClient(bob_http, base))


@pytest.mark.asyncio
async def test_patients_create_search_get(regional: Pair) -> None:
    created = await regional.alice.create_patient(
        "Marie", "Dupont", dt.date(1960, 2, 1), reason="prise_en_charge", sex="female", ins=INS,
        ins_oid=TEST_OID, usual_family="Martin", email="marie.dupont@example.org",
        mobile="06 12 34 56 78", city="Lyon",
    )  # fmt: skip
    assert created.id
    assert created.ins == INS
    assert created.ins_oid == TEST_OID
    assert created.ins_ihe == f"{INS}^^^&{TEST_OID}&ISO"
    assert (created.given, created.family, created.usual_family, created.birth_date) == (
        "Marie",
        "Dupont",
        "Martin",
        dt.date(1960, 2, 1),
    )
    assert created.mobile == "+33612345678"
    assert created.in_file_active
    assert await regional.alice.get_patient(created.id) == created
    # Found by birth or usual name with the birth date, or by INS: identities only.
    identity = dataclasses.replace(created, email=None, mobile=None, city="")
    for family in ("dupont", "MARTIN"):
        found = await regional.bob.search_patients(family, dt.date(1960, 2, 1), given="mar")
        assert found.patients == [dataclasses.replace(identity, in_file_active=False)]
        assert not found.truncated
    by_ins = await regional.alice.search_patients(ins=INS)
    assert by_ins.patients == [identity]
    # Bob does not follow her: her identity, no contact details.
    assert await regional.bob.get_patient(created.id) == dataclasses.replace(
        identity, in_file_active=False
    )


@pytest.mark.asyncio
async def test_a_search_too_broad_has_its_own_error(regional: Pair) -> None:
    for family, born in (("Dupont", None), (None, dt.date(1960, 2, 1)), (None, None)):
        with pytest.raises(PatientSearchTooBroad) as caught:
            await regional.alice.search_patients(family, born)
        assert caught.value.status == 400
        assert "date de naissance" in caught.value.message_fr


@pytest.mark.asyncio
async def test_too_many_searches_say_how_long_to_wait(server_factory: ServerFactory) -> None:
    server = server_factory(patient_search_limit=1)
    token = get_token(server.base_url, ALICE)
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as http:
        client = RegionalClient(http, server.base_url + "/regional/v1")
        await client.search_patients(ins=INS)
        with pytest.raises(RegionalRateLimited) as caught:
            await client.search_patients(ins=INS)
    assert caught.value.status == 429
    assert caught.value.retry_after is not None
    assert 1 <= caught.value.retry_after <= 60
    assert "réessayez" in caught.value.message_fr


@pytest.mark.asyncio
async def test_server_errors_carry_its_french_message(regional: Pair) -> None:
    await regional.alice.create_patient(
        "A", "B", dt.date(1990, 1, 1), reason="urgence", ins=INS, ins_oid=TEST_OID
    )
    with pytest.raises(RegionalError) as duplicate:
        await regional.alice.create_patient(
            "C", "D", dt.date(1991, 1, 1), reason="urgence", ins=INS, ins_oid=TEST_OID
        )
    assert duplicate.value.status == 409
    assert duplicate.value.code
    assert "INS" in duplicate.value.message_fr
    with pytest.raises(RegionalError) as missing:
        await regional.alice.get_patient("nope")
    assert missing.value.status == 404
    assert missing.value.message_fr
    with pytest.raises(RegionalError) as invalid:
        await regional.alice.create_patient("", "D", dt.date(1991, 1, 1), reason="urgence")
    assert invalid.value.status == 400
    assert "invalide" in invalid.value.message_fr
    with pytest.raises(RegionalError) as no_reason:
        await regional.alice.create_patient("C", "D", dt.date(1991, 1, 1), reason="")
    assert no_reason.value.code == "missing_reason"
    assert "Prise en charge en cours" in no_reason.value.message_fr


@pytest.mark.asyncio
async def test_file_active_care_team_and_access_log(regional: Pair) -> None:
    patient = await regional.alice.create_patient(
        "Paul", "Roux", dt.date(1950, 3, 4), reason="prise_en_charge", sex="male"
    )
    with pytest.raises(RegionalForbidden) as hidden:
        await regional.bob.care_team(patient.id)
    assert hidden.value.status == 403
    assert "file active" in hidden.value.message_fr
    reasons = await regional.bob.follow_reasons()
    assert [r.code for r in reasons][:2] == ["prise_en_charge", "avis"]
    assert reasons[1].label == "Demande d'avis / téléexpertise"
    followed = await regional.bob.follow_patient(patient.id, reasons[1].code)
    assert followed.in_file_active
    assert patient.id in {p.id for p in await regional.bob.file_active()}
    team = await regional.bob.care_team(patient.id)
    assert team.patient_id == patient.id
    assert team.members
    assert all(m.name for m in team.members)
    addresses = {m.mssante_address for m in team.members}
    assert BOB.email in addresses
    log = await regional.alice.access_log(patient.id, limit=2)
    assert [(e.actor.name, e.action, e.reason_label) for e in log.entries] == [
        (BOB.name, "care_team", None),
        (BOB.name, "follow", "Demande d'avis / téléexpertise"),
    ]
    assert log.entries[0].actor.mssante_address == BOB.email
    assert log.entries[0].at.tzinfo is not None
    assert log.next_cursor
    older = await regional.alice.access_log(patient.id, cursor=log.next_cursor)
    assert [e.action for e in older.entries] == ["follow", "create"]
    assert older.next_cursor is None
    await regional.bob.unfollow_patient(patient.id)
    assert patient.id not in {p.id for p in await regional.bob.file_active()}
    with pytest.raises(RegionalError) as outsider:
        await regional.bob.access_log(patient.id)
    assert outsider.value.status == 404


@pytest.mark.asyncio
async def test_teleconsultations_plan_list_get_cancel(regional: Pair) -> None:
    patient = await regional.alice.create_patient(
        "Léa", "Blanc", dt.date(1985, 5, 6), reason="prise_en_charge", sex="female"
    )
    start = (dt.datetime.now() + dt.timedelta(days=3)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    planned = await regional.alice.plan_teleconsultation(
        TeleconsultationPlan(
            start=start,
            channels=["email", "sms"],
            duration_minutes=20,
            online_payment=Payment(25.0),
            patient_id=patient.id,
            patient_email="lea.blanc@example.org",
            patient_mobile="0611223344",
            participants=[ParticipantInput(name="Interprète", email="interprete@example.org")],
            motive="Suivi",
        )
    )
    assert planned.status == "planned"
    assert planned.duration_minutes == 20
    assert planned.end - planned.start == dt.timedelta(minutes=20)
    assert planned.online_payment == Payment(25.0, "EUR")
    assert planned.patient.patient_id == patient.id
    assert [p.name for p in planned.participants] == ["Interprète"]
    assert planned.join_url
    assert await regional.alice.get_teleconsultation(planned.id) == planned
    mine = await regional.alice.teleconsultations(status="planned")
    assert planned.id in {t.id for t in mine}
    day = start.date()
    assert planned.id in {t.id for t in await regional.alice.teleconsultations(day, day)}
    invitations = await regional.alice.sandbox_invitations()
    assert {i.channel for i in invitations if i.teleconsultation_id == planned.id} == {
        "email",
        "sms",
    }
    cancelled = await regional.alice.cancel_teleconsultation(planned.id, "Patiente indisponible")
    assert cancelled.status == "cancelled"
    assert cancelled.cancel_reason == "Patiente indisponible"
    with pytest.raises(RegionalError) as again:
        await regional.alice.cancel_teleconsultation(planned.id, "encore")
    assert again.value.status == 409


@pytest.mark.asyncio
async def test_teleexpertise_profile_request_answer_close_and_quota(regional: Pair) -> None:
    profile = await regional.bob.set_expert_profile(
        "Avis de cardiologie sous 72 h.", ["ECG récent", "Dernier bilan"], listed_in_directory=True
    )
    assert profile.declared
    assert profile.listed_in_directory
    assert profile.prerequisite_documents == ["ECG récent", "Dernier bilan"]
    assert await regional.bob.expert_profile() == profile
    patient = await regional.alice.create_patient(
        "Jean", "Petit", dt.date(1948, 7, 8), reason="avis", sex="male"
    )
    quota = await regional.alice.teleexpertise_quota(patient.id)
    assert (quota.limit, quota.used, quota.remaining) == (4, 0, 4)
    asked_in = dt.datetime.now(PARIS).year
    request = await regional.alice.request_teleexpertise(
        patient.id, "Faut-il adapter le traitement ?", expert_address=BOB.email
    )
    assert request.status == "requested"
    assert request.expert.mssante_address == BOB.email
    assert request.requester.mssante_address == ALICE.email
    assert request.patient.id == patient.id
    assert request.message_id
    # The rule's calendar year is Paris's: in the last hour of 31 December, the machine's UTC
    # date is still in the old year and the server already in the new one.
    assert request.year == request.created_at.astimezone(PARIS).year
    assert request.year in {asked_in, dt.datetime.now(PARIS).year}
    assert (await regional.alice.teleexpertise_quota(patient.id)).used == 1
    assert request.id in {t.id for t in await regional.bob.teleexpertises(status="requested")}
    with pytest.raises(RegionalError) as wrong_role:
        await regional.alice.answer_teleexpertise(request.id, "Je réponds à ma propre demande")
    assert wrong_role.value.status == 403
    answered = await regional.bob.answer_teleexpertise(request.id, "Oui, diminuer la dose.")
    assert answered.status == "answered"
    assert answered.answer == "Oui, diminuer la dose."
    closed = await regional.alice.close_teleexpertise(request.id, "Compte rendu : dose diminuée.")
    assert closed.status == "closed"
    assert closed.report_type_code == "85208-7"
    assert closed.closed_at is not None
    assert (await regional.alice.get_teleexpertise(request.id)).status == "closed"


@pytest.mark.asyncio
async def test_teleexpertise_yearly_limit_is_refused_in_french(regional: Pair) -> None:
    with pytest.raises(RegionalError) as not_expert:
        await regional.alice.request_teleexpertise("p", "Question", expert_address=BOB.email)
    assert not_expert.value.status == 400
    assert not_expert.value.message_fr
    await regional.bob.set_expert_profile("Avis de gériatrie.")
    patient = await regional.alice.create_patient(
        "Rose", "Vidal", dt.date(1939, 1, 2), reason="prise_en_charge", sex="female"
    )
    for n in range(4):
        await regional.alice.request_teleexpertise(
            patient.id, f"Question {n}", expert_address=BOB.email
        )
    with pytest.raises(RegionalError) as caught:
        await regional.alice.request_teleexpertise(
            patient.id, "Une de trop", expert_address=BOB.email
        )
    assert caught.value.status == 409
    assert caught.value.code == "teleexpertise_limit"
    assert "4 téléexpertises" in caught.value.message_fr
    assert (await regional.alice.teleexpertise_quota(patient.id)).remaining == 0


@pytest.mark.asyncio
async def test_resource_teams_and_templates(regional: Pair) -> None:
    team = await regional.alice.create_resource_team(
        "Équipe mobile de gériatrie", "Évaluations gériatriques à domicile.", ALICE.email,
        prerequisites="Dernier courrier du médecin traitant.",
    )  # fmt: skip
    assert team.id
    assert team.templates == []
    assert team.contact_address == ALICE.email
    content = b"%PDF-1.4 formulaire de demande\n"
    template = await regional.alice.upload_template(
        team.id, "Demande d'évaluation.pdf", content, "application/pdf"
    )
    assert template.file_name == "Demande d'évaluation.pdf"
    assert template.size == len(content)
    fetched = await regional.bob.get_resource_team(team.id)
    assert [t.id for t in fetched.templates] == [template.id]
    assert team.id in {t.id for t in await regional.bob.resource_teams("gériatrie")}
    assert team.id not in {t.id for t in await regional.bob.resource_teams("cardiopédiatrie")}
    downloaded = await regional.bob.download_template(team.id, template.id)
    assert downloaded.content == content
    assert downloaded.file_name == "Demande d'évaluation.pdf"
    assert downloaded.content_type.startswith("application/pdf")
    with pytest.raises(RegionalError) as not_mine:
        await regional.bob.upload_template(team.id, "x.pdf", content, "application/pdf")
    assert not_mine.value.status == 403


@pytest.mark.asyncio
async def test_portal_codes(regional: Pair) -> None:
    code = await regional.alice.portal_code("telemedecine")
    assert code.code
    assert code.expires_in > 0
    assert "/telemedecine" in code.url
    assert code.code in code.url
    patient_code = await regional.alice.portal_code(ins=INS)
    assert patient_code.url.split("?")[0].endswith(f"/mespatients/patients/{INS}")
    with pytest.raises(RegionalError) as bad:
        await regional.alice.portal_code(ins="123")
    assert bad.value.status == 400
    assert "INS" in bad.value.message_fr


@pytest.mark.asyncio
async def test_without_login_the_server_message_is_kept(server: ServerThread) -> None:
    async with httpx.AsyncClient() as http:
        client = RegionalClient(http, server.base_url + "/regional/v1")
        with pytest.raises(RegionalError) as caught:
            await client.file_active()
    assert caught.value.status == 401
    assert "connectez-vous" in caught.value.message_fr


@pytest.mark.asyncio
async def test_unreachable_regional_services() -> None:
    async with httpx.AsyncClient(timeout=2) as http:
        client = RegionalClient(http, "http://127.0.0.1:9/regional/v1")
        with pytest.raises(RegionalUnreachable) as caught:
            await client.expert_profile()
    assert "injoignables" in caught.value.message_fr


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=10),
        lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=10), c, max_size=4),
        max_leaves=20,
    )
)
def test_unexpected_shapes_are_shape_errors_only(body: Any) -> None:
    for reader in (_teleexpertise, _access_log):
        try:
            reader(_Obj(body))
        except _Shape:
            continue
        raise AssertionError(f"a random body cannot be read by {reader.__name__}")
