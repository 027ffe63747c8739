"""The lists of the téléexpertise page ("Mes demandes", "Demandes reçues"): short, kept whole
(`RecordList`), each row a painted card: the patient and the status pill, the other party and the
date, the question."""

from __future__ import annotations

from PySide6.QtCore import QObject, QRect
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QWidget

from app.dates import short_date
from app.regional.records import Teleexpertise
from ui.card_delegate import CardDelegate, CardFonts, CardList, paint_line, paint_pill
from ui.palette import MUTED, TEXT
from ui.record_list import RECORD_ROLE, RecordList
from ui.teleexpertise.labels import STATUS_COLORS, status_label


def teleexpertise_model(parent: QObject) -> RecordList[Teleexpertise]:
    """A short list (a practice's requests): kept whole, painted by the delegate."""
    return RecordList(
        lambda te: f"{te.patient.name} {status_label(te.status)}", lambda te: te.question, parent
    )


class TeleexpertiseDelegate(CardDelegate[Teleexpertise]):
    """Patient and status pill; the other party and the date; the question (the motive)."""

    record_type = Teleexpertise
    role = RECORD_ROLE
    row_height = 76

    def __init__(self, received: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.received = received  # rows where I am the expert: the other party is the requester

    def paint_card(
        self, painter: QPainter, rect: QRect, record: Teleexpertise, fonts: CardFonts
    ) -> None:
        te = record
        status = status_label(te.status)
        pill = paint_pill(
            painter,
            rect.right() - 16,
            rect.top() + 10,
            status,
            STATUS_COLORS[te.status],
            fonts.small,
        )
        left, top = rect.left() + 16, rect.top() + 10
        full = max(40, rect.right() - 16 - left)
        first = max(40, pill.left() - 12 - left)
        paint_line(painter, QRect(left, top, first, 20), te.patient.name, fonts.bold, TEXT)
        other = te.requester.name if self.received else te.expert.name
        line2 = f"{other} · {short_date(te.created_at)}"
        paint_line(painter, QRect(left, top + 22, full, 18), line2, fonts.small, TEXT)
        question = " ".join(te.question.split())
        paint_line(painter, QRect(left, top + 40, full, 18), question, fonts.small, MUTED)


class TeleexpertiseList(CardList[Teleexpertise]):
    delegate: TeleexpertiseDelegate

    def __init__(
        self, model: RecordList[Teleexpertise], received: bool, parent: QWidget | None
    ) -> None:
        super().__init__(model, TeleexpertiseDelegate(received), "teleexpertiseList", parent)


__all__ = ["TeleexpertiseDelegate", "TeleexpertiseList", "teleexpertise_model"]
