"""Real-looking MIME messages for a third-party server's mailbox, deterministic for a seed.

What a GP's inbox holds and what a client must survive: plain letters, multipart/alternative
with HTML, HTML only, PDF documents with their type in Content-Description, IHE_XDM.ZIP packages
(made by app.message.xdm, as senders' software makes them), images, non-ASCII text and RFC 2047
encoded headers (UTF-8 and ISO-8859-1, Q and B), long threads tied by In-Reply-To/References, and
a few malformed messages (no Date, no Message-ID, broken base64, an unknown charset, raw 8-bit
headers, an unterminated multipart, a bad date). Delivered over LMTP by tests/interop/cyrus.py.
"""

from __future__ import annotations

import base64
import datetime as dt
import random
from dataclasses import dataclass
from email.headerregistry import Address as HeaderAddress
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from app.message import doctypes
from app.message.patient import INS_NIR_TEST_OID, PatientIdentity, nir_key
from app.message.xdm import XdmDocument, build_xdm
from server.demo.corpus import CASES, CLOSINGS, GREETINGS_COLLEAGUE, THANKS
from server.demo.names import mss_address, person_name

DOMAINS = ("chu-lyon.mssante.fr", "hcl.mssante.fr", "medecin.mssante.fr", "labo-biolyon.fr")
START = dt.datetime(2025, 1, 6, 8, 0, tzinfo=dt.UTC)
MALFORMED_EVERY = 97  # about one message in a hundred is broken in some way
THREAD_LENGTHS = (40, 25, 12, 8)  # a few long conversations among the ordinary ones


@dataclass(frozen=True)
class Corpus:
    """The raw messages, in delivery order, and what the tests need to know about them."""

    messages: list[bytes]
    xdm_count: int  # messages carrying an IHE_XDM.ZIP with a patient
    malformed: list[str]  # the Message-IDs of the malformed ones that have one, bare
    longest_thread: int


@dataclass(frozen=True)
class _Person:
    name: str
    email: str


def generate(count: int = 1000, *, seed: int = 8621, to: str = "alice@example.com") -> Corpus:
    """`count` messages to `to` (at least 100), the same for the same seed."""
    if count < 100:
        raise ValueError("a corpus has at least 100 messages")
    rng = random.Random(seed)
    me = _Person("Dr Alice Martin", to)
    people = [_person(rng) for _ in range(40)]
    messages: list[bytes] = []
    xdm = 0
    malformed: list[str] = []
    # The long threads are spread through the corpus: now and then the next message of one.
    threads = [([rng.choice(people) for _ in range(n)], []) for n in THREAD_LENGTHS]
    index = 0
    while len(messages) < count:
        when = START + dt.timedelta(minutes=37 * index + rng.randrange(30))
        index += 1
        if index % MALFORMED_EVERY == 0:
            raw = _malformed(rng, index, me, rng.choice(people), when)
            messages.append(raw)
            if b"Message-ID:" in raw:
                malformed.append(f"bad-{index}@x")
            continue
        open_threads = [t for t in threads if t[0]]
        if open_threads and rng.random() < 0.12:
            senders, thread = rng.choice(open_threads)
            sender = senders.pop()
            if thread:
                msg = _reply(index, sender, me, when, thread[-1], thread[0])
            else:
                msg = _letter(rng, index, sender, me, when, xdm_ok=False)
            thread.append(msg)
            messages.append(_serialize(msg))
            continue
        msg = _letter(rng, index, rng.choice(people), me, when, xdm_ok=True)
        xdm += "X-Corpus-Xdm" in msg
        messages.append(_serialize(msg))
    longest = max(len(t[1]) for t in threads)
    return Corpus(messages, xdm, malformed, longest)


def _person(rng: random.Random) -> _Person:
    _, given, family = person_name(rng)
    title = "Dr " if rng.random() < 0.7 else ""
    return _Person(f"{title}{given} {family}", mss_address(given, family, rng.choice(DOMAINS)))


def _headers(
    msg: EmailMessage, index: int, sender: _Person, me: _Person, when: dt.datetime, subject: str
) -> None:
    local, _, domain = sender.email.partition("@")
    msg["From"] = HeaderAddress(sender.name, local, domain)
    msg["To"] = HeaderAddress(me.name, *me.email.split("@"))
    msg["Subject"] = subject
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = f"<corpus-{index}@{domain}>"


def _letter(
    rng: random.Random, index: int, sender: _Person, me: _Person, when: dt.datetime, *, xdm_ok: bool
) -> EmailMessage:
    case = rng.choice(CASES)
    greeting = rng.choice(GREETINGS_COLLEAGUE)
    closing = rng.choice(CLOSINGS)
    text = (
        f"{greeting}\n\nJe te remercie de m'avoir adressé ce patient pour {case.motif}.\n\n"
        f"Antécédents : {case.history}\n\nExamen : {case.exam}\n\nConclusion : {case.conclusion}"
        f"\n\n{closing}\n{sender.name}\n"
    )
    subject = f"{case.short.capitalize()} – suivi n°{index}"
    msg = EmailMessage(policy=SMTP)
    kind = rng.random()
    if kind < 0.25:
        msg.set_content(text)
    elif kind < 0.5:
        msg.set_content(text)
        msg.add_alternative(_html(text), subtype="html")
    elif kind < 0.6:
        msg.set_content(_html(text), subtype="html")
    else:
        msg.set_content(text)
        if rng.random() < 0.5:
            msg.add_alternative(_html(text), subtype="html")
        code = rng.choice(("11488-4", "57833-6", "11502-2", "18748-4", "60591-5"))
        label = doctypes.label_of(code)
        name = f"{label.split(' (')[0]} n°{index}.pdf"
        pdf = _pdf(rng, f"{label} - {case.short}")
        msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=name)
        msg.get_payload()[-1]["Content-Description"] = label
        if rng.random() < 0.1:
            msg.add_attachment(_png(rng), maintype="image", subtype="png", filename="photo.png")
        if xdm_ok and rng.random() < 0.3:
            patient = _patient(rng)
            package = build_xdm(
                patient,
                [XdmDocument(name, "application/pdf", code, label, case.short, pdf)],
                sender.name,
                sender.email,
                when,
                title=subject,
            )
            msg.add_attachment(
                package, maintype="application", subtype="zip", filename="IHE_XDM.ZIP"
            )
            msg["X-Corpus-Xdm"] = "1"
    _headers(msg, index, sender, me, when, subject)
    if rng.random() < 0.1:  # an older mailer: a Latin-1 subject (see _serialize)
        msg["X-Corpus-Latin1"] = f"Résultats d'analyse n°{index}"
    return msg


def _reply(
    index: int,
    sender: _Person,
    me: _Person,
    when: dt.datetime,
    parent: EmailMessage,
    root: EmailMessage,
) -> EmailMessage:
    """A short answer in a thread, tied to it the RFC 5322 way."""
    msg = EmailMessage(policy=SMTP)
    thanks = THANKS[index % len(THANKS)]
    msg.set_content(f"Bonjour,\n\n{thanks}\n\nBien confraternellement,\n{sender.name}\n")
    _headers(msg, index, sender, me, when, "Re: " + str(root["Subject"]))
    msg["In-Reply-To"] = str(parent["Message-ID"])
    references = str(parent.get("References", "")).split()
    msg["References"] = " ".join([*references, str(parent["Message-ID"])])
    return msg


def _serialize(msg: EmailMessage) -> bytes:
    """The bytes to deliver; a Latin-1 subject is put back B-encoded, as older mailers write it."""
    latin = msg.get("X-Corpus-Latin1")
    del msg["X-Corpus-Latin1"], msg["X-Corpus-Xdm"]
    raw = bytes(msg)
    if latin is None:
        return raw
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(b"Subject:"))
    end = start + 1
    while end < len(lines) and lines[end][:1] in (b" ", b"\t"):
        end += 1
    encoded = base64.b64encode(str(latin).encode("latin-1")).decode()
    lines[start:end] = [f"Subject: =?ISO-8859-1?B?{encoded}?=".encode()]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def _html(text: str) -> str:
    paragraphs = "".join(
        f"<p>{p.replace('&', '&amp;').replace('<', '&lt;')}</p>" for p in text.split("\n\n")
    )
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><style>p{margin:0 0 1em}</style>"
        f"</head><body>{paragraphs}<img src='https://tracker.example.net/p.gif'></body></html>"
    )


def _pdf(rng: random.Random, title: str) -> bytes:
    """Looks like a small PDF (a header, a text object, random binary, %%EOF)."""
    body = f"BT /F1 12 Tf 72 720 Td ({title}) Tj ET".encode("latin-1", "replace")
    noise = rng.randbytes(rng.randrange(2_000, 40_000))
    return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nstream\n" + body + noise + b"\n%%EOF\n"


def _png(rng: random.Random) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + rng.randbytes(3_000)


def _patient(rng: random.Random) -> PatientIdentity:
    sex, given, family = person_name(rng)
    birth = dt.date(1930 + rng.randrange(80), 1 + rng.randrange(12), 1 + rng.randrange(28))
    nir13 = f"{1 if sex == 'male' else 2}{birth.year % 100:02d}{birth.month:02d}69"
    nir13 += f"{rng.randrange(1, 999):03d}{rng.randrange(1, 999):03d}"
    return PatientIdentity(
        nir13 + f"{nir_key(nir13):02d}", INS_NIR_TEST_OID, given, family, birth, sex
    )


def _malformed(
    rng: random.Random, index: int, me: _Person, sender: _Person, when: dt.datetime
) -> bytes:
    """One of the ways real mail is broken; every one still has a From and a To."""
    date = format_datetime(when)
    head = f"From: {sender.email}\r\nTo: {me.email}\r\n"
    kind = (index // MALFORMED_EVERY) % 7
    if kind == 0:  # no Date, no Message-ID
        return (head + "Subject: sans date ni identifiant\r\n\r\nCorps.\r\n").encode()
    if kind == 1:  # broken base64 body
        return (
            head + f"Date: {date}\r\nMessage-ID: <bad-{index}@x>\r\nSubject: base64 cassé\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\nQm9uam91ciDDqX!!!pas du base64***\r\n"
        ).encode()
    if kind == 2:  # an unknown charset
        return (
            head + f"Date: {date}\r\nMessage-ID: <bad-{index}@x>\r\nSubject: charset inconnu\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=x-martien\r\n\r\n"
        ).encode() + b"Caract\xe8res \xe9tranges\r\n"
    if kind == 3:  # raw 8-bit (Latin-1) in the headers
        return (
            head + f"Date: {date}\r\nMessage-ID: <bad-{index}@x>\r\n"
        ).encode() + b"Subject: R\xe9sultats non encod\xe9s\r\n\r\nCorps.\r\n"
    if kind == 4:  # a multipart whose closing boundary never comes
        payload = base64.b64encode(rng.randbytes(600)).decode()
        return (
            head + f"Date: {date}\r\nMessage-ID: <bad-{index}@x>\r\nSubject: pièce tronquée\r\n"
            'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="zz"\r\n\r\n'
            "--zz\r\nContent-Type: text/plain\r\n\r\nVoir pièce jointe.\r\n"
            '--zz\r\nContent-Type: application/pdf; name="cr.pdf"\r\n'
            f"Content-Transfer-Encoding: base64\r\n\r\n{payload}\r\n"
        ).encode()
    if kind == 5:  # a date nobody can read, an encoded word that is not one
        return (
            head + f"Date: le 32 brumaire an 233\r\nMessage-ID: <bad-{index}@x>\r\n"
            "Subject: =?utf-8?Q?incompl=C3?= =?bogus?X?zz?=\r\n\r\nCorps.\r\n"
        ).encode()
    # kind 6: a very long unfolded header and a body with bare LF line ends
    return (
        head + f"Date: {date}\r\nMessage-ID: <bad-{index}@x>\r\nSubject: {'très long ' * 120}\r\n"
        "\r\nligne 1\nligne 2\n"
    ).encode()
