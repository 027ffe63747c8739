"""How Mes patients says a patient and a care team member in the user's language: sex, birth
('née le …'), the second line of a row, what a screen reader reads. The words depend on Qt's
translation, so they live here; the rules without words (name, filter) are in
app/regional/patients.py."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app.dates import numeric_date
from app.message.patient import format_ins
from app.regional.patients import display_name
from app.regional.records import CareTeamMember, Patient, Sex

SEX_LABELS: dict[str, str] = {
    "female": str(QT_TRANSLATE_NOOP("Patients", "Femme")),
    "male": str(QT_TRANSLATE_NOOP("Patients", "Homme")),
    "other": str(QT_TRANSLATE_NOOP("Patients", "Autre")),
}
SEX_CHOICES: tuple[tuple[Sex, str], ...] = (
    ("unknown", str(QT_TRANSLATE_NOOP("Patients", "Non renseigné"))),
    ("female", str(QT_TRANSLATE_NOOP("Patients", "Femme"))),
    ("male", str(QT_TRANSLATE_NOOP("Patients", "Homme"))),
    ("other", str(QT_TRANSLATE_NOOP("Patients", "Autre"))),
)


def sex_text(patient: Patient) -> str | None:
    """'Femme', 'Homme', 'Autre'; None when not known."""
    if patient.sex not in SEX_LABELS:
        return None
    return QCoreApplication.translate("Patients", SEX_LABELS[patient.sex])


def born_text(patient: Patient, day: str) -> str:
    """'née le …' / 'né le …' by the patient's sex; 'date de naissance : …' when not known
    (as app.message.patient.born_on writes it)."""
    if patient.sex == "female":
        return QCoreApplication.translate("Patients", "née le {day}").format(day=day)
    if patient.sex == "male":
        return QCoreApplication.translate("Patients", "né le {day}").format(day=day)
    return QCoreApplication.translate("Patients", "date de naissance : {day}").format(day=day)


def row_details(patient: Patient) -> str:
    """The second line of a row: birth date, sex when known, INS when known."""
    parts = [born_text(patient, numeric_date(patient.birth_date))]
    sex = sex_text(patient)
    if sex is not None:
        parts.append(sex)
    if patient.ins:
        parts.append(f"INS {format_ins(patient.ins)}")
    return " · ".join(parts)


def patient_text(patient: Patient) -> str:
    """What a screen reader says of a row."""
    return f"{display_name(patient)}, {row_details(patient)}"


def member_role(member: CareTeamMember) -> str:
    """'Médecin — Médecine générale', or what is known of it."""
    parts = [p for p in (member.profession, member.specialty) if p]
    if len(parts) == 2 and parts[0].casefold() == parts[1].casefold():
        parts = parts[:1]
    return " — ".join(parts) or QCoreApplication.translate("Patients", "Profession non renseignée")


def member_text(member: CareTeamMember) -> str:
    return f"{member.name}, {member_role(member)}"


def member_tooltip(member: CareTeamMember) -> str:
    return member.mssante_address or ""
