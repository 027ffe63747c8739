"""The demo's mail: months of French conversations about patients, with real attachments.

`plan_conversations` decides everything (who writes to whom, when, what, with which documents)
from the seeded PRNG and returns the messages with where each copy goes; `seed_conversations`
renders them as RFC 5322 and imports them. Between two sandbox accounts the sender keeps a copy
in "sent" and the recipient gets one in "inbox"; mail from outsiders exists only on the receiving
side.

Dates: the timeline is laid out backwards from a fixed reference, Friday 2026-11-20 09:00
(Paris). So that the newest messages stay recent, that reference moves forward by whole weeks to
the latest same weekday not after today: a generation is identical all week long (and always
identical in everything but dates), and weekdays keep their meaning (no consultations on Sunday).
"""

from __future__ import annotations

import base64
import quopri
import random
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.header import Header
from email.utils import format_datetime, formataddr
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import quote

from server.demo import corpus
from server.demo.images import ecg_png, lesion_png, scan_png
from server.demo.names import ascii_slug
from server.demo.world import DemoPatient, DemoPerson, DemoWorld
from server.documents.pdf import PdfDocument, make_pdf
from server.documents.xdm import TYPE_LABELS, XdmAuthor, XdmDocument, XdmPatient, build_xdm_zip

if TYPE_CHECKING:
    from server.context import Sandbox

REFERENCE = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)  # 09:00 in Paris
HISTORY_DAYS = 180
GP_UNREAD = 15
CRLF = "\r\n"
OTHER_UNREAD = 4
_SCALE_SUBJECTS = ("Au sujet de", "Suivi de", "Nouvelles de", "Question sur")
_MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def timeline_anchor(now: datetime | None = None) -> datetime:
    """The reference moved forward by whole weeks to the latest one not after `now`."""
    now = now or datetime.now(UTC)
    weeks = max(0, (now - REFERENCE) // timedelta(weeks=1))
    return REFERENCE + timedelta(weeks=weeks)


def paris_offset(moment: datetime) -> timedelta:
    """CET/CEST without a tz database (Windows has none): summer time from the last Sunday of
    March to the last Sunday of October, both at 01:00 UTC."""

    def last_sunday(month: int) -> datetime:
        day = datetime(moment.year, month, 31, 1, 0, tzinfo=UTC)
        return day - timedelta(days=(day.weekday() + 1) % 7)

    summer = last_sunday(3) <= moment.astimezone(UTC) < last_sunday(10)
    return timedelta(hours=2 if summer else 1)


def local(moment: datetime) -> datetime:
    return moment.astimezone(timezone(paris_offset(moment)))


def french_date(moment: datetime) -> str:
    day = local(moment)
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


# --- who ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    """A sender or recipient: a sandbox account (account_key set) or an outside professional."""

    prefix: str
    given: str
    family: str
    email: str
    organisation: str
    city: str
    role: str  # "médecin généraliste", "cardiologue", "infirmier", "secrétaire"…
    rpps: str | None = None
    account_key: str | None = None

    @property
    def name(self) -> str:
        return f"{self.prefix} {self.given} {self.family}".strip()

    @property
    def is_doctor(self) -> bool:
        return self.prefix == "Dr"

    def author(self) -> XdmAuthor:
        return XdmAuthor(self.rpps, self.given, self.family, self.organisation, self.role)


def _role_of(person: DemoPerson) -> str:
    for role, codes in corpus.ROLE_SPECIALTIES.items():
        if person.specialty_code in codes:
            return role
    for role, code in corpus.ROLE_PROFESSIONS.items():
        if person.profession_code == code:
            return role
    return "médecin généraliste" if person.profession_code == "10" else "professionnel de santé"


def _person_party(person: DemoPerson, account_key: str | None = None) -> Party:
    return Party(
        prefix=person.prefix,
        given=person.given,
        family=person.family,
        email=person.email,
        organisation=person.organization_name,
        city=person.city,
        role=_role_of(person),
        rpps=person.rpps,
        account_key=account_key,
    )


_ACCOUNT_ROLES = {
    "gp": "médecin généraliste",
    "cardio": "cardiologue",
    "dermato": "dermatologue",
    "pharma": "pharmacien",
    "nurse": "infirmier",
    "secretary": "secrétaire médicale",
}


def _account_party(world: DemoWorld, key: str) -> Party:
    account = world.account(key)
    spec = account.spec
    person = account.person
    return Party(
        prefix=spec.prefix,
        given=spec.given,
        family=spec.family,
        email=account.email,
        organisation=spec.organization_name,
        city=person.city if person else "Lyon",
        role=_ACCOUNT_ROLES.get(key, "professionnel de santé"),
        rpps=person.rpps if person else None,
        account_key=key,
    )


# --- what --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    mime_type: str
    type_code: str | None  # LOINC (JDV_J07), None for "autre"
    title: str

    @property
    def label(self) -> str:
        return TYPE_LABELS.get(self.type_code, "Autre") if self.type_code else "Autre"


@dataclass(frozen=True)
class Delivery:
    account_key: str
    mailbox_role: str
    keywords: tuple[str, ...]


@dataclass
class PlannedMessage:
    sender: Party
    to: tuple[Party, ...]
    subject: str
    text: str
    at: datetime
    message_id: str
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    cc: tuple[Party, ...] = ()
    attachments: list[Attachment] = field(default_factory=list)
    patient: DemoPatient | None = None
    html: str | None = None
    html_only: bool = False
    flagged: bool = False
    deliveries: list[Delivery] = field(default_factory=list)

    @property
    def with_xdm(self) -> bool:
        return self.patient is not None and bool(self.attachments)


def render(message: PlannedMessage) -> bytes:
    """The message as RFC 5322 octets (CRLF), with IHE_XDM.ZIP when it is about a patient.

    Written out by hand rather than with EmailMessage: it is ~30 times faster (the benchmark
    volume needs it) and avoids the stdlib folder dropping the space between two encoded words
    of a long accented Subject. Encoded words are made by email.header (RFC 2047), non-ASCII file
    names use RFC 2231; boundaries start with "=_", which neither base64 nor quoted-printable
    can produce.
    """
    headers = [
        f"From: {_encoded_address(message.sender)}",
        "To: " + ",\r\n ".join(_encoded_address(p) for p in message.to),
    ]
    if message.cc:
        headers.append("Cc: " + ",\r\n ".join(_encoded_address(p) for p in message.cc))
    headers += [
        f"Subject: {_encoded(message.subject)}",
        f"Date: {format_datetime(local(message.at))}",
        f"Message-ID: {message.message_id}",
    ]
    if message.in_reply_to:
        headers.append(f"In-Reply-To: {message.in_reply_to}")
    if message.references:
        headers.append("References: " + "\r\n ".join(message.references))
    headers.append("MIME-Version: 1.0")
    token = message.message_id.strip("<>").split("@", 1)[0]
    if message.html_only and message.html:
        body = _text_part("html", message.html)
    elif message.html:
        body = _multipart(
            "alternative",
            f"=_alt_{token}",
            [_text_part("plain", message.text), _text_part("html", message.html)],
        )
    else:
        body = _text_part("plain", message.text)
    attachments = [
        _file_part(a.data, a.mime_type, a.filename, a.label) for a in message.attachments
    ]
    if message.with_xdm and message.patient is not None:
        attachments.append(
            _file_part(_xdm_zip(message), "application/zip", "IHE_XDM.ZIP", "IHE XDM")
        )
    if attachments:
        body = _multipart("mixed", f"=_mix_{token}", [body, *attachments])
    return (CRLF.join(headers) + CRLF + body).encode("ascii")


def _xdm_zip(message: PlannedMessage) -> bytes:
    assert message.patient is not None
    stamp = message.at.strftime("%Y%m%d%H%M%S")
    return build_xdm_zip(
        _xdm_patient(message.patient),
        message.sender.author(),
        [
            XdmDocument(a.filename, a.data, a.mime_type, a.type_code or "", a.title, stamp)
            for a in message.attachments
        ],
        submission_time=stamp,
        title=message.subject,
        recipients=[p.email for p in message.to],
        seed=message.message_id,
    )


def _encoded(text: str) -> str:
    if text.isascii():
        return text
    return Header(text, "utf-8").encode(linesep=CRLF)


def _text_part(subtype: str, text: str) -> str:
    body = quopri.encodestring(text.replace("\n", CRLF).encode()).decode("ascii")
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"{CRLF}'
        f"Content-Transfer-Encoding: quoted-printable{CRLF}{CRLF}{body}{CRLF}"
    )


def _file_part(data: bytes, mime_type: str, filename: str, label: str) -> str:
    if filename.isascii():
        escaped = filename.replace("\\", "\\\\").replace('"', '\\"')
        disposition = f'attachment; filename="{escaped}"'
    else:
        disposition = f"attachment;{CRLF} filename*=utf-8''{quote(filename, safe='')}"
    return (
        f"Content-Type: {mime_type}{CRLF}"
        f"Content-Transfer-Encoding: base64{CRLF}"
        f"Content-Disposition: {disposition}{CRLF}"
        f"Content-Description: {_encoded(label)}{CRLF}{CRLF}"
        f"{_base64_lines(data)}{CRLF}"
    )


def _multipart(subtype: str, boundary: str, parts: list[str]) -> str:
    inner = "".join(f"--{boundary}{CRLF}{part}" for part in parts)
    return (
        f'Content-Type: multipart/{subtype}; boundary="{boundary}"{CRLF}{CRLF}'
        f"{inner}--{boundary}--{CRLF}"
    )


@lru_cache(maxsize=256)
def _base64_lines(data: bytes) -> str:
    return base64.encodebytes(data).decode("ascii").replace("\n", CRLF).rstrip()


def _encoded_address(party: Party) -> str:
    return formataddr((party.name, party.email), charset="utf-8")


def _xdm_patient(patient: DemoPatient) -> XdmPatient:
    return XdmPatient(
        patient.ins,
        patient.ins_oid,
        patient.given,
        patient.family,
        patient.birth_date,
        patient.sex,
    )


# --- how: the planner --------------------------------------------------------------------------


def _age(patient: DemoPatient, at: datetime) -> int:
    year, month, day = (int(x) for x in patient.birth_date.split("-"))
    return at.year - year - ((at.month, at.day) < (month, day))


def patient_label(patient: DemoPatient) -> str:
    civility = "Mme" if patient.sex == "female" else "M."
    return f"{civility} {patient.given} {patient.family}"


def patient_line(patient: DemoPatient, at: datetime) -> str:
    year, month, day = patient.birth_date.split("-")
    born = "née" if patient.sex == "female" else "né"
    return (
        f"Patient : {patient_label(patient)}, {born} le {day}/{month}/{year} "
        f"({_age(patient, at)} ans) — INS {patient.ins}"
    )


class _Thread:
    """Builds one conversation: subjects with RE:/TR:, Message-ID chains, increasing dates."""

    def __init__(self, planner: Planner, subject: str, at: datetime) -> None:
        self.planner = planner
        self.subject = subject
        self.at = at
        self.messages: list[PlannedMessage] = []
        self._advanced = False

    def next(self, low_hours: float, high_hours: float) -> datetime:
        """Moves to the time of the next message; a conversation does not go past the anchor."""
        planner = self.planner
        at = planner.work_time(
            self.at + timedelta(hours=planner.rng.uniform(low_hours, high_hours))
        )
        if at > planner.anchor:
            raise _Later
        self.at = at
        self._advanced = True
        return at

    def send(
        self,
        sender: Party,
        to: list[Party],
        text: str,
        *,
        attachments: list[Attachment] | None = None,
        patient: DemoPatient | None = None,
        cc: list[Party] | None = None,
        forward: bool = False,
        delay_hours: tuple[float, float] = (1.5, 50.0),
    ) -> PlannedMessage:
        planner = self.planner
        if self.at > planner.anchor:
            raise _Later
        if self.messages:
            if not self._advanced:
                self.next(*delay_hours)
            parent = self.messages[-1]
            prefix = "TR: " if forward else "RE: "
            subject = prefix + self.subject
            references = (*parent.references, parent.message_id)
            in_reply_to: str | None = parent.message_id
        else:
            subject, references, in_reply_to = self.subject, (), None
        message = PlannedMessage(
            sender=sender,
            to=tuple(to),
            cc=tuple(cc or ()),
            subject=subject,
            text=text,
            at=self.at,
            message_id=planner.message_id(sender),
            in_reply_to=in_reply_to,
            # Long chains keep the root and the latest ones (RFC 5322 §3.6.4).
            references=references if len(references) <= 10 else (references[0], *references[-9:]),
            attachments=attachments or [],
            patient=patient,
        )
        self.messages.append(message)
        planner.messages.append(message)
        self._advanced = False
        return message


class _Later(Exception):
    """The rest of a conversation would happen after the anchor: it stops there, unanswered."""


class Planner:
    """Decides the demo's conversations; everything comes from `rng` and `anchor`."""

    def __init__(self, world: DemoWorld, rng: random.Random, anchor: datetime) -> None:
        self.world = world
        self.rng = rng
        self.anchor = anchor
        self.accounts = {key: _account_party(world, key) for key in world.accounts}
        self.gp = self.accounts["gp"]
        self.outsiders = [
            _person_party(p)
            for p in world.correspondents
            if p.email and p.email.lower() not in {a.email.lower() for a in self.accounts.values()}
        ]
        if not self.outsiders:
            raise ValueError("the demo conversations need correspondents from the directory")
        self.by_role: dict[str, list[Party]] = {}
        for party in self.outsiders:
            self.by_role.setdefault(party.role, []).append(party)
        self.patients = list(world.patients)
        if not self.patients:
            raise ValueError("the demo conversations need patients")
        self.messages: list[PlannedMessage] = []
        self._counter = 0
        self._image_cache: dict[tuple[str, int], bytes] = {}

    # helpers

    def message_id(self, sender: Party) -> str:
        self._counter += 1
        domain = sender.email.split("@", 1)[1]
        return f"<{self._counter:06d}.{self.rng.getrandbits(48):012x}@{domain}>"

    def work_time(self, moment: datetime) -> datetime:
        """Moves `moment` into working hours (Mon–Sat, 07:30–19:30 Paris)."""
        day = local(moment)
        hour = day.hour + day.minute / 60
        if hour < 7.5:
            moment += timedelta(hours=7.5 - hour + self.rng.uniform(0.3, 3))
        elif hour > 19.5:
            moment += timedelta(hours=24 - hour + 7.5 + self.rng.uniform(0.3, 3))
        if local(moment).weekday() == 6:
            moment += timedelta(days=1)
        return moment

    def start_time(self, days_back: float) -> datetime:
        moment = self.anchor - timedelta(days=days_back)
        day = local(moment)
        hour = self.rng.uniform(8, 19)
        moment += timedelta(hours=hour - (day.hour + day.minute / 60))
        return self.work_time(moment)

    def outsider(self, *roles: str) -> Party:
        for role in roles:
            if self.by_role.get(role):
                return self.rng.choice(self.by_role[role])
        doctors = [p for p in self.outsiders if p.is_doctor]
        return self.rng.choice(doctors or self.outsiders)

    def patient(self, min_age: int = 18) -> DemoPatient:
        for _ in range(30):
            patient = self.rng.choice(self.patients)
            if _age(patient, self.anchor) >= min_age:
                return patient
        return self.rng.choice(self.patients)

    def pdf(
        self,
        author: Party,
        patient: DemoPatient | None,
        at: datetime,
        title: str,
        paragraphs: list[str],
        type_code: str | None,
        filename: str | None = None,
    ) -> Attachment:
        lines = (
            author.role.capitalize() if author.role else "",
            f"{author.city} — MSSanté : {author.email}",
        )
        data = make_pdf(
            PdfDocument(
                title=title,
                organisation=author.organisation,
                organisation_lines=lines,
                patient_line=patient_line(patient, at) if patient else "",
                place_date=f"{author.city}, le {french_date(at)}",
                paragraphs=tuple(paragraphs),
                signature=author.name,
                pdf_date=local(at).strftime("%Y%m%d%H%M%S"),
            )
        )
        if filename is None:
            who = ascii_slug(patient.family).upper() if patient else "document"
            filename = f"{ascii_slug(title).replace('-', '_')}_{who}_{local(at):%Y%m%d}.pdf"
        return Attachment(filename, data, "application/pdf", type_code, title)

    def image(self, kind: str, filename: str, type_code: str | None, title: str) -> Attachment:
        """A few variants of each image, reused: their generation is the slow part."""
        variant = self.rng.randrange(4)
        key = (kind, variant)
        if key not in self._image_cache:
            maker: Callable[[int], bytes] = {
                "ecg": ecg_png,
                "scan": scan_png,
                "lesion": lesion_png,
            }[kind]
            self._image_cache[key] = maker(variant + 1)
        return Attachment(filename, self._image_cache[key], "image/png", type_code, title)

    def closing(self, party: Party) -> str:
        return f"{self.rng.choice(corpus.CLOSINGS)}\n\n{party.name}\n{party.organisation}"

    def greeting(self, to: Party) -> str:
        if to.is_doctor:
            return self.rng.choice(corpus.GREETINGS_COLLEAGUE)
        return "Bonjour,"

    # --- the GP's kinds of conversation ----------------------------------------------------

    def specialist_for(self, case: corpus.Case) -> Party:
        if case.role == "cardiologue" and "cardio" in self.accounts and self.rng.random() < 0.6:
            return self.accounts["cardio"]
        if case.role == "dermatologue" and "dermato" in self.accounts and self.rng.random() < 0.6:
            return self.accounts["dermato"]
        return self.outsider(case.role)

    def referral(self, days_back: float) -> None:
        """Lettre d'adressage → compte rendu de consultation (+ ECG or photo) → thanks."""
        rng = self.rng
        case = rng.choice(corpus.CASES)
        patient = self.patient(case.min_age)
        specialist = self.specialist_for(case)
        subject = f"Adressage {patient_label(patient)} — {case.short}"
        thread = _Thread(self, subject, self.start_time(days_back))
        letter = [
            self.greeting(specialist),
            f"Je te remercie de bien vouloir recevoir {patient_label(patient)}, "
            f"{_age(patient, thread.at)} ans, pour {case.motif}.",
            f"Antécédents : {case.history}",
            case.question,
            "Traitement en cours : "
            + rng.choice(corpus.DRUGS)
            + ", "
            + rng.choice(corpus.DRUGS)
            + ".",
        ]
        docs = [self.pdf(self.gp, patient, thread.at, "Lettre d'adressage", letter, "96349-6")]
        if case.photo and rng.random() < 0.7:
            docs.append(self.image("lesion", "photo_lesion.png", None, "Photographie de la lésion"))
        body = (
            f"{self.greeting(specialist)}\n\nJe t'adresse {patient_label(patient)} pour "
            f"{case.motif}. Tu trouveras la lettre d'adressage en pièce jointe.\n\n"
            f"{self.closing(self.gp)}"
        )
        thread.send(self.gp, [specialist], body, attachments=docs, patient=patient)
        if rng.random() < 0.9:
            report = [
                "Cher confrère,",
                f"J'ai vu en consultation {patient_label(patient)}, adressé(e) pour {case.motif}.",
                f"Antécédents : {case.history}",
                f"Examen : {case.exam}",
                f"Conclusion : {case.conclusion}",
                "Proposition thérapeutique : " + " ; ".join(case.treatment) + ".",
                "Je reverrai le patient dans six mois, ou plus tôt en cas de besoin.",
            ]
            at = thread.next(5 * 24, 25 * 24)
            docs = [
                self.pdf(specialist, patient, at, "Compte rendu de consultation", report, "11488-4")
            ]
            if case.ecg:
                docs.append(self.image("ecg", "ECG_12_derivations.png", "11488-4", "ECG"))
            if rng.random() < 0.5:
                docs.append(
                    self.pdf(
                        specialist,
                        patient,
                        at,
                        "Ordonnance",
                        ["Prescription :", *case.treatment],
                        "57833-6",
                    )
                )
            reply = (
                f"Chère consœur,\n\nVoici le compte rendu de la consultation de "
                f"{patient_label(patient)}. {case.conclusion}\n\n{self.closing(specialist)}"
            )
            thread.send(
                specialist,
                [self.gp],
                reply,
                attachments=docs,
                patient=patient,
            )
            if rng.random() < 0.45:
                thread.send(self.gp, [specialist], f"{rng.choice(corpus.THANKS)}\n\n{self.gp.name}")
                if rng.random() < 0.3:
                    thread.send(
                        specialist,
                        [self.gp],
                        f"Avec plaisir. N'hésite pas à me recontacter.\n\n{specialist.name}",
                    )

    def lab_result(self, days_back: float) -> None:
        rng = self.rng
        case = rng.choice([c for c in corpus.CASES if c.bio])
        patient = self.patient(case.min_age)
        lab = self.outsider("biologiste")
        lab_party = Party(
            lab.prefix,
            lab.given,
            lab.family,
            lab.email,
            rng.choice(corpus.LAB_NAMES),
            lab.city,
            "biologiste",
            lab.rpps,
        )
        thread = _Thread(
            self, f"Résultats de biologie — {patient_label(patient)}", self.start_time(days_back)
        )
        rows = [f"{name} : {value}   (réf. {ref})" for name, value, ref in case.bio]
        abnormal = rng.random() < 0.5
        docs = [
            self.pdf(
                lab_party,
                patient,
                thread.at,
                "Compte rendu d'examens biologiques",
                [
                    f"Prélèvement du {french_date(thread.at)}, prescrit par {self.gp.name}.",
                    *rows,
                    "Résultats validés par le biologiste.",
                ],
                "11502-2",
            )
        ]
        text = (
            f"Bonjour,\n\nVeuillez trouver ci-joint les résultats de {patient_label(patient)}."
            + ("\nCertaines valeurs sont hors des normes du laboratoire." if abnormal else "")
            + f"\n\n{lab_party.name}\n{lab_party.organisation}"
        )
        first = thread.send(lab_party, [self.gp], text, attachments=docs, patient=patient)
        first.flagged = abnormal and rng.random() < 0.25
        if "nurse" in self.accounts and rng.random() < 0.25:
            thread.send(
                self.gp,
                [self.accounts["nurse"]],
                f"Bonjour,\n\nPour information, les résultats de {patient_label(patient)}. "
                f"Pouvez-vous programmer un nouveau contrôle dans un mois ?\n\n{self.gp.name}",
                attachments=docs,
                patient=patient,
                forward=True,
                delay_hours=(1, 8),
            )

    def imaging_report(self, days_back: float) -> None:
        rng = self.rng
        case = rng.choice([c for c in corpus.CASES if c.imaging[0]])
        patient = self.patient(case.min_age)
        radiologist = self.outsider("radiologue")
        party = Party(
            radiologist.prefix,
            radiologist.given,
            radiologist.family,
            radiologist.email,
            rng.choice(corpus.IMAGING_NAMES),
            radiologist.city,
            "radiologue",
            radiologist.rpps,
        )
        exam, conclusion = case.imaging
        thread = _Thread(self, f"CR {exam} — {patient_label(patient)}", self.start_time(days_back))
        doc = self.pdf(
            party,
            patient,
            thread.at,
            "Compte rendu d'imagerie",
            [
                f"Examen : {exam}.",
                f"Indication : {case.motif}.",
                "Technique : acquisition standard, sans incident.",
                f"Résultat et conclusion : {conclusion}",
            ],
            "18748-4",
        )
        thread.send(
            party,
            [self.gp],
            f"Chère consœur,\n\nCompte rendu de l'examen de {patient_label(patient)} en pièce "
            f"jointe. Les images sont disponibles sur le portail.\n\n{self.closing(party)}",
            attachments=[doc],
            patient=patient,
        )

    def discharge(self, days_back: float) -> None:
        """Lettre de liaison de sortie + ordonnance; the GP forwards the care to the nurse."""
        rng = self.rng
        case = rng.choice(corpus.CASES)
        patient = self.patient(max(case.min_age, 40))
        doctor = self.outsider(case.role, "gériatre")
        thread = _Thread(
            self,
            f"Lettre de liaison — sortie de {patient_label(patient)}",
            self.start_time(days_back),
        )
        stay = rng.randint(3, 12)
        docs = [
            self.pdf(
                doctor,
                patient,
                thread.at,
                "Lettre de liaison de sortie",
                [
                    f"{patient_label(patient)} a été hospitalisé(e) {stay} jours "
                    f"pour {case.motif}.",
                    f"Antécédents : {case.history}",
                    f"Au cours du séjour : {case.exam}",
                    f"Diagnostic de sortie : {case.conclusion}",
                    "Traitement de sortie : " + " ; ".join(case.treatment) + ".",
                    "Suivi : consultation de contrôle à un mois ; bilan biologique à 15 jours.",
                ],
                "11490-0",
            ),
            self.pdf(
                doctor,
                patient,
                thread.at,
                "Ordonnance de sortie",
                ["Prescription :", *case.treatment],
                "57833-6",
            ),
        ]
        thread.send(
            doctor,
            [self.gp],
            f"Chère consœur,\n\nVotre patient(e) {patient_label(patient)} est sorti(e) ce jour. "
            "Vous trouverez la lettre de liaison et l'ordonnance de sortie.\n\n"
            f"{self.closing(doctor)}",
            attachments=docs,
            patient=patient,
        )
        if "nurse" in self.accounts and rng.random() < 0.5:
            thread.next(2, 20)
            care = self.pdf(
                self.gp,
                patient,
                thread.at,
                "Prescription de soins infirmiers",
                [
                    "Soins infirmiers à domicile, dimanches et jours fériés compris :",
                    "- surveillance clinique et des constantes, 1 passage par jour "
                    "pendant 15 jours ;",
                    "- aide à la prise des médicaments ;",
                    "- prise de sang à J15 (ordonnance jointe).",
                ],
                "57832-8",
            )
            thread.send(
                self.gp,
                [self.accounts["nurse"]],
                f"Bonjour Thomas,\n\n{patient_label(patient)} rentre à domicile. Je te transmets "
                f"la lettre de liaison et la prescription de soins.\n\n{self.gp.name}",
                attachments=[docs[0], care],
                patient=patient,
                forward=True,
            )
            thread.send(
                self.accounts["nurse"],
                [self.gp],
                f"Bien reçu, premier passage demain matin.\n\n{self.accounts['nurse'].name}",
                delay_hours=(1, 6),
            )

    def expertise(self, days_back: float) -> None:
        """A téléexpertise with the dermatologist: photo → CR de télémédecine."""
        rng = self.rng
        dermato = self.accounts.get("dermato") or self.outsider("dermatologue")
        case = rng.choice([c for c in corpus.CASES if c.role == "dermatologue"])
        patient = self.patient()
        thread = _Thread(
            self, f"Demande d'avis dermatologique — {case.short}", self.start_time(days_back)
        )
        photo = self.image("lesion", "photo_dermatoscopie.png", None, "Photographie")
        thread.send(
            self.gp,
            [dermato],
            f"Bonjour Nadia,\n\nPourrais-tu me donner ton avis sur {case.motif} chez "
            f"{patient_label(patient)} ({_age(patient, thread.at)} ans) ? {case.question}\n"
            f"Photo jointe.\n\n{self.gp.name}",
            attachments=[photo],
            patient=patient,
        )
        thread.next(3, 72)
        report = self.pdf(
            dermato,
            patient,
            thread.at,
            "Compte rendu de téléexpertise",
            [
                f"Demande du {self.gp.name} : {case.motif}.",
                f"Analyse des photographies : {case.exam}",
                f"Avis : {case.conclusion}",
                "Conduite à tenir : " + " ; ".join(case.treatment) + ".",
            ],
            "85208-7",
        )
        thread.send(
            dermato,
            [self.gp],
            f"Bonjour Hélène,\n\n{case.conclusion} Le compte rendu est joint.\n\n{dermato.name}",
            attachments=[report],
            patient=patient,
        )
        if rng.random() < 0.5:
            thread.send(
                self.gp, [dermato], f"Merci beaucoup !\n\n{self.gp.name}", delay_hours=(1, 10)
            )

    def nurse_coordination(self, days_back: float) -> None:
        rng = self.rng
        nurse = self.accounts.get("nurse") or self.outsider("infirmier")
        subject, question, answer = rng.choice(corpus.NURSE_SITUATIONS)
        patient = self.patient(50)
        inr = rng.choice(("1,6", "2,4", "2,8", "3,6", "4,2"))
        advice = {
            "1,6": "Augmenter la warfarine d'un quart de comprimé.",
            "3,6": "Sauter la prise de ce soir puis reprendre à dose réduite d'un quart.",
            "4,2": "Suspendre deux jours puis reprendre à dose réduite ; me rappeler en cas de "
            "saignement.",
        }.get(inr, "INR dans la cible, même dose.")
        fill = {
            "patient": patient_label(patient),
            "inr": inr,
            "dose": rng.choice(("2", "3", "4", "5")),
            "inr_advice": advice,
            "days": str(rng.choice((3, 7, 10, 15))),
        }
        thread = _Thread(self, f"{subject} — {patient_label(patient)}", self.start_time(days_back))
        thread.send(
            nurse, [self.gp], question.format(**fill) + f"\n\n{nurse.name}", patient=patient
        )
        thread.next(0.5, 9)
        docs: list[Attachment] = []
        if "prescription" in answer.lower() or "ordonnance" in answer.lower():
            docs.append(
                self.pdf(
                    self.gp,
                    patient,
                    thread.at,
                    "Prescription de soins infirmiers",
                    [
                        f"Soins infirmiers à domicile pour {patient_label(patient)} :",
                        rng.choice(
                            (
                                "- pansement d'ulcère veineux tous les 2 jours, compression "
                                "par bandes à allongement court, pendant 1 mois ;",
                                "- préparation du pilulier et surveillance de la prise, 1 passage "
                                "par jour pendant 1 mois ;",
                                "- prélèvement sanguin à domicile : NFS, ionogramme, créatinine ;",
                            )
                        ),
                        "À renouveler une fois.",
                    ],
                    "57832-8",
                )
            )
        thread.send(
            self.gp,
            [nurse],
            answer.format(**fill) + f"\n\n{self.gp.name}",
            attachments=docs,
            patient=patient,
        )
        if rng.random() < 0.35:
            thread.send(
                nurse, [self.gp], f"Bien noté, merci.\n\n{nurse.name}", delay_hours=(0.5, 6)
            )

    def pharmacy(self, days_back: float) -> None:
        rng = self.rng
        pharma = self.accounts.get("pharma") or self.outsider("pharmacien")
        subject, question, answer = rng.choice(corpus.PHARMA_SITUATIONS)
        patient = self.patient(30)
        drug = rng.choice(corpus.DRUGS)
        fill = {"patient": patient_label(patient), "drug": drug}
        thread = _Thread(self, f"{subject} — {patient_label(patient)}", self.start_time(days_back))
        thread.send(
            pharma,
            [self.gp],
            question.format(**fill) + f"\n\n{pharma.name}\n{pharma.organisation}",
            patient=patient,
        )
        thread.next(0.5, 28)
        docs: list[Attachment] = []
        if "ordonnance" in answer.lower():
            lines = [
                drug + " : 1 comprimé par jour",
                rng.choice(corpus.DRUGS) + " : 1 comprimé le soir",
            ]
            docs.append(
                self.pdf(
                    self.gp,
                    patient,
                    thread.at,
                    "Ordonnance",
                    ["Renouvellement pour 3 mois :", *lines, "QSP 3 mois."],
                    "57833-6",
                )
            )
        thread.send(
            self.gp,
            [pharma],
            answer.format(**fill) + f"\n\n{self.gp.name}",
            attachments=docs,
            patient=patient,
        )

    def secretary_note(self, days_back: float) -> None:
        rng = self.rng
        secretary = self.accounts.get("secretary")
        if secretary is None:
            return
        subject, body, with_patient = rng.choice(corpus.SECRETARY_NOTES)
        patient = self.patient() if with_patient else None
        fill = {
            "patient": patient_label(patient) if patient else "",
            "reason": rng.choice(corpus.CALL_REASONS),
            "phone": f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
            f"{rng.randint(10, 99)}",
        }
        thread = _Thread(self, subject.format(**fill), self.start_time(days_back))
        docs: list[Attachment] = []
        if subject.startswith("Courrier reçu") and patient is not None:
            docs.append(
                self.image(
                    "scan",
                    f"courrier_scanne_{ascii_slug(patient.family)}.png",
                    "34112-3",
                    "Courrier scanné",
                )
            )
        thread.send(secretary, [self.gp], body.format(**fill), attachments=docs, patient=patient)
        if subject.startswith("Demande de certificat") and patient is not None:
            thread.next(24, 72)
            cert = self.pdf(
                self.gp,
                patient,
                thread.at,
                "Certificat médical",
                [
                    f"Je soussignée, {self.gp.name}, certifie avoir examiné ce jour "
                    f"{patient_label(patient)} et n'avoir constaté aucun signe clinique "
                    "contre-indiquant la pratique du sport en compétition.",
                    "Certificat établi à la demande de l'intéressé(e) et remis en main propre.",
                ],
                "89601-9",
            )
            thread.send(
                self.gp,
                [secretary],
                f"Sandrine,\n\nLe certificat est prêt, pouvez-vous l'imprimer pour ce soir ?\n\n"
                f"{self.gp.name}",
                attachments=[cert],
                patient=patient,
            )
        elif rng.random() < 0.4:
            thread.send(self.gp, [secretary], "Merci Sandrine, c'est noté.", delay_hours=(0.3, 5))

    def synthesis(self, days_back: float) -> None:
        """Synthèse médicale sent ahead of a planned hospital stay; with a CC."""
        rng = self.rng
        case = rng.choice(corpus.CASES)
        patient = self.patient(case.min_age)
        doctor = self.outsider(case.role)
        cc = [self.accounts["nurse"]] if "nurse" in self.accounts and rng.random() < 0.3 else []
        thread = _Thread(
            self, f"Synthèse médicale — {patient_label(patient)}", self.start_time(days_back)
        )
        doc = self.pdf(
            self.gp,
            patient,
            thread.at,
            "Synthèse médicale",
            [
                f"Antécédents : {case.history}",
                "Allergies : aucune connue.",
                "Traitement habituel : " + ", ".join(rng.sample(corpus.DRUGS, 3)) + ".",
                f"Motif actuel : {case.motif}.",
                "Mode de vie : autonome, vit à domicile, entourage présent.",
            ],
            "60591-5",
        )
        thread.send(
            self.gp,
            [doctor],
            f"{self.greeting(doctor)}\n\nEn vue de l'hospitalisation programmée de "
            f"{patient_label(patient)}, voici sa synthèse médicale.\n\n{self.closing(self.gp)}",
            attachments=[doc],
            patient=patient,
            cc=cc,
        )
        if rng.random() < 0.5:
            thread.send(
                doctor, [self.gp], f"Bien reçu, merci.\n\n{doctor.name}", delay_hours=(2, 48)
            )

    # --- edge cases a real inbox has -------------------------------------------------------

    def edge_cases(self) -> None:
        rng = self.rng
        # 1. A newsletter in HTML with a remote image and a script (the client must sanitise).
        urps = self.outsider("médecin généraliste")
        thread = _Thread(
            self, "Lettre d'information de l'URPS — vaccination antigrippale", self.start_time(12)
        )
        message = thread.send(
            urps,
            [self.gp],
            "La campagne de vaccination antigrippale commence. Version texte : consultez le site "
            "de l'URPS.",
        )
        message.html = (
            "<html><body><h1>Campagne de vaccination</h1>"
            '<img src="https://tracker.example.invalid/pixel.gif?u=garnier" width="1" height="1">'
            "<p>La campagne de vaccination antigrippale commence le <b>15 octobre</b>.</p>"
            "<script>document.location='https://phishing.example.invalid/'</script>"
            '<p><a href="https://www.example.invalid/urps">En savoir plus</a></p>'
            "</body></html>"
        )
        thread = _Thread(self, "Invitation — soirée de formation FMC", self.start_time(40))
        message = thread.send(self.outsider("cardiologue"), [self.gp], "")
        message.html = (
            "<html><body><p>Chère consœur, cher confrère,</p><p>Nous avons le plaisir de vous "
            "inviter à une soirée de formation sur l'insuffisance cardiaque.</p>"
            '<img src="https://images.example.invalid/affiche.jpg" alt="Affiche">'
            "<script>alert('inscription')</script></body></html>"
        )
        message.html_only = True
        # 2. A long thread (12 messages) about a wound followed at home.
        patient = self.patient(65)
        nurse = self.accounts.get("nurse") or self.outsider("infirmier")
        other = self.outsider("dermatologue", "médecin généraliste")
        thread = _Thread(
            self, f"Suivi ulcère de jambe — {patient_label(patient)}", self.start_time(55)
        )
        senders = {"gp": self.gp, "nurse": nurse, "other": other}
        for index, (who, text) in enumerate(corpus.LONG_THREAD):
            sender = senders[who]
            recipients = [p for p in (self.gp, nurse, other) if p is not sender]
            if index:
                thread.next(20, 80)
            docs: list[Attachment] = []
            if index == 1:
                docs.append(
                    self.pdf(
                        self.gp,
                        patient,
                        thread.at,
                        "Prescription de soins infirmiers",
                        [
                            "Pansement d'ulcère veineux tous les 2 jours pendant 1 mois.",
                            "Bandes de compression à allongement court.",
                        ],
                        "57832-8",
                    )
                )
            thread.send(
                sender,
                recipients[:1],
                text.format(patient=patient_label(patient), other=other.family)
                + f"\n\n{sender.name}",
                cc=recipients[1:],
                attachments=docs,
                patient=patient,
            )
        # 3. Non-ASCII everywhere in the headers (the renderer encodes them, RFC 2047/2231).
        patient = self.patient()
        doctor = self.outsider("neurologue", "médecin généraliste")
        thread = _Thread(
            self,
            f"Réunion « Parcours Aïcha » — ordre du jour, œdème & cœur — {patient_label(patient)}",
            self.start_time(20),
        )
        thread.send(
            doctor,
            [self.gp],
            "Bonjour,\n\nVoici l'ordre du jour de la réunion pluriprofessionnelle de jeudi. "
            "Bien à vous.\n\n" + doctor.name,
        )
        # 4. An attachment with an odd file name.
        case = rng.choice(corpus.CASES)
        patient = self.patient(case.min_age)
        doctor = self.outsider(case.role)
        thread = _Thread(
            self, f"Compte rendu corrigé — {patient_label(patient)}", self.start_time(9)
        )
        doc = self.pdf(
            doctor,
            patient,
            thread.at,
            "Compte rendu de consultation",
            ["Version corrigée du compte rendu précédent.", f"Conclusion : {case.conclusion}"],
            "11488-4",
            filename="compte rendu n°2 (version finale) été.pdf",
        )
        message = thread.send(
            doctor,
            [self.gp],
            f"Chère consœur,\n\nUne erreur s'était glissée dans le premier compte rendu ; voici "
            f"la version corrigée.\n\n{self.closing(doctor)}",
            attachments=[doc],
            patient=patient,
        )
        message.flagged = True
        # 5. No patient at all: a colleague's question about on-call duty.
        colleague = self.outsider("médecin généraliste")
        thread = _Thread(self, "Tableau des gardes du trimestre", self.start_time(30))
        thread.send(
            colleague,
            [self.gp],
            "Bonjour Hélène,\n\nPeux-tu me dire quelles dates te conviennent pour les gardes du "
            f"prochain trimestre ? Je boucle le tableau vendredi.\n\n{colleague.name}",
        )
        thread.send(self.gp, [colleague], "Les deux premiers samedis me vont. Merci !\n\nHélène")

    # --- the other accounts' own mail ------------------------------------------------------

    def others(self) -> None:
        for key, templates in corpus.OUTSIDE_SUBJECTS.items():
            account = self.accounts.get(key)
            if account is None:
                continue
            for _ in range(self.rng.randint(18, 22)):
                with suppress(_Later):
                    self.other_thread(account, templates)

    def other_thread(self, account: Party, templates: tuple[tuple[str, str], ...]) -> None:
        subject, body = self.rng.choice(templates)
        patient = self.patient() if "{patient}" in body else None
        sender = self.outsider()
        label = patient_label(patient) if patient else ""
        full = f"{subject} — {label}" if patient else subject
        thread = _Thread(self, full, self.start_time(self.rng.uniform(0.2, HISTORY_DAYS)))
        docs: list[Attachment] = []
        if patient is not None and self.rng.random() < 0.5:
            docs.append(
                self.pdf(
                    sender,
                    patient,
                    thread.at,
                    "Compte rendu de consultation",
                    [body.format(patient=label)],
                    "11488-4",
                )
            )
        thread.send(
            sender,
            [account],
            f"{self.greeting(account)}\n\n{body.format(patient=label)}\n\n{sender.name}",
            attachments=docs,
            patient=patient,
        )
        if self.rng.random() < 0.3:
            thread.send(account, [sender], f"Bien reçu, merci.\n\n{account.name}")

    # --- all of it -------------------------------------------------------------------------

    def gp_count(self) -> int:
        return sum(
            1 for m in self.messages if m.sender is self.gp or self.gp in m.to or self.gp in m.cc
        )

    def plan(self) -> list[PlannedMessage]:
        rng = self.rng
        kinds: list[tuple[Callable[[float], None], int]] = [
            (self.referral, 24),
            (self.lab_result, 16),
            (self.imaging_report, 8),
            (self.discharge, 8),
            (self.expertise, 5),
            (self.nurse_coordination, 14),
            (self.pharmacy, 10),
            (self.secretary_note, 10),
            (self.synthesis, 5),
        ]
        functions = [k for k, _ in kinds]
        weights = [w for _, w in kinds]
        with suppress(_Later):
            self.edge_cases()
        target = rng.randint(440, 540)
        while self.gp_count() < target:
            # Denser in the last weeks, as a real inbox is.
            days_back = rng.uniform(0, 14) if rng.random() < 0.15 else rng.uniform(0, HISTORY_DAYS)
            with suppress(_Later):
                rng.choices(functions, weights)[0](days_back)
        self.others()
        self.messages.sort(key=lambda m: m.at)
        self.assign_mailboxes()
        return self.messages

    def assign_mailboxes(self) -> None:
        """Sent copies are seen; the newest inbox messages stay unread; a few archived/trashed."""
        inbox: dict[str, list[tuple[PlannedMessage, int]]] = {}
        for message in self.messages:
            message.deliveries = []
            if message.sender.account_key:
                message.deliveries.append(Delivery(message.sender.account_key, "sent", ("$seen",)))
            for party in dict.fromkeys((*message.to, *message.cc)):
                if party.account_key and party is not message.sender:
                    message.deliveries.append(Delivery(party.account_key, "inbox", ()))
                    inbox.setdefault(party.account_key, []).append(
                        (message, len(message.deliveries) - 1)
                    )
        for key, entries in inbox.items():
            unread = GP_UNREAD if key == "gp" else OTHER_UNREAD
            ordered = sorted(entries, key=lambda e: e[0].at)
            old = ordered[:-unread] if len(ordered) > unread else []
            for position, (message, index) in enumerate(ordered):
                delivery = message.deliveries[index]
                keywords = ["$seen"] if position < len(old) else []
                if message.flagged and key == "gp":
                    keywords.append("$flagged")
                role = delivery.mailbox_role
                if key == "gp" and position < len(old) // 2:
                    # Old conversations the GP cleaned up: a handful archived, two deleted.
                    if position % 41 == 7:
                        role = "archive"
                    elif position in (23, 131):
                        role = "trash"
                message.deliveries[index] = Delivery(key, role, tuple(keywords))
        if "gp" in inbox:
            for message, index in self.rng.sample(inbox["gp"], min(6, len(inbox["gp"]))):
                delivery = message.deliveries[index]
                if "$flagged" not in delivery.keywords:
                    message.deliveries[index] = Delivery(
                        delivery.account_key,
                        delivery.mailbox_role,
                        (*delivery.keywords, "$flagged"),
                    )

    def draft(self) -> PlannedMessage:
        case = self.rng.choice(corpus.CASES)
        patient = self.patient(case.min_age)
        doctor = self.outsider(case.role)
        message = PlannedMessage(
            sender=self.gp,
            to=(doctor,),
            subject=f"Demande d'avis — {patient_label(patient)}",
            text=f"{self.greeting(doctor)}\n\nJe souhaiterais ton avis concernant "
            f"{patient_label(patient)}, que je suis pour {case.motif}.\n\n",
            at=self.anchor - timedelta(hours=3),
            message_id=self.message_id(self.gp),
            patient=patient,
        )
        message.deliveries = [Delivery("gp", "drafts", ("$draft", "$seen"))]
        return message

    def scale_messages(self, count: int) -> Iterator[PlannedMessage]:
        """Extra Inbox messages for benchmarks: older than the story, varied, fast to make."""
        rng = self.rng
        pdf_cache: list[Attachment] = []
        for n in range(count):
            case = rng.choice(corpus.CASES)
            patient = rng.choice(self.patients)
            sender = rng.choice(self.outsiders)
            at = self.start_time(HISTORY_DAYS + 1 + rng.uniform(0, max(30.0, count / 20)))
            attachments: list[Attachment] = []
            if rng.random() < 0.3:
                if len(pdf_cache) < 24:
                    pdf_cache.append(
                        self.pdf(
                            sender,
                            None,
                            at,
                            "Compte rendu de consultation",
                            [case.exam, case.conclusion],
                            "11488-4",
                            filename=f"compte_rendu_{len(pdf_cache) + 1:02d}.pdf",
                        )
                    )
                attachments.append(pdf_cache[n % len(pdf_cache)])
            text = (
                f"{self.greeting(self.gp)}\n\nÀ propos de {patient_label(patient)} "
                f"({case.short}) : "
                f"{rng.choice((case.exam, case.conclusion, case.question, case.history))}\n\n"
                f"{sender.name}"
            )
            message = PlannedMessage(
                sender=sender,
                to=(self.gp,),
                subject=f"{rng.choice(_SCALE_SUBJECTS)} {patient_label(patient)} — {case.short}",
                text=text,
                at=at,
                message_id=self.message_id(sender),
                attachments=attachments,
            )
            message.deliveries = [Delivery("gp", "inbox", ("$seen",))]
            yield message


def plan_conversations(
    world: DemoWorld, rng: random.Random, anchor: datetime | None = None
) -> list[PlannedMessage]:
    """Every message of the demo (scale aside), oldest first, with its deliveries."""
    planner = Planner(world, rng, anchor or timeline_anchor())
    messages = planner.plan()
    messages.append(planner.draft())
    return messages


def seed_conversations(
    sandbox: Sandbox,
    world: DemoWorld,
    rng: random.Random,
    scale: int = 0,
    anchor: datetime | None = None,
) -> None:
    """Renders and imports the demo's mail, in one write transaction."""
    planner = Planner(world, rng, anchor or timeline_anchor())
    messages = planner.plan()
    messages.append(planner.draft())
    ids = {key: account.account_id for key, account in world.accounts.items()}
    with sandbox.db.write():
        for message in [*messages, *planner.scale_messages(scale)]:
            raw = render(message)
            for delivery in message.deliveries:
                sandbox.mail.import_message(
                    ids[delivery.account_key],
                    raw,
                    mailbox_role=delivery.mailbox_role,
                    keywords=delivery.keywords,
                    received_at=message.at
                    + timedelta(seconds=0 if delivery.mailbox_role == "sent" else 40),
                )
