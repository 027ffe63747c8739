"""The painted card of a teleconsultation row: a date block (weekday, day, month), the patient
and the status pill, the hours and the motive (or why it was cancelled), who takes part and, when
a payment was asked of the patient, its state in a pill at the end of that line."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, QRect, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QWidget

from app.dates import MONTHS_SHORT, WEEKDAYS_SHORT, french_hours
from app.regional.records import Teleconsultation, TeleconsultationStatus
from ui.card_delegate import (
    CardDelegate,
    CardFonts,
    CardList,
    paint_line,
    paint_pill,
    pill_width,
)
from ui.palette import ACCENT, MUTED, TEXT
from ui.record_list import RECORD_ROLE, RecordList
from ui.teleconsultations.model import (
    PAYMENT_COLORS,
    STATUS_COLORS,
    participants_text,
    payment_text,
    status_label,
)

NAMES_MIN_WIDTH = 200  # below, the payment pill says it short


class TeleconsultationDelegate(CardDelegate[Teleconsultation]):
    record_type = Teleconsultation
    role = RECORD_ROLE
    row_height = 80
    divider_left = 88  # under the text, not the date block

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.me: str | None = None  # my address, shown as "vous"
        self.this_year = dt.date.today().year

    def paint_card(
        self, painter: QPainter, rect: QRect, record: Teleconsultation, fonts: CardFonts
    ) -> None:
        tc = record
        block = self._paint_date(painter, rect, tc, fonts)
        pill = paint_pill(
            painter,
            rect.right() - 16,
            rect.top() + 10,
            status_label(tc.status),
            STATUS_COLORS[tc.status],
            fonts.small,
        )
        left = block.right() + 16
        full = max(40, rect.right() - 16 - left)
        top = rect.top() + 10
        # Line 1: the patient
        patient = tc.patient.name or QCoreApplication.translate(
            "Teleconsultations", "Patient non renseigné"
        )
        first_w = max(40, pill.left() - 12 - left)
        paint_line(painter, QRect(left, top, first_w, 20), patient, fonts.bold, TEXT)
        # Line 2: hours · motive (or why it was cancelled)
        if tc.status is TeleconsultationStatus.CANCELLED and tc.cancel_reason:
            about = QCoreApplication.translate("Teleconsultations", "annulée : {reason}").format(
                reason=tc.cancel_reason
            )
        else:
            about = tc.motive
        hours = french_hours(tc.start, tc.end)
        line2 = f"{hours} · {about}" if about else hours
        paint_line(painter, QRect(left, top + 22, full, 18), line2, fonts.small, TEXT)
        # Line 3: who takes part, and the payment at its end
        third = full
        paid = payment_text(tc)
        if paid and tc.payment_status is not None:
            if full - pill_width(paid, fonts.small) < NAMES_MIN_WIDTH:
                paid = payment_text(tc, short=True)  # the names keep some room
            colors = PAYMENT_COLORS[tc.payment_status]
            pay = paint_pill(
                painter, rect.right() - 16, top + 40, paid, colors, fonts.small, height=18
            )
            third = max(40, pay.left() - 8 - left)
        who = participants_text(tc, self.me)
        if who:
            text = QCoreApplication.translate("Teleconsultations", "Participants : {names}")
            line3 = text.format(names=who)
            paint_line(painter, QRect(left, top + 40, third, 18), line3, fonts.small, MUTED)

    def _paint_date(
        self, painter: QPainter, rect: QRect, tc: Teleconsultation, fonts: CardFonts
    ) -> QRect:
        """Weekday, day, month (and the year when it is not this one), tinted while planned."""
        planned = tc.status is TeleconsultationStatus.PLANNED
        big = QFont(fonts.base)
        big.setPixelSize(20)
        big.setWeight(QFont.Weight.DemiBold)
        block = QRect(rect.left() + 16, rect.top() + 10, 56, rect.height() - 20)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#eef5f7") if planned else QColor("#f1f3f5"))
        painter.drawRoundedRect(block, 8, 8)
        painter.setPen(ACCENT if planned else MUTED)
        month = MONTHS_SHORT[tc.start.month - 1]
        if tc.start.year != self.this_year:
            month = f"{month} {tc.start.year % 100:02d}"
        for top, height, font, text in (
            (3, 16, fonts.small, WEEKDAYS_SHORT[tc.start.weekday()]),
            (17, 24, big, str(tc.start.day)),
            (40, 16, fonts.small, month),
        ):
            painter.setFont(font)
            painter.drawText(
                QRect(block.left(), block.top() + top, block.width(), height),
                Qt.AlignmentFlag.AlignCenter,
                text,
            )
        return block


class TeleconsultationList(CardList[Teleconsultation]):
    delegate: TeleconsultationDelegate

    def __init__(self, model: RecordList[Teleconsultation], parent: QWidget | None = None) -> None:
        super().__init__(model, TeleconsultationDelegate(), "teleconsultationList", parent)


__all__ = ["TeleconsultationDelegate", "TeleconsultationList"]
