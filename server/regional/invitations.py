"""Telling the participants of a teleconsultation, through the sandbox's own delivery paths:
professionals on the service get a message in their MonSisra mailbox, outside addresses (the
patient, a family member) get the same e-mail through the outbound path (server/outbound.py),
and mobiles an SMS through the one notifier. Each e-mail carries the participant's own join
link and an iCalendar part (server/regional/ical.py): REQUEST when planned or edited (same UID,
the next SEQUENCE), CANCEL when cancelled or when the participant is taken off.

Everything runs inside the write transaction that changed the teleconsultation: a refused change
tells no one, and each message sent is also listed at GET /sandbox/invitations."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import TYPE_CHECKING

from server.regional import ical
from server.regional.common import new_id, now, to_datetime
from server.urls import PORTAL_PATH

if TYPE_CHECKING:
    from server.context import Sandbox


def join_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}{PORTAL_PATH}/telemedecine/join/{token}"


def send(
    sandbox: Sandbox,
    conn: sqlite3.Connection,
    tc_id: str,
    base_url: str,
    kind: str,
    only: list[sqlite3.Row] | None = None,
) -> None:
    """`kind`: invitation, update or cancellation; `only`: the participants to tell (after an
    edit: those taken off are told of the cancellation, those added get an invitation, the
    others the update), else everyone; never the planner."""
    tc = conn.execute("SELECT * FROM regional_teleconsultations WHERE id = ?", (tc_id,)).fetchone()
    parts = conn.execute(
        "SELECT * FROM regional_tc_participants WHERE teleconsultation_id = ? ORDER BY position",
        (tc_id,),
    ).fetchall()
    lead = next(p for p in parts if p["role"] == "teleconsultant")
    planner = sandbox.accounts.by_id(tc["planner_account_id"])
    sender = (
        Address(planner.display_name, addr_spec=planner.email)
        if planner is not None
        else Address(lead["name"], addr_spec=lead["email"])
    )
    attendees = [p for p in parts if p["role"] != "teleconsultant" and p["email"]]
    for p in only if only is not None else parts:
        if p["role"] == "teleconsultant" and tc["planner_account_id"] == p["account_id"]:
            continue  # who planned it needs no invitation
        if p["role"] == "patient":
            channels: list[str] = json.loads(tc["channels"])
        else:
            channels = [c for c, v in (("email", p["email"]), ("sms", p["mobile"])) if v]
        removed = only is not None and kind == "cancellation"  # taken off by an edit
        url = join_url(base_url, p["join_token"])
        subject, text = _wording(tc, lead["name"], p, kind, removed, url)
        at = now()
        for channel in channels:
            recipient = p["email"] if channel == "email" else p["mobile"]
            if not recipient:
                continue
            if channel == "email":
                cancelled = kind == "cancellation"
                event = _event(
                    sandbox, tc, lead, [p] if removed else attendees, base_url, p, cancelled
                )
                calendar = ical.calendar(event, to_datetime(at))
                message = _message(
                    sender, p, subject, text, calendar, cancelled, sandbox.config.mail_domain
                )
                sandbox.mail.deliver(
                    message.as_bytes(), [recipient], sender_account_id=tc["planner_account_id"]
                )
            else:
                sandbox.sms.send(conn, tc["planner_account_id"], recipient, text, at)
            conn.execute(
                "INSERT INTO regional_invitations (id, teleconsultation_id, kind, channel, "
                "recipient, recipient_name, subject, text, sent_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    new_id("inv"),
                    tc_id,
                    kind,
                    channel,
                    recipient,
                    p["name"],
                    subject if channel == "email" else None,
                    text,
                    at,
                ),
            )


def _wording(
    tc: sqlite3.Row, lead: str, p: sqlite3.Row, kind: str, removed: bool, url: str
) -> tuple[str, str]:
    when = to_datetime(tc["start"])
    day = f"{when:%d/%m/%Y} à {when:%H:%M}"
    if kind == "cancellation":
        if removed:
            return (
                f"Téléconsultation du {day} : vous n'y participez plus",
                f"Bonjour {p['name']},\nvous ne participez plus à la téléconsultation avec "
                f"{lead} prévue le {day} (heure de Paris).",
            )
        return (
            f"Annulation de la téléconsultation du {day}",
            f"Bonjour {p['name']},\nla téléconsultation avec {lead} prévue le {day} (heure de "
            f"Paris) est annulée. Motif : {tc['cancel_reason']}",
        )
    subject = f"Téléconsultation avec {lead} le {day}"
    opening = "vous propose" if kind == "invitation" else "a modifié"
    text = (
        f"Bonjour {p['name']},\n{lead} {opening} une téléconsultation le {day} (heure de Paris). "
        f"Le moment venu, ouvrez ce lien dans votre navigateur (Chrome, Edge ou Firefox), ou "
        f"avec l'application eConsultSara sur smartphone : {url}"
    )
    if tc["payment_cents"] is not None and p["role"] == "patient":
        amount = f"{tc['payment_cents'] / 100:.2f}".replace(".", ",")
        text += (
            f"\nUn paiement en ligne de {amount} € vous est demandé : il vous sera proposé en "
            "ouvrant ce lien, avant la salle d'attente."
        )
    return (f"Modifiée : {subject}" if kind == "update" else subject), text


def _event(
    sandbox: Sandbox,
    tc: sqlite3.Row,
    lead: sqlite3.Row,
    attendees: list[sqlite3.Row],
    base_url: str,
    reader: sqlite3.Row,
    cancelled: bool,
) -> ical.Event:
    return ical.Event(
        uid=f"{tc['id']}@{sandbox.config.mail_domain}",
        sequence=tc["sequence"],
        start=dt.datetime.fromtimestamp(tc["start"], dt.UTC),
        end=dt.datetime.fromtimestamp(tc["end"], dt.UTC),
        summary=f"Téléconsultation avec {lead['name']}",
        description=tc["motive"] or "Téléconsultation",
        url=join_url(base_url, reader["join_token"]),
        organizer=ical.Person(lead["name"], lead["email"]),
        attendees=[ical.Person(a["name"], a["email"]) for a in attendees],
        cancelled=cancelled,
    )


def _message(
    sender: Address,
    p: sqlite3.Row,
    subject: str,
    text: str,
    calendar: str,
    cancelled: bool,
    domain: str,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = Address(p["name"], addr_spec=p["email"])
    message["Subject"] = subject
    message["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(text)
    # Base64 keeps the calendar's CRLF line ends as RFC 5545 wants them.
    message.add_alternative(
        calendar.encode(),
        maintype="text",
        subtype="calendar",
        params={"method": "CANCEL" if cancelled else "REQUEST", "charset": "utf-8"},
        cte="base64",
    )
    return message
