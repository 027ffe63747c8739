"""How a conversation row is painted: who wrote (or, in sent mail, to whom, with where the message
stands: « Lu », « Remis », « Non distribué »…) with the number of messages, and the date of the
newest; the newest's subject with the conversation's patient
chips; its preview; the unread dot (any message unread), the flag, the paperclip. Painted, not
widgets: a list of 100,000 rows stays light.
On the cards' base (ui/card_delegate.py) like every painted list; the model is lazy, so a row
not loaded yet shows its background and divider only (`blank_rows`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter

from app.dates import compact_date
from app.records import ConversationSummary, PatientRef
from ui import theme
from ui.card_delegate import CardDelegate, CardFonts, paint_pill
from ui.mail.conversation_model import SUMMARY_ROLE, ConversationModel, people
from ui.mail.receipts import overall
from ui.palette import ACCENT, FAINT, MUTED, TEXT
from ui.plain import paint_text, plain_text

CHIP = (QColor("#e8f3f6"), QColor("#0b5269"))  # the patient chip: background, text
FLAG = QColor("#d9822b")
# The compact delivery status of a sent message (issue 14 §2): background, text.
STATUS = {
    "failed": (QColor("#fdeceb"), QColor("#b42318")),
    "read": (QColor("#e7f4ec"), QColor("#1b6b3a")),
    "delivered": (QColor("#eef1f5"), QColor("#3e4c59")),
    "sent": (QColor("#f3f4f6"), QColor("#616e7c")),
}
ROW_HEIGHT = 80
SUBJECT_MIN = 140  # px of subject kept beside the patient chips


class ConversationDelegate(CardDelegate[ConversationSummary]):
    """people (count) + date / subject + patient chips / preview; unread dot, flag, paperclip."""

    record_type = ConversationSummary
    role = SUMMARY_ROLE
    row_height = ROW_HEIGHT
    blank_rows = True

    def __init__(self, model: ConversationModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.model = model
        self._clip = theme.icon("mail-attachment")
        self._flag = theme.icon("mail-flag-on")

    def paint_card(
        self, painter: QPainter, rect: QRect, summary: ConversationSummary, fonts: CardFonts
    ) -> None:
        left, right = rect.left() + 24, rect.right() - 16
        top = rect.top() + 10
        if summary.unread:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(ACCENT)
            painter.drawEllipse(QPoint(rect.left() + 12, top + 9), 4, 4)

        base = QFont(fonts.base)
        base.setPixelSize(14)
        small = fonts.small

        # Line 1: who, then the date and the marks on the right.
        painter.setFont(small)
        date = compact_date(summary.received_at)
        date_width = fonts.small_metrics.horizontalAdvance(date)
        painter.setPen(ACCENT if summary.unread else MUTED)
        painter.drawText(
            QRect(right - date_width, top, date_width, 20),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            date,
        )
        marks_right = right - date_width - 6
        for on, icon in ((summary.flagged, self._flag), (summary.has_attachment, self._clip)):
            if on:
                icon.paint(painter, QRect(marks_right - 16, top + 2, 16, 16))
                marks_right -= 20
        status = (
            overall(self.model.delivery(summary.thread_id)) if self.model.show_recipients else None
        )
        if status is not None:  # Envoyés: « Lu », « Remis », « Non distribué »…
            kind, label = status
            pill = paint_pill(
                painter, marks_right, top + 1, label, STATUS[kind], small, height=18, padding=12
            )
            marks_right = pill.left() - 6
        who_font = QFont(base)
        who_font.setBold(summary.unread)
        painter.setFont(who_font)
        painter.setPen(TEXT)
        who = (
            QCoreApplication.translate("ConversationDelegate", "À : ") + people(summary.to)
            if self.model.show_recipients
            else people(summary.senders)
            or QCoreApplication.translate("ConversationDelegate", "(expéditeur inconnu)")
        )
        count = str(summary.count) if summary.count > 1 else ""
        count_width = fonts.small_metrics.horizontalAdvance(count) + 8 if count else 0
        who_width = max(0, marks_right - left - 8 - count_width)
        paint_text(painter, QRect(left, top, who_width, 20), who)
        if count:  # the number of messages, just after the names (never cut with them)
            shown = min(QFontMetrics(who_font).horizontalAdvance(plain_text(who)), who_width)
            painter.setFont(small)
            painter.setPen(MUTED)
            painter.drawText(
                QRect(left + shown + 6, top, count_width, 20),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                count,
            )

        # Line 2: subject, and the conversation's patients as discreet chips on the right.
        top += 22
        subject_right = self._chips(painter, small, summary.patients, left, right, top)
        subject_font = QFont(base)
        subject_font.setWeight(QFont.Weight.DemiBold if summary.unread else QFont.Weight.Normal)
        painter.setFont(subject_font)
        painter.setPen(TEXT)
        subject = summary.subject or QCoreApplication.translate(
            "ConversationDelegate", "(sans objet)"
        )
        paint_text(painter, QRect(left, top, max(0, subject_right - left), 20), subject)

        # Line 3: the preview.
        top += 22
        painter.setFont(small)
        painter.setPen(FAINT if not summary.unread else MUTED)
        paint_text(painter, QRect(left, top, right - left, 18), " ".join(summary.preview.split()))

    def _chips(
        self,
        painter: QPainter,
        font: QFont,
        patients: list[PatientRef],
        left: int,
        right: int,
        top: int,
    ) -> int:
        """Draws a chip per patient, newest on the right, as many as leave the subject its room,
        then "+n" for the others; returns where the subject ends."""
        end = right
        drawn = 0
        for patient in patients:
            if drawn and end - left < SUBJECT_MIN + 200:
                break
            end = self._chip(painter, font, patient, end, top) - 8
            drawn += 1
        if drawn < len(patients):
            more = f"+{len(patients) - drawn}"
            end = paint_pill(painter, end, top + 1, more, CHIP, font, height=18, padding=12).left()
            end -= 8
        return end

    @staticmethod
    def _chip(painter: QPainter, font: QFont, patient: PatientRef, right: int, top: int) -> int:
        """Draws the patient chip (its name cut at 160 px) ending at `right`; returns its left
        edge."""
        name = patient.display_name() or QCoreApplication.translate(
            "ConversationDelegate", "Patient"
        )
        name = QFontMetrics(font).elidedText(plain_text(name), Qt.TextElideMode.ElideRight, 160)
        return paint_pill(painter, right, top + 1, name, CHIP, font, height=18, padding=16).left()
