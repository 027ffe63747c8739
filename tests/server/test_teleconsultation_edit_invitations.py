"""Who is told what when a teleconsultation is edited (issue 13 §1), read as they receive it:
professionals in their MonSisra mailbox, outside addresses through the SMTP relay (a real SMTP
server on loopback), each iCalendar part parsed with the `icalendar` library. Those kept get the
update (REQUEST, same UID, higher SEQUENCE), those taken off a CANCEL for them alone, those added
their first invitation (REQUEST); the relay sends from the service's address."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from email.message import EmailMessage
from typing import Any

from server.testing import ServerThread
from tests.server.conftest import ALICE, BOB, RegionalApi, ServerFactory
from tests.server.smtp_support import SmtpServer, smtp_fixture  # noqa: F401
from tests.server.test_regional import CAROL, plan
from tests.server.test_teleconsultation_invitations import (
    PATIENT,
    attendees,
    calendar_of,
    event_of,
    inbox,
    text_of,
)

DAUGHTER = "fille@famille.example"
SON = "fils@famille.example"


def relayed_to(smtp: SmtpServer, address: str) -> list[EmailMessage]:
    found = []
    for received in smtp.received:
        if address in received.recipients:
            parsed = email.message_from_bytes(received.data, policy=email.policy.default)
            found.append(parsed)
    return found  # type: ignore[return-value]


def request(message: EmailMessage, sequence: int) -> Any:
    """The message's VEVENT, checked to be a REQUEST with this SEQUENCE."""
    method, cal = calendar_of(message)
    event = event_of(cal)
    assert (method, str(cal["METHOD"]), int(event["SEQUENCE"])) == ("REQUEST", "REQUEST", sequence)
    return event


def test_kept_participants_get_the_update_removed_a_cancel_and_added_an_invitation(
    server_factory: ServerFactory, regional_api: RegionalApi, smtp: SmtpServer
) -> None:
    server: ServerThread = server_factory(users=(ALICE, BOB, CAROL), smtp_relay=smtp.relay)
    alice = regional_api(server, ALICE)
    bob_id = server.sandbox.accounts.by_login(BOB.login).id  # type: ignore[union-attr]
    carol_id = server.sandbox.accounts.by_login(CAROL.login).id  # type: ignore[union-attr]
    start = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).replace(microsecond=0)
    tc = plan(
        alice,
        start=start.isoformat(),
        patientEmail=PATIENT,
        participants=[{"accountId": bob_id}, {"name": "Sa fille", "email": DAUGHTER}],
    ).json()
    uid = f"{tc['id']}@sisra-demo.mssante.fr"
    assert len(inbox(server, BOB)) == 1
    assert len(relayed_to(smtp, DAUGHTER)) == 1

    # Bob is taken off, the daughter stays, Carol and the son are added; an hour later.
    later = start + dt.timedelta(hours=1)
    r = alice.patch(
        f"/teleconsultations/{tc['id']}",
        json={
            "start": later.isoformat(),
            "participants": [
                {"name": "Sa fille", "email": DAUGHTER},
                {"accountId": carol_id},
                {"name": "Son fils", "email": SON},
            ],
        },
    )
    assert r.status_code == 200, r.text
    edited = r.json()
    everyone = {PATIENT, DAUGHTER, CAROL.email, SON}

    # Kept: the patient and the daughter get the update, same UID, the next SEQUENCE.
    for message in (relayed_to(smtp, PATIENT)[-1], relayed_to(smtp, DAUGHTER)[-1]):
        event = request(message, 1)
        assert str(event["UID"]) == uid
        assert event.decoded("DTSTART") == later
        assert attendees(event) == everyone
        assert message["Subject"].startswith("Modifiée : Téléconsultation avec Dr Alice Martin")
    assert len(relayed_to(smtp, DAUGHTER)) == 2

    # Taken off: Bob gets a CANCEL naming him alone, and no update.
    to_bob = inbox(server, BOB)
    assert len(to_bob) == 2
    method, cal = calendar_of(to_bob[-1])
    event = event_of(cal)
    assert (method, str(event["STATUS"]), str(event["UID"])) == ("CANCEL", "CANCELLED", uid)
    assert int(event["SEQUENCE"]) == 1
    assert attendees(event) == {BOB.email}
    assert "vous ne participez plus" in text_of(to_bob[-1])

    # Added: Carol (in her mailbox) and the son (outside) get their first invitation.
    [to_carol] = inbox(server, CAROL)
    [to_son] = relayed_to(smtp, SON)
    for message in (to_carol, to_son):
        event = request(message, 1)
        assert str(event["UID"]) == uid
        assert attendees(event) == everyone
        assert not message["Subject"].startswith("Modifiée")
        assert "vous propose une téléconsultation" in text_of(message)
    carol_link = regional_api(server, CAROL).get(f"/teleconsultations/{tc['id']}").json()["joinUrl"]
    assert str(event_of(calendar_of(to_carol)[1])["URL"]) == carol_link
    assert carol_link in text_of(to_carol)
    assert [p["name"] for p in edited["participants"]] == ["Sa fille", CAROL.name, "Son fils"]
    # Every relayed message left from the service's address.
    assert {m.sender for m in smtp.received} == {"ne-pas-repondre@sisra-demo.mssante.fr"}


def test_the_relays_envelope_sender_is_configurable(
    server_factory: ServerFactory, regional_api: RegionalApi, smtp: SmtpServer
) -> None:
    server = server_factory(
        users=(ALICE,), smtp_relay=smtp.relay, smtp_sender="rebonds@sisra.example"
    )
    assert plan(regional_api(server, ALICE), patientEmail=PATIENT).status_code == 201
    [received] = smtp.received
    assert (received.sender, received.recipients) == ("rebonds@sisra.example", [PATIENT])
