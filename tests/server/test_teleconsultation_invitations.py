"""Teleconsultation invitations are delivered, not only recorded (issue 13 §1): professionals
on the service find a message in their MonSisra mailbox with their join link and an iCalendar
part (parsed here with the `icalendar` library: METHOD, UID, SEQUENCE, DTSTART, ATTENDEE on plan,
edit and cancel); outside addresses go through the outbound path (listed at
/sandbox/sent-outside, relayed to a real SMTP server on loopback when one is configured); SMS go
through the one notifier (listed at /sandbox/sms)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import icalendar

from server.regional import ical
from server.testing import ServerThread
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
from tests.server.smtp_support import SmtpServer, smtp_fixture  # noqa: F401
from tests.server.test_regional import plan

PATIENT = "elodie@patient.example"
DAUGHTER = "fille@famille.example"


def inbox(server: ServerThread, user: User) -> list[EmailMessage]:
    """The messages of `user`'s inbox as they were received, newest last."""
    jmap = Jmap(server.base_url, get_token(server.base_url, user))
    ids = jmap.call(
        "Email/query",
        filter={"inMailbox": jmap.mailbox("inbox")},
        sort=[{"property": "receivedAt", "isAscending": True}],
    )["ids"]
    found = jmap.call("Email/get", ids=ids, properties=["blobId"])["list"]
    messages = []
    for item in found:
        url = f"{server.base_url}/jmap/download/{jmap.account_id}/{item['blobId']}/m.eml"
        raw = httpx.get(url, params={"type": "message/rfc822"}, headers=jmap.headers).content
        messages.append(email.message_from_bytes(raw, policy=email.policy.default))
    return messages  # type: ignore[return-value]


def calendar_of(message: EmailMessage) -> tuple[str, icalendar.Calendar]:
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    raw = part.get_payload(decode=True)
    assert isinstance(raw, bytes)
    assert b"\r\n" in raw
    assert b"\n" not in raw.replace(b"\r\n", b"")  # CRLF only
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    return part.get_param("method"), icalendar.Calendar.from_ical(raw)


def event_of(cal: icalendar.Calendar) -> Any:
    [event] = cal.walk("VEVENT")
    return event


def attendees(event: Any) -> set[str]:
    value = event.get("ATTENDEE")
    values = value if isinstance(value, list) else [value]
    return {str(v).removeprefix("mailto:") for v in values}


def text_of(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def planned_by_carol_for_alice(
    server: ServerThread, alice: httpx.Client, carol: httpx.Client
) -> Any:
    alice_id, bob_id = account_id(server, ALICE), account_id(server, BOB)
    assert alice.post("/delegates", json={"address": CAROL.email}).status_code == 201
    start = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).replace(microsecond=0)
    r = plan(
        carol,
        start=start.isoformat(),
        teleconsultantAccountId=alice_id,
        patientName="Élodie Lefèvre",
        patientEmail=PATIENT,
        patientMobile="07 11 22 33 44",
        channels=["email", "sms"],
        motive="Suivi, plaie; pansement, \\ contrôle",
        onlinePayment={"amount": 25},
        participants=[{"accountId": bob_id}, {"name": "Sa fille", "email": DAUGHTER}],
    )
    assert r.status_code == 201, r.text
    return r.json(), start


def test_professionals_get_a_mailbox_message_with_an_icalendar_request_then_update_and_cancel(
    trio: Any,
) -> None:
    server, alice, bob, carol = trio
    tc, start = planned_by_carol_for_alice(server, alice, carol)
    uid = f"{tc['id']}@sisra-demo.mssante.fr"
    [to_alice] = inbox(server, ALICE)
    [to_bob] = inbox(server, BOB)
    assert inbox(server, CAROL) == []  # who planned is not invited
    paris = start.astimezone(ZoneInfo("Europe/Paris"))
    for message, api in ((to_alice, alice), (to_bob, bob)):
        own_link = api.get(f"/teleconsultations/{tc['id']}").json()["joinUrl"]
        assert own_link in text_of(message)
        assert f"{paris:%d/%m/%Y} à {paris:%H:%M} (heure de Paris)" in text_of(message)
        method, cal = calendar_of(message)
        assert method == "REQUEST"
        assert str(cal["METHOD"]) == "REQUEST"
        event = event_of(cal)
        assert str(event["UID"]) == uid
        assert int(event["SEQUENCE"]) == 0
        assert event.decoded("DTSTART") == start
        assert event.decoded("DTEND") == start + dt.timedelta(minutes=30)
        assert str(event["URL"]) == own_link
        assert str(event["DESCRIPTION"]) == "Suivi, plaie; pansement, \\ contrôle"
        assert str(event["ORGANIZER"]) == f"mailto:{ALICE.email}"
        assert attendees(event) == {PATIENT, BOB.email, DAUGHTER}
    assert to_alice["From"].addresses[0].addr_spec == CAROL.email

    # Edit: the same UID with the next SEQUENCE; the daughter is taken off and told so.
    later = start + dt.timedelta(hours=3)
    edited = carol.patch(
        f"/teleconsultations/{tc['id']}",
        json={
            "start": later.isoformat(),
            "participants": [{"accountId": tc["participants"][0]["accountId"]}],
        },
    )
    assert edited.status_code == 200, edited.text
    update = inbox(server, BOB)[-1]
    method, cal = calendar_of(update)
    event = event_of(cal)
    assert (method, str(event["UID"]), int(event["SEQUENCE"])) == ("REQUEST", uid, 1)
    assert event.decoded("DTSTART") == later
    assert attendees(event) == {PATIENT, BOB.email}
    assert update["Subject"].startswith("Modifiée : Téléconsultation avec Dr Alice Martin")

    # Cancel: METHOD:CANCEL, STATUS:CANCELLED, a higher SEQUENCE still.
    assert (
        carol.post(
            f"/teleconsultations/{tc['id']}/cancel", json={"reason": "Patiente hospitalisée"}
        ).status_code
        == 200
    )
    for user in (ALICE, BOB):
        cancel = inbox(server, user)[-1]
        method, cal = calendar_of(cancel)
        event = event_of(cal)
        assert (method, str(cal["METHOD"]), str(event["STATUS"])) == (
            "CANCEL",
            "CANCEL",
            "CANCELLED",
        )
        assert (str(event["UID"]), int(event["SEQUENCE"])) == (uid, 2)
        assert "Patiente hospitalisée" in text_of(cancel)


def test_outside_mail_and_sms_are_recorded_and_the_patient_is_asked_to_pay(trio: Any) -> None:
    server, alice, _, carol = trio
    tc, _ = planned_by_carol_for_alice(server, alice, carol)
    carol_jmap = httpx.Client(
        base_url=server.base_url,
        headers={"Authorization": f"Bearer {get_token(server.base_url, CAROL)}"},
    )
    with carol_jmap:
        outside = carol_jmap.get("/sandbox/sent-outside").json()["list"]
        sms = carol_jmap.get("/sandbox/sms").json()["list"]
        by_recipient = {m["recipient"]: m for m in outside}
        assert set(by_recipient) == {PATIENT, DAUGHTER}  # Alice and Bob got theirs inside
        patient_mail = by_recipient[PATIENT]["text"]
        assert tc["patient"]["joinUrl"] in patient_mail
        assert "Un paiement en ligne de 25,00 € vous est demandé" in patient_mail
        assert "paiement" not in by_recipient[DAUGHTER]["text"]
        assert [(s["recipient"], tc["patient"]["joinUrl"] in s["text"]) for s in sms] == [
            ("+33711223344", True)
        ]
    # Nobody else sees what Carol sent.
    alice_view = httpx.get(
        server.base_url + "/sandbox/sms",
        headers={"Authorization": f"Bearer {get_token(server.base_url, ALICE)}"},
    )
    assert alice_view.json() == {"list": []}


def test_outside_mail_is_relayed_through_the_configured_smtp_relay(
    server_factory: ServerFactory, regional_api: RegionalApi, smtp: SmtpServer
) -> None:
    server = server_factory(users=(ALICE, BOB), smtp_relay=smtp.relay)
    alice = regional_api(server, ALICE)
    bob_id = account_id(server, BOB)
    r = plan(
        alice,
        patientEmail=PATIENT,
        participants=[{"accountId": bob_id}],
        onlinePayment={"amount": 12.5},
    )
    assert r.status_code == 201, r.text
    # Only the outside address is relayed; Bob's invitation stayed in the sandbox.
    [received] = smtp.received
    assert received.recipients == [PATIENT]
    # Sent from the service's own address: bounces go to it, not to the null sender.
    assert received.sender == "ne-pas-repondre@sisra-demo.mssante.fr"
    message = email.message_from_bytes(received.data, policy=email.policy.default)
    assert r.json()["patient"]["joinUrl"] in text_of(message)  # type: ignore[arg-type]
    assert "12,50 €" in text_of(message)  # type: ignore[arg-type]
    method, cal = calendar_of(message)  # type: ignore[arg-type]
    assert method == "REQUEST"
    assert str(event_of(cal)["UID"]) == f"{r.json()['id']}@sisra-demo.mssante.fr"
    assert len(inbox(server, BOB)) == 1


def test_long_lines_are_folded_at_75_octets_without_cutting_a_character() -> None:
    line = "DESCRIPTION:" + "Ça a été évoqué à l'hôpital — " * 10
    folded = ical.fold(line)
    pieces = folded.encode().split(b"\r\n")
    assert len(pieces) > 3
    assert all(len(p) <= 75 for p in pieces)
    assert all(p.startswith(b" ") for p in pieces[1:])
    for piece in pieces:
        piece.decode()  # a UTF-8 character is never cut in two
    assert folded.replace("\r\n ", "") == line
