"""Hostile text, for every field that a server or another user fills, and a canary that tells
whether anything tried to read the files it names.

What Qt would do with each string if it guessed rich text: `<img src="/dev/zero">` reads until
memory runs out, `file:///etc/passwd` and a local path read a file, `//host/share` and
`\\\\host\\share` open an SMB connection on Windows, `<a href="javascript:…">` makes a link,
`<b>` and `<table>` change what is shown. Bidirectional controls make
`ordonnance<U+202E>gpj.exe` read `ordonnanceexe.jpg`. The long string is one word of 400
characters and many short ones.

`Canary` is a FIFO: a program that opens it for reading blocks until a writer comes, so a watch
process keeps trying to open it for writing without blocking (which only succeeds while a reader
has it open), counts each success and closes at once — the reader sees an empty file and goes
on, the test knows.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr
from pathlib import Path
from types import TracebackType
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from app.message.compose import OutgoingAttachment, OutgoingMessage, build_message_xdm
from app.message.patient import INS_NIA_TEST_OID, PatientIdentity
from app.store.records import Address
from server.accounts import Account
from server.directory.records import Mailbox, OrganizationRecord, PractitionerRecord, RoleRecord
from server.testing import ServerThread
from server.urls import REGIONAL_API_PATH
from tests.server.conftest import User, get_token

PARIS = ZoneInfo("Europe/Paris")

RLO, PDF_, RLI, PDI, RLM = "\u202e", "\u202c", "\u2067", "\u2069", "\u200f"
BIDI = (RLO, PDF_, RLI, PDI, RLM)
DEV_ZERO = '<img src="/dev/zero">'
MARKUP = (
    DEV_ZERO,
    '<img src="file:///etc/passwd">',
    '<img src="//host/share/x.png">',
    '<img src="\\\\host\\share\\x.png">',
    '<a href="javascript:alert(1)">lien</a>',
    "<b>gras</b>",
    "<table><tr><td>cellule</td></tr></table>",
)
# Raw markup that must never reach a rich-text widget unescaped (the start of each element).
RAW_MARKUP = ("<img", '<a href="javascript', "<b>gras", "<table")


class Canary:
    """A FIFO in a short private folder (so that its path fits a 100-character name) and the
    process that notices its readers. Use as a context manager; `opened` counts the readers.

    The watch runs in its own process: a reader blocked in Qt's C++ code may hold Python's lock,
    and a watch thread of this process could then never run to let it go."""

    def __init__(self) -> None:
        # In /tmp itself: the run's temporary folder (tests/conftest.py) has too long a path.
        self.folder = Path(tempfile.mkdtemp(prefix="cn", dir="/tmp"))
        self.path = self.folder / "f"
        self._log = self.folder / "opened"
        os.mkfifo(self.path, 0o600)
        self._log.write_text("")
        self._watch: subprocess.Popen[bytes] | None = None

    @property
    def opened(self) -> int:
        return len(self._log.read_text())

    def __enter__(self) -> Canary:
        self._watch = subprocess.Popen(
            [sys.executable, "-c", _WATCH, str(self.path), str(self._log), str(os.getpid())],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,  # not the test's pipes: they would stay open after it
            stderr=subprocess.DEVNULL,
        )
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._watch is not None:
            self._watch.terminate()
            self._watch.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)


# Opening a FIFO for writing without blocking succeeds only while a reader has it open (ENXIO
# otherwise): then one mark is logged and the FIFO closed at once, so the reader reads an empty
# file and goes on. The watch ends with the process that started it (even one that aborted).
_WATCH = """
import errno, os, shutil, sys, time
fifo, log, parent = sys.argv[1], sys.argv[2], int(sys.argv[3])
while os.getppid() == parent:
    try:
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as e:
        if e.errno != errno.ENXIO:
            raise
    else:
        os.close(fd)
        with open(log, "a") as marks:
            marks.write("x")
    time.sleep(0.005)
shutil.rmtree(os.path.dirname(fifo), ignore_errors=True)  # what the test could not clean
"""


class Hostile:
    """The strings, with the canary's path in them."""

    def __init__(self, canary: Path) -> None:
        self.canary = canary
        self.images = (
            DEV_ZERO,
            f'<img src="{canary}">',
            f'<img src="file://{canary}">',
        )

    def name(self, label: str) -> str:
        """A name (≤ 100 characters): markup reading /dev/zero and the canary, bold, and a
        right-to-left override that would turn "label" around."""
        text = f"{self.images[0]}{self.images[1]}<b>{label}</b>{RLO}{label}{PDF_}"
        assert len(text) <= 100, text
        return text

    def text(self, label: str, limit: int = 10_000) -> str:
        """A longer text (subject, question, motive): every trick, isolates, and length."""
        parts = [
            f"{RLI}{label}{PDI}",
            *self.images,
            *MARKUP[1:],
            f"ordonnance{RLO}gpj.exe{RLM}",
            "x" * 400,
            " ".join(["mot"] * 60),
        ]
        return " ".join(parts)[:limit]

    def html(self, label: str) -> str:
        """An HTML body that reaches for the canary every way HTML can: images, a style sheet, a
        background, a style, a cid: that climbs out of the message, an object."""
        canary = self.canary
        return (
            f'<html><head><link rel="stylesheet" href="{canary}"></head>'
            f'<body background="{canary}"><p>{label}</p>{"".join(self.images)}'
            f'<img src="cid:../../{canary}"><div style="background:url({canary})">fond</div>'
            f'<table background="file://{canary}"><tr><td>cellule</td></tr></table>'
            f'<object data="{canary}"></object><iframe src="{canary}"></iframe>'
            f"<p>ordonnance{RLO}gpj.exe</p></body></html>"
        )

    def file_name(self, label: str) -> str:
        """A document's file name: markup, then an override that hides the real extension."""
        return f"{self.images[1]}<b>{label}</b>{RLO}fdp.exe"


# --- The hostile world, put into a sandbox through its own API and delivery helpers ------------

PEER_LOGIN = "hostile.peer"
PEER_PASSWORD = "hostile-peer-2026"
PEER_EMAIL = "hostile.peer@sisra-demo.mssante.fr"
PATIENT_INS = "260057512345684"  # a NIA-shaped test INS with its key
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@dataclass(frozen=True)
class World:
    """What `seed` created: the other professional (hostile names) and the patient."""

    peer: Account
    practitioner_id: str
    patient_id: str
    patient: PatientIdentity


def seed(server: ServerThread, viewer: tuple[str, str], hostile: Hostile) -> World:
    """A professional whose every field is hostile (account, directory entry and organisation,
    expert profile), a patient with hostile names followed by `viewer` (login, password) and by
    that professional, téléexpertises both ways (question, answer) and teleconsultations both ways
    (free-text patient and participants, motive) — over the regional API, as each user."""
    sandbox = server.sandbox
    me_account = sandbox.accounts.by_login(viewer[0])
    assert me_account is not None
    practitioner_id = "pra-hostile"
    sandbox.directory.insert(
        [
            OrganizationRecord(
                id="org-hostile",
                name=hostile.name("Cabinet"),
                kind="cabinet",
                finess="990000001",
                insee="69123",
                city=hostile.name("Lyon"),
                postal_code="69002",
                departement="69",
                line=hostile.name("rue"),
                lat=45.7578,
                lon=4.832,
                services=[hostile.name("Service")],
                mailboxes=[Mailbox("secretariat.hostile@sisra-demo.mssante.fr", "ORG", "<b>S</b>")],
            )
        ],
        [
            PractitionerRecord(
                id=practitioner_id,
                rpps="10000000001",
                prefix=hostile.name("Dr"),
                given=hostile.name("Zorglub"),
                family="Zorglub" + hostile.name("Nom"),
                gender="male",
                email=PEER_EMAIL,
                profession="10",
                specialty="SM54",
                expert=True,
            )
        ],
        [
            RoleRecord(
                id="rol-hostile",
                practitioner_id=practitioner_id,
                organization_id="org-hostile",
                service=hostile.name("Service"),
                competences=[hostile.name("Compétence")],
            )
        ],
    )
    peer = sandbox.accounts.create(
        PEER_LOGIN,
        PEER_PASSWORD,
        hostile.name("Dr Pair"),
        PEER_EMAIL,
        rpps="10000000001",
        practitioner_id=practitioner_id,
    )
    me, peer_api = _api(server, *viewer), _api(server, PEER_LOGIN, PEER_PASSWORD)
    try:
        profile = {
            "activityDescription": hostile.text("Activité", 4000),
            "prerequisiteDocuments": [hostile.name("Document")],
            "listedInDirectory": True,
        }
        for api in (me, peer_api):
            _ok(api.put("/expert-profile", json=profile))
        patient = PatientIdentity(
            PATIENT_INS,
            INS_NIA_TEST_OID,
            hostile.name("Jeanne"),
            hostile.name("DUPONT"),
            dt.date(1948, 3, 2),
            "female",
        )
        created = _ok(
            me.post(
                "/patients",
                json={
                    "given": patient.given,
                    "family": patient.family,
                    "birthDate": "1948-03-02",
                    "sex": "female",
                    "ins": PATIENT_INS,
                    "insOid": INS_NIA_TEST_OID,
                    "city": hostile.name("Lyon"),
                    "usualFamily": hostile.name("MARTIN"),
                    "followReason": "prise_en_charge",
                },
            )
        )
        patient_id = str(created["id"])
        _ok(peer_api.put(f"/file-active/{patient_id}", json={"reason": "soins_coordonnes"}))
        asked = _ok(
            me.post(
                "/teleexpertises",
                json={
                    "expertAddress": PEER_EMAIL,
                    "patientId": patient_id,
                    "question": hostile.text("Question"),
                },
            )
        )
        _ok(
            peer_api.post(
                f"/teleexpertises/{asked['id']}/answer", json={"answer": hostile.text("Réponse")}
            )
        )
        _ok(
            peer_api.post(
                "/teleexpertises",
                json={
                    "expertAddress": me_account.email,
                    "patientId": patient_id,
                    "question": hostile.text("Question du pair"),
                },
            )
        )
        # Tomorrow at 7:00 in Paris, then 7:40: before the demo's own teleconsultations (9:00 at
        # the earliest), since the server refuses two of one teleconsultant at the same time.
        tomorrow = dt.datetime.combine(
            dt.datetime.now(PARIS).date() + dt.timedelta(days=1), dt.time(7, 0), PARIS
        )
        _ok(
            me.post(
                "/teleconsultations",
                json={
                    "start": tomorrow.isoformat(),
                    "durationMinutes": 30,
                    "patientName": hostile.name("Patient libre"),
                    "patientEmail": "patient.libre@example.org",
                    "channels": ["email"],
                    "participants": [
                        {"name": hostile.name("Participant"), "email": "participant@example.org"}
                    ],
                    "motive": hostile.text("Motif", 500),
                },
            )
        )
        # The peer plans in my name: I let them (the server refuses anyone not delegated).
        _ok(me.post("/delegates", json={"address": peer.email}))
        _ok(
            peer_api.post(
                "/teleconsultations",
                json={
                    "teleconsultantAccountId": me_account.id,
                    "start": (tomorrow + dt.timedelta(minutes=40)).isoformat(),
                    "durationMinutes": 20,
                    "patientId": patient_id,
                    "patientEmail": "jeanne@example.org",
                    "channels": ["email"],
                    "motive": hostile.text("Motif du pair", 500),
                },
            )
        )
    finally:
        me.close()
        peer_api.close()
    return World(peer, practitioner_id, patient_id, patient)


def deliver(
    server: ServerThread, to_login: str, world: World, hostile: Hostile, folder: Path
) -> str:
    """A message from the hostile professional to `to_login`, as an incoming mail server would
    deliver it: hostile sender name, other recipients, subject, plain-text body, document file
    names and types, and the patient of its IHE_XDM.ZIP. Returns its Message-ID."""
    account = server.sandbox.accounts.by_login(to_login)
    assert account is not None
    sender = Address(hostile.name("Dr Pair"), PEER_EMAIL)
    others = [Address(hostile.name("Confrère"), "confrere.hostile@sisra-demo.mssante.fr")]
    report = folder / "compte-rendu.pdf"
    report.write_bytes(PDF)
    name, description = hostile.file_name("cr"), hostile.name("Type")
    outgoing = OutgoingMessage(
        from_=sender,
        to=[Address(hostile.name("Moi"), account.email), *others],
        subject=hostile.text("Objet"),
        patient=world.patient,
        attachments=[OutgoingAttachment(report, name, "application/pdf", "11488-4")],
    )
    # The classic email API keeps the headers as written: fully encoded words, well formed
    # (EmailMessage writes a display name full of specials half quoted, half encoded).
    msg = MIMEMultipart()
    msg["From"] = _header_address(sender)
    msg["To"] = ", ".join(_header_address(a) for a in outgoing.to)
    msg["Cc"] = _header_address(
        Address(hostile.name("Copie"), "copie.hostile@sisra-demo.mssante.fr")
    )
    msg["Subject"] = Header(outgoing.subject, "utf-8").encode()
    message_id = f"<hostile-{uuid.uuid4().hex}@sisra-demo.mssante.fr>"
    msg["Message-ID"] = message_id
    body = MIMEMultipart("alternative")
    body.attach(MIMEText(hostile.text("Corps du message"), "plain", "utf-8"))
    body.attach(MIMEText(hostile.html("Corps HTML"), "html", "utf-8"))
    msg.attach(body)
    for data, subtype, filename, about in (
        (PDF, "pdf", name, description),
        (build_message_xdm(outgoing), "zip", "IHE_XDM.ZIP", None),
    ):
        part = MIMEApplication(data, subtype)
        part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", filename))
        if about is not None:
            part["Content-Description"] = Header(about, "utf-8").encode()
        msg.attach(part)
    server.sandbox.mail.import_message(
        account.id, msg.as_bytes(), received_at=dt.datetime.now(dt.UTC)
    )
    return message_id


def _header_address(address: Address) -> str:
    return formataddr((address.name or "", address.email), charset="utf-8")


def _api(server: ServerThread, login: str, password: str) -> httpx.Client:
    token = get_token(server.base_url, User(login, password, "", ""))
    return httpx.Client(
        base_url=server.base_url + REGIONAL_API_PATH,
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )


def _ok(response: httpx.Response) -> Any:
    assert response.is_success, (response.request.url, response.status_code, response.text)
    return response.json() if response.content else None
