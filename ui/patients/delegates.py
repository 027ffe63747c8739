"""The painted rows of Mes patients, on the regional lists' card base (ui/card_delegate.py): a
patient (initials, 'NOM Prénom', birth date · sex · INS; in the directory's results a "Suivre"
button or a "Suivi" mark) and a member of the care team (name, profession, MSSanté address),
a card of text lines like the access log's (`TextCard`). Everything painted comes from the
server and is drawn as plain text."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem, QWidget

from app.regional.patients import display_name
from app.regional.records import CareTeamMember, Patient
from ui.card_delegate import CardDelegate, CardFonts, paint_line, paint_lines
from ui.palette import ACCENT, FAINT, MUTED, PILL_GOOD, TEXT, WHITE
from ui.patients.words import member_role, row_details
from ui.plain import plain_text
from ui.record_list import RECORD_ROLE

_Index = QModelIndex | QPersistentModelIndex
R = TypeVar("R")


def initials(patient: Patient) -> str:
    parts = (plain_text(patient.family).strip(), plain_text(patient.given).strip())
    return "".join(part[:1].upper() for part in parts if part)


class PatientDelegate(CardDelegate[Patient]):
    """`followClicked(Patient)`: the "Suivre" button of a row (with_follow) was clicked."""

    record_type = Patient
    role = RECORD_ROLE
    row_height = 60
    divider_left = 64

    followClicked = Signal(object)  # Patient

    def __init__(self, parent: QWidget | None = None, with_follow: bool = False) -> None:
        super().__init__(parent)
        self.with_follow = with_follow

    def _label(self, patient: Patient) -> str:
        if patient.in_file_active:
            return QCoreApplication.translate("Patients", "Suivi")
        return QCoreApplication.translate("Patients", "Suivre")

    def follow_rect(self, rect: QRect, patient: Patient, font: QFont) -> QRect:
        """Where the "Suivre" button (or the "Suivi" mark) of a row is painted."""
        small = QFont(font)
        small.setPixelSize(12)
        small.setWeight(QFont.Weight.DemiBold)
        width = QFontMetrics(small).horizontalAdvance(self._label(patient)) + 24
        return QRect(rect.right() - 16 - width, rect.center().y() - 13, width, 26)

    def paint_card(self, painter: QPainter, rect: QRect, record: Patient, fonts: CardFonts) -> None:
        avatar = QRect(rect.left() + 16, rect.center().y() - 17, 34, 34)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#e1eff3"))
        painter.drawEllipse(avatar)
        letters = QFont(fonts.base)
        letters.setPixelSize(13)
        letters.setWeight(QFont.Weight.DemiBold)
        painter.setFont(letters)
        painter.setPen(ACCENT)
        painter.drawText(avatar, Qt.AlignmentFlag.AlignCenter, initials(record))

        right = rect.right() - 16
        if self.with_follow:
            right = self._paint_follow(painter, rect, record, fonts) - 12
        left = avatar.right() + 14
        width = max(40, right - left)
        paint_line(painter, QRect(left, rect.top() + 10, width, 20), display_name(record),
                   fonts.bold, TEXT)  # fmt: skip
        paint_line(painter, QRect(left, rect.top() + 31, width, 18), row_details(record),
                   fonts.small, MUTED)  # fmt: skip

    def _paint_follow(
        self, painter: QPainter, rect: QRect, patient: Patient, fonts: CardFonts
    ) -> int:
        """The "Suivre" button or the "Suivi" mark; returns its left edge."""
        button = self.follow_rect(rect, patient, fonts.base)
        label = QFont(fonts.small)
        label.setWeight(QFont.Weight.DemiBold)
        painter.setFont(label)
        painter.setPen(Qt.PenStyle.NoPen)
        if patient.in_file_active:
            background, text = PILL_GOOD
            painter.setBrush(background)
            painter.drawRoundedRect(button, 13, 13)
            painter.setPen(text)
        else:
            painter.setBrush(ACCENT)
            painter.drawRoundedRect(button, 6, 6)
            painter.setPen(WHITE)
        painter.drawText(button, Qt.AlignmentFlag.AlignCenter, self._label(patient))
        return button.left()

    def editorEvent(
        self,
        event: QEvent,
        model: QAbstractItemModel,
        option: QStyleOptionViewItem,
        index: _Index,
    ) -> bool:
        if (
            self.with_follow
            and event.type() == QEvent.Type.MouseButtonRelease
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
        ):
            patient = index.data(RECORD_ROLE)
            if isinstance(patient, Patient) and not patient.in_file_active:
                button = self.follow_rect(option.rect, patient, option.font)
                if button.contains(event.position().toPoint()):
                    self.followClicked.emit(patient)
                    return True
        return super().editorEvent(event, model, option, index)


class TextCard(CardDelegate[R]):
    """A card of three lines of text under one another (the care team, the access log): 64 px
    high, no shape to smooth."""

    role = RECORD_ROLE
    row_height = 64
    min_width = 280
    antialiased = False


class CareTeamDelegate(TextCard[CareTeamMember]):
    """Name ('(vous)' for mine), profession, MSSanté address (or that none is known)."""

    record_type = CareTeamMember

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.me: str | None = None  # my address: that member is shown as "(vous)"

    def paint_card(
        self, painter: QPainter, rect: QRect, record: CareTeamMember, fonts: CardFonts
    ) -> None:
        width = max(40, rect.width() - 32)
        left = rect.left() + 16
        address = record.mssante_address or QCoreApplication.translate(
            "Patients", "Pas d'adresse MSSanté connue"
        )
        address_color = ACCENT if record.mssante_address else FAINT
        paint_lines(
            painter,
            left,
            (
                (fonts.bold, TEXT, self._name(record), rect.top() + 6, width),
                (fonts.small, MUTED, member_role(record), rect.top() + 26, width),
                (fonts.small, address_color, address, rect.top() + 42, width),
            ),
        )

    def _name(self, member: CareTeamMember) -> str:
        mine = (
            bool(self.me)
            and (member.mssante_address or "").casefold() == (self.me or "").casefold()
        )
        if mine:
            return QCoreApplication.translate("Patients", "{name} (vous)").format(name=member.name)
        return member.name
