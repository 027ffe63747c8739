"""The iCalendar invitations of teleconsultations (RFC 5545 objects, iTIP methods RFC 5546 sent
by mail as iMIP RFC 6047): calendar software (and the app) file the teleconsultation, update it
when it changes (same UID, higher SEQUENCE) and remove it when it is cancelled.

Written by hand rather than with a library: the sandbox needs one small VEVENT, and the
tests parse it with a real iCalendar library (`icalendar`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

PRODID = "-//SISRA//MonSisra bureau sandbox//FR"
LINE_OCTETS = 75


@dataclass(frozen=True)
class Person:
    name: str
    email: str


@dataclass(frozen=True)
class Event:
    uid: str
    sequence: int
    start: dt.datetime
    end: dt.datetime
    summary: str
    description: str
    url: str
    organizer: Person
    attendees: Sequence[Person]
    cancelled: bool = False


def calendar(event: Event, stamp: dt.datetime) -> str:
    """The VCALENDAR (METHOD:REQUEST, or CANCEL once cancelled), CRLF-terminated and folded."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        f"METHOD:{'CANCEL' if event.cancelled else 'REQUEST'}",
        "CALSCALE:GREGORIAN",
        "BEGIN:VEVENT",
        f"UID:{_text(event.uid)}",
        f"SEQUENCE:{event.sequence}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{_utc(event.start)}",
        f"DTEND:{_utc(event.end)}",
        f"SUMMARY:{_text(event.summary)}",
        f"DESCRIPTION:{_text(event.description)}",
        f"LOCATION:{_text(event.url)}",
        f"URL:{event.url}",
        f"ORGANIZER;CN={_param(event.organizer.name)}:mailto:{event.organizer.email}",
        *(
            f"ATTENDEE;CN={_param(a.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;"
            f"RSVP=FALSE:mailto:{a.email}"
            for a in event.attendees
        ),
        f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)


def fold(line: str) -> str:
    """RFC 5545 §3.1: lines of at most 75 octets, continued after CRLF and a space; a UTF-8
    character is never cut."""
    pieces: list[str] = []
    current = ""
    room = LINE_OCTETS
    for char in line:
        size = len(char.encode())
        if len(current.encode()) + size > room:
            pieces.append(current)
            current = ""
            room = LINE_OCTETS - 1  # the continuation's leading space counts
        current += char
    pieces.append(current)
    return "\r\n ".join(pieces)


def _text(value: str) -> str:
    """RFC 5545 §3.3.11 TEXT: backslash, semicolon, comma and newlines escaped."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _param(value: str) -> str:
    """A parameter value (§3.2): quoted, without the double quotes and controls it cannot hold."""
    cleaned = "".join(c for c in value if c != '"' and (c >= " " or c == "\t"))
    return f'"{cleaned}"'


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
