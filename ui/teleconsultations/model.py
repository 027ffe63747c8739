"""What the teleconsultations page says about one: its status (words and colours keyed by
`TeleconsultationStatus`), the online payment asked of the patient (« payé » / « en attente », with
the amount), who takes part, the text screen readers read and the tooltip; and the list model
that holds them (short, kept whole)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject

from app.dates import french_day, french_hours
from app.regional.records import PaymentStatus, Teleconsultation, TeleconsultationStatus
from ui.palette import PILL_CANCELLED, PILL_GOOD, PILL_OVER, PILL_WAITING
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


PAYMENT_LABELS = {
    PaymentStatus.PAID: QT_TRANSLATE_NOOP("Teleconsultations", "Paiement : payé ({amount})"),
    PaymentStatus.PENDING: QT_TRANSLATE_NOOP(
        "Teleconsultations", "Paiement : en attente ({amount})"
    ),
}
PAYMENT_SHORT = {  # in a narrow card
    PaymentStatus.PAID: QT_TRANSLATE_NOOP("Teleconsultations", "Payé ({amount})"),
    PaymentStatus.PENDING: QT_TRANSLATE_NOOP("Teleconsultations", "En attente ({amount})"),
}
PAYMENT_COLORS = {PaymentStatus.PAID: PILL_GOOD, PaymentStatus.PENDING: PILL_WAITING}


def status_label(status: TeleconsultationStatus) -> str:
    return QCoreApplication.translate("Teleconsultations", str(STATUS_LABELS[status]))


def participants_text(tc: Teleconsultation, me: str | None = None) -> str:
    """The professionals and others taking part (the patient is named apart); `me` (my address)
    is shown as "vous"."""
    people = [tc.teleconsultant, *tc.participants]
    mine = (me or "").casefold()
    names = ["vous" if mine and (p.email or "").casefold() == mine else p.name for p in people]
    return ", ".join(n for n in names if n)


def euros(amount: float) -> str:
    """25,00 € (a no-break space before the sign, as French writes it)."""
    return f"{amount:.2f}".replace(".", ",") + "\u00a0€"


def payment_text(tc: Teleconsultation, short: bool = False) -> str:
    """The payment asked: « Paiement : payé (25,00 €) » or « … en attente … » (« Payé (25,00 €) »
    when `short`); "" when none was asked."""
    if tc.payment_status is None or tc.online_payment is None:
        return ""
    labels = PAYMENT_SHORT if short else PAYMENT_LABELS
    template = QCoreApplication.translate("Teleconsultations", str(labels[tc.payment_status]))
    return template.format(amount=euros(tc.online_payment.amount))


def teleconsultation_text(tc: Teleconsultation) -> str:
    parts = [
        french_day(tc.start),
        french_hours(tc.start, tc.end),
        tc.patient.name,
        payment_text(tc),
    ]
    return " ".join(p for p in parts if p)


def teleconsultation_tooltip(tc: Teleconsultation) -> str:
    lines = [
        f"{french_day(tc.start)}, {french_hours(tc.start, tc.end)}",
        tc.motive,
        payment_text(tc),
    ]
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
    "PAYMENT_COLORS",
    "PAYMENT_LABELS",
    "PAYMENT_SHORT",
    "STATUS_COLORS",
    "STATUS_LABELS",
    "euros",
    "participants_text",
    "payment_text",
    "status_label",
    "teleconsultation_model",
    "teleconsultation_text",
    "teleconsultation_tooltip",
]
