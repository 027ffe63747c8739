"""What the teleconsultations page says about one: its status (words and colours keyed by
`TeleconsultationStatus`), who takes part, the text screen readers read and the tooltip; and the
list model that holds them (short, kept whole)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject

from app.dates import french_day, french_hours
from app.regional.records import Teleconsultation, TeleconsultationStatus
from ui.palette import PILL_CANCELLED, PILL_GOOD, PILL_OVER
from ui.record_list import RecordList

STATUS_LABELS = {
    TeleconsultationStatus.PLANNED: QT_TRANSLATE_NOOP("Teleconsultations", "Planifiée"),
    TeleconsultationStatus.DONE: QT_TRANSLATE_NOOP("Teleconsultations", "Terminée"),
    TeleconsultationStatus.CANCELLED: QT_TRANSLATE_NOOP("Teleconsultations", "Annulée"),
}
STATUS_COLORS = {  # (background, text)
    TeleconsultationStatus.PLANNED: PILL_GOOD,
    TeleconsultationStatus.DONE: PILL_OVER,
    TeleconsultationStatus.CANCELLED: PILL_CANCELLED,
}


def status_label(status: TeleconsultationStatus) -> str:
    return QCoreApplication.translate("Teleconsultations", str(STATUS_LABELS[status]))


def participants_text(tc: Teleconsultation, me: str | None = None) -> str:
    """The professionals and others taking part (the patient is named apart); `me` (my address)
    is shown as "vous"."""
    people = [tc.teleconsultant, *tc.participants]
    mine = (me or "").casefold()
    names = ["vous" if mine and (p.email or "").casefold() == mine else p.name for p in people]
    return ", ".join(n for n in names if n)


def teleconsultation_text(tc: Teleconsultation) -> str:
    return f"{french_day(tc.start)} {french_hours(tc.start, tc.end)} {tc.patient.name}"


def teleconsultation_tooltip(tc: Teleconsultation) -> str:
    lines = [f"{french_day(tc.start)}, {french_hours(tc.start, tc.end)}", tc.motive]
    if tc.cancel_reason:
        lines.append(
            QCoreApplication.translate("Teleconsultations", "Motif d'annulation : {reason}").format(
                reason=tc.cancel_reason
            )
        )
    return "\n".join(line for line in lines if line)


def teleconsultation_model(parent: QObject) -> RecordList[Teleconsultation]:
    return RecordList(teleconsultation_text, teleconsultation_tooltip, parent)


__all__ = [
    "STATUS_COLORS",
    "STATUS_LABELS",
    "participants_text",
    "status_label",
    "teleconsultation_model",
    "teleconsultation_text",
    "teleconsultation_tooltip",
]
