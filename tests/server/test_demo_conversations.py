"""The demo's conversations: what the GP sees over JMAP, and the planner's guarantees.

The first tests talk JMAP to a demo sandbox (`demo_server`); the planner tests run the pure
planning function on a small synthetic world (a unit test: faster, and each property is checked
on every message rather than on a sample).
"""

from __future__ import annotations

import email
import email.policy
import io
import random
import zipfile
from collections import Counter
from datetime import UTC, datetime
from email.message import EmailMessage

import httpx
import pytest

from server.demo.conversations import PlannedMessage, plan_conversations, render
from server.demo.names import mss_address, person_name
from server.demo.users import DEMO_USERS
from server.demo.world import DemoAccount, DemoPatient, DemoPerson, DemoWorld
from server.testing import ServerThread

from .conftest import User, get_token
from .jmap_support import Jmap

ANCHOR = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
GP = next(u for u in DEMO_USERS if u.key == "gp")


def _gp_jmap(server: ServerThread) -> Jmap:
    token = get_token(server.base_url, User(GP.login, GP.password, "", ""))
    return Jmap(server.base_url, token)


def _download(jmap: Jmap, blob_id: str) -> bytes:
    r = httpx.get(
        f"{jmap.base_url}/jmap/download/{jmap.account_id}/{blob_id}/m.eml?type=message/rfc822",
        headers=jmap.headers,
    )
    assert r.status_code == 200
    return r.content


def test_gp_inbox_has_months_of_mail_with_fifteen_recent_unread(demo_server: ServerThread) -> None:
    jmap = _gp_jmap(demo_server)
    inbox = jmap.mailbox("inbox")
    sent = jmap.mailbox("sent")
    total = 0
    for mailbox in (inbox, sent):
        total += len(jmap.call("Email/query", filter={"inMailbox": mailbox}, limit=1000)["ids"])
    assert 400 <= total <= 650
    unread = jmap.call(
        "Email/query", filter={"inMailbox": inbox, "notKeyword": "$seen"}, limit=1000
    )["ids"]
    # 15 of ours; the regional seed may add a few téléexpertise messages of its own.
    assert 15 <= len(unread) <= 25
    newest = jmap.call(
        "Email/query",
        filter={"inMailbox": inbox},
        sort=[{"property": "receivedAt", "isAscending": False}],
        limit=len(unread) + 10,
    )["ids"]
    assert set(unread) <= set(newest)
    drafts = jmap.call("Email/query", filter={"inMailbox": jmap.mailbox("drafts")})["ids"]
    [draft] = jmap.call("Email/get", ids=drafts, properties=["keywords"])["list"]
    assert draft["keywords"].get("$draft") is True
    assert jmap.call("Email/query", filter={"inMailbox": jmap.mailbox("archive")})["ids"]
    assert jmap.call("Email/query", filter={"inMailbox": jmap.mailbox("trash")})["ids"]


def test_a_report_carries_typed_documents_and_an_xdm_package(demo_server: ServerThread) -> None:
    jmap = _gp_jmap(demo_server)
    ids = jmap.call("Email/query", filter={"text": "compte rendu", "hasAttachment": True})["ids"]
    emails = jmap.call("Email/get", ids=ids[:40], properties=["blobId", "attachments"])["list"]
    with_xdm = [e for e in emails if any(a["name"] == "IHE_XDM.ZIP" for a in e["attachments"])]
    assert with_xdm
    raw = _download(jmap, with_xdm[0]["blobId"])
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    parts = list(message.iter_attachments())
    pdfs = [p for p in parts if p.get_content_type() == "application/pdf"]
    assert pdfs
    assert all(p["Content-Description"] for p in pdfs)
    [xdm] = [p for p in parts if p.get_filename() == "IHE_XDM.ZIP"]
    archive = zipfile.ZipFile(io.BytesIO(xdm.get_content()))
    members = archive.namelist()
    assert "IHE_XDM/SUBSET01/METADATA.XML" in members
    metadata = archive.read("IHE_XDM/SUBSET01/METADATA.XML").decode()
    assert "&amp;1.2.250.1.213.1.4.1" in metadata  # the patient id under an INS (test) OID
    for pdf in pdfs:
        assert pdf.get_content() in [archive.read(m) for m in members]


def test_replies_share_the_thread_of_what_they_answer(demo_server: ServerThread) -> None:
    jmap = _gp_jmap(demo_server)
    ids = jmap.call("Email/query", filter={"subject": "RE:"}, limit=50)["ids"]
    emails = jmap.call("Email/get", ids=ids, properties=["threadId", "subject"])["list"]
    threads = jmap.call("Thread/get", ids=list({e["threadId"] for e in emails}))["list"]
    assert threads
    assert all(len(t["emailIds"]) >= 2 for t in threads)
    assert max(len(t["emailIds"]) for t in threads) <= 12


# --- the planner on a synthetic world ---------------------------------------------------------


def _world(seed: int = 1) -> DemoWorld:
    rng = random.Random(seed)
    world = DemoWorld(seed=seed)
    for spec in DEMO_USERS:
        email_address = mss_address(spec.given, spec.family, "sisra-demo.mssante.fr")
        world.accounts[spec.key] = DemoAccount(spec, f"a-{spec.key}", email_address)
    specialties = ["SM04", "SM15", "SM41", "SM16", "SM44", "SM03", "SM54", "SM18", None]
    for i in range(40):
        _, given, family = person_name(rng)
        specialty = specialties[i % len(specialties)]
        profession = "10" if specialty else "60"
        world.correspondents.append(
            DemoPerson(
                f"p{i}",
                f"1000000{i:04d}",
                "Dr" if specialty else "Mme",
                given,
                family,
                profession,
                specialty,
                mss_address(given, family, "ch-exemple.mssante.fr"),
                f"o{i}",
                "Hôpital de la Croix-Rousse",
                "Lyon",
                "69004",
                "69384",
            )
        )
    for i in range(60):
        sex, given, family = person_name(rng)
        world.patients.append(
            DemoPatient(
                f"pat{i}",
                f"{1 if sex == 'male' else 2}{rng.randint(10**11, 10**12 - 1)}00",
                "1.2.250.1.213.1.4.10",
                given,
                family,
                f"{rng.randint(1935, 1995)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                sex,
            )
        )
    return world


@pytest.fixture(scope="module")
def planned() -> list[PlannedMessage]:
    return plan_conversations(_world(), random.Random(7), ANCHOR)


def _gp_messages(messages: list[PlannedMessage]) -> list[PlannedMessage]:
    return [m for m in messages if any(d.account_key == "gp" for d in m.deliveries)]


def test_same_seed_gives_the_same_subjects_in_the_same_order(
    planned: list[PlannedMessage],
) -> None:
    again = plan_conversations(_world(), random.Random(7), ANCHOR)
    assert [m.subject for m in again] == [m.subject for m in planned]
    other = plan_conversations(_world(), random.Random(8), ANCHOR)
    assert [m.subject for m in other] != [m.subject for m in planned]


def test_dates_span_six_months_and_never_pass_the_anchor(planned: list[PlannedMessage]) -> None:
    dates = [m.at for m in planned]
    assert max(dates) <= ANCHOR
    assert (ANCHOR - min(dates)).days >= 150
    assert (ANCHOR - max(dates)).days <= 2


def test_threads_chain_their_ids_and_subjects(planned: list[PlannedMessage]) -> None:
    by_id = {m.message_id: m for m in planned}
    assert len(by_id) == len(planned)
    lengths = Counter[str]()
    for message in planned:
        root = message.references[0] if message.references else message.message_id
        lengths[root] += 1
        if message.in_reply_to is None:
            assert not message.subject.startswith(("RE: ", "TR: "))
            continue
        parent = by_id[message.in_reply_to]
        assert message.references[-1] == parent.message_id
        assert message.subject.startswith(("RE: ", "TR: "))
        assert message.at > parent.at
    assert 12 in lengths.values()
    assert max(n for n in lengths.values() if n != 12) <= 6


def test_gp_has_400_to_600_messages_and_sent_copies_are_seen(
    planned: list[PlannedMessage],
) -> None:
    assert 400 <= len(_gp_messages(planned)) <= 620
    deliveries = [d for m in planned for d in m.deliveries]
    assert all("$seen" in d.keywords for d in deliveries if d.mailbox_role == "sent")
    gp_inbox = [d for d in deliveries if d.account_key == "gp" and d.mailbox_role == "inbox"]
    assert sum("$seen" not in d.keywords for d in gp_inbox) == 15
    assert 3 <= sum("$flagged" in d.keywords for d in gp_inbox) <= 20
    roles = Counter(d.mailbox_role for d in deliveries if d.account_key == "gp")
    assert roles["drafts"] == 1
    assert 1 <= roles["trash"] <= 2
    assert roles["archive"] >= 3


def test_mail_between_accounts_has_a_sent_and_an_inbox_copy(
    planned: list[PlannedMessage],
) -> None:
    internal = [m for m in planned if m.sender.account_key and any(p.account_key for p in m.to)]
    assert internal
    for message in internal:
        places = {(d.account_key, d.mailbox_role) for d in message.deliveries}
        assert (message.sender.account_key, "sent") in places
        for party in message.to:
            if party.account_key:
                assert any(d.account_key == party.account_key for d in message.deliveries)
    for key in ("cardio", "dermato", "pharma", "nurse", "secretary"):
        inbox = [
            m
            for m in planned
            if any(d.account_key == key and d.mailbox_role == "inbox" for d in m.deliveries)
        ]
        outsiders = [m for m in inbox if m.sender.account_key is None]
        assert len(outsiders) >= 15, key


def _parse(message: PlannedMessage) -> EmailMessage:
    parsed = email.message_from_bytes(render(message), policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_rendered_messages_parse_back_with_their_headers(planned: list[PlannedMessage]) -> None:
    for message in planned:
        parsed = _parse(message)
        assert not parsed.defects
        assert parsed["Subject"] == message.subject  # long accented subjects keep their spaces
        assert parsed["Message-ID"] == message.message_id
        assert (parsed["In-Reply-To"] or None) == message.in_reply_to
        assert parsed["From"].addresses[0].addr_spec == message.sender.email
        names = [a.get_filename() for a in parsed.iter_attachments()]
        if message.with_xdm:
            assert names[-1] == "IHE_XDM.ZIP"
        for part in parsed.iter_attachments():
            assert part["Content-Description"]


def test_most_patient_messages_carry_documents(planned: list[PlannedMessage]) -> None:
    about_patient = [m for m in _gp_messages(planned) if m.patient is not None]
    with_docs = [m for m in about_patient if m.attachments]
    assert len(with_docs) > len(about_patient) / 2
    labels = Counter(a.label for m in with_docs for a in m.attachments)
    for label in (
        "Lettre d'adressage",
        "Compte rendu de consultation",
        "Ordonnance",
        "CR d'examens biologiques",
        "CR d'imagerie médicale",
        "Lettre de liaison de sortie",
        "Prescription de soins",
    ):
        assert labels[label] > 0, label
    assert any(a.mime_type == "image/png" for m in with_docs for a in m.attachments)


def test_edge_cases_of_a_real_inbox_are_there(planned: list[PlannedMessage]) -> None:
    html = [m for m in planned if m.html]
    assert any(m.html_only for m in html)
    assert any(not m.html_only for m in html)
    alternative = _parse(next(m for m in html if not m.html_only))
    assert alternative.get_body(("html",)) is not None
    assert alternative.get_body(("plain",))
    assert all("<script>" in (m.html or "") and "<img src=" in (m.html or "") for m in html)
    odd = next(
        m
        for m in planned
        if any(a.filename == "compte rendu n°2 (version finale) été.pdf" for a in m.attachments)
    )
    parsed = _parse(odd)
    names = [p.get_filename() for p in parsed.iter_attachments()]
    assert "compte rendu n°2 (version finale) été.pdf" in names
    raw_headers = render(odd).split(b"\r\n\r\n", 1)[0]
    assert raw_headers.isascii()  # non-ASCII header text travels encoded (RFC 2047)
    assert any(m.patient is None and m.sender.account_key is None for m in planned)


def test_scale_adds_older_messages_quickly() -> None:
    from server.demo.conversations import Planner

    planner = Planner(_world(), random.Random(3), ANCHOR)
    extra = list(planner.scale_messages(300))
    assert len(extra) == 300
    assert all((ANCHOR - m.at).days >= 180 for m in extra)
    with_pdf = sum(bool(m.attachments) for m in extra)
    assert 50 <= with_pdf <= 140
    assert len({m.subject for m in extra}) > 100
