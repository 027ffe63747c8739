"""The patient a message is about: identity, INS checks and the French way of writing it.

A received message tells its patient through its IHE_XDM.ZIP (DESIGN §2.5); a message without one
is plain mail and has no patient.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Literal

from app.dates import numeric_date

if TYPE_CHECKING:
    from app.message.xdm import XdmPackage

Sex = Literal["female", "male", "other", "unknown"]

INS_NIR_OID = "1.2.250.1.213.1.4.8"
INS_NIA_OID = "1.2.250.1.213.1.4.9"
INS_NIR_TEST_OID = "1.2.250.1.213.1.4.10"
INS_NIA_TEST_OID = "1.2.250.1.213.1.4.11"
REAL_INS_OIDS = frozenset({INS_NIR_OID, INS_NIA_OID})
TEST_INS_OIDS = frozenset({INS_NIR_TEST_OID, INS_NIA_TEST_OID})
INS_OIDS = REAL_INS_OIDS | TEST_INS_OIDS

# The name of the attachment that carries the patient and the typed documents (DESIGN §2.5).
XDM_FILE_NAME = "IHE_XDM.ZIP"

# Sex (1-3, 7-8 for temporary numbers), year, month (or 20-42/50+ special values), département
# (2 digits, 2A, 2B), commune, order, key.
_INS_RE = re.compile(r"^[12378]\d{4}(?:\d{2}|2A|2B)\d{6}\d{2}$")


def nir_key(nir13: str) -> int:
    """The 2-digit key of a 13-character NIR: 97 - (n mod 97); Corsica's 2A/2B count as 19/18."""
    digits = nir13.upper().replace("2A", "19", 1).replace("2B", "18", 1)
    return 97 - int(digits) % 97


def normalize_ins(value: str) -> str | None:
    """The INS as its 15 characters (spaces and dots dropped), or None when the format or the key
    is wrong — a mistyped INS must never identify someone else."""
    ins = re.sub(r"[\s.]", "", value).upper()
    if not _INS_RE.fullmatch(ins):
        return None
    if nir_key(ins[:13]) != int(ins[13:]):
        return None
    return ins


def is_valid_ins(value: str) -> bool:
    return normalize_ins(value) is not None


def format_ins(ins: str) -> str:
    """An INS as people read it, in the groups of the NIR on the carte Vitale ('2 85 03 69 123 045
    67': sex, year, month, département, commune, order, key); anything that is not 15 characters
    as it was given, so that a malformed INS is shown, never hidden or reshaped."""
    compact = ins.replace(" ", "")
    if len(compact) != 15:
        return ins
    cuts = (0, 1, 3, 5, 7, 10, 13, 15)
    return " ".join(compact[a:b] for a, b in pairwise(cuts))


# The first digit of a NIR (1, 2) or of a NIA (7, 8) is the sex registered for that INS.
_INS_SEX: dict[str, Sex] = {"1": "male", "2": "female", "7": "male", "8": "female"}


def sex_of_ins(ins: str | None) -> Sex:
    """The sex an INS records (its first digit), "unknown" without a well-formed INS: what a
    message's patient package says when it gives no sex of its own."""
    compact = (ins or "").replace(" ", "")
    return _INS_SEX.get(compact[:1], "unknown") if len(compact) == 15 else "unknown"


def born_on(sex: str, day: dt.date) -> str:
    """ "née le 02/03/1960" or "né le 02/03/1960" as the patient's sex says; without a known sex
    "date de naissance : 02/03/1960" (never "né(e)")."""
    if sex in ("male", "female"):
        return f"{'née' if sex == 'female' else 'né'} le {numeric_date(day)}"
    return f"date de naissance : {numeric_date(day)}"


def identity_text(family: str | None, given: str | None, birth: dt.date | None, sex: str) -> str:
    """The one way a patient is written: "DUPONT Marie, née le 01/02/1960" (family name in
    capitals, as on French documents); the name alone without a birth date."""
    name = " ".join(p for p in ((family or "").upper(), given or "") if p)
    return name if birth is None else f"{name}, {born_on(sex, birth)}"


@dataclass(frozen=True)
class PatientIdentity:
    ins: str | None  # 15 characters, or None when the sender had no INS
    oid: str | None  # which INS (NIR/NIA, real or test), see INS_OIDS
    given: str
    family: str
    birth_date: dt.date | None = None
    sex: Sex = "unknown"

    @property
    def is_test(self) -> bool:
        """True for the test OIDs: a synthetic patient that can never pass for a real one."""
        return self.oid in TEST_INS_OIDS

    @property
    def is_qualified(self) -> bool:
        """True when the INS is a real one (real OID and a valid key)."""
        return self.oid in REAL_INS_OIDS and self.ins is not None and is_valid_ins(self.ins)

    @property
    def ihe_id(self) -> str | None:
        """The IHE CX form `{INS}^^^&{OID}&ISO`, when the INS is known."""
        if self.ins is None or self.oid is None:
            return None
        return f"{self.ins}^^^&{self.oid}&ISO"

    def display(self) -> str:
        """ "DUPONT Marie, née le 01/02/1960" (`identity_text`)."""
        return identity_text(self.family, self.given, self.birth_date, self.sex)


def xdm_attachment(email: Mapping[str, Any]) -> dict[str, Any] | None:
    """The IHE_XDM.ZIP part of a JMAP Email object (from `attachments`), if it has one."""
    parts = email.get("attachments")
    if not isinstance(parts, list):
        return None
    for part in parts:
        if not isinstance(part, dict):
            continue
        name = part.get("name")
        if isinstance(name, str) and is_xdm_file(name):
            return part
    return None


def is_xdm_file(name: str) -> bool:
    """True for the attachment named IHE_XDM.ZIP, whatever the case and surrounding spaces other
    senders give it: the patient package, read for its content and not shown as a document."""
    return name.strip().upper() == XDM_FILE_NAME


def received_patient(email: Mapping[str, Any], xdm: XdmPackage | None) -> PatientIdentity | None:
    """The patient of a received message: the one its IHE_XDM.ZIP names, else None (plain mail).

    `email` is the JMAP Email object, `xdm` its parsed IHE_XDM.ZIP part (see `xdm_attachment`).
    """
    if xdm is None:
        return None
    if email.get("attachments") is not None and xdm_attachment(email) is None:
        return None  # an XDM that is not this message's
    return xdm.patient
