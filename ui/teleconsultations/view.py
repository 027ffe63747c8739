"""Téléconsultations: the ones to come and the past ones, each with its date, patient,
participants and status; "Rejoindre" opens the video link in the system browser and the patient's
link can be copied to be sent again. Planning happens on the regional portal (FAQ): a button
opens it, signed in through a one-time portal code."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QUrl,
)
from PySide6.QtGui import QColor, QDesktopServices, QFont, QFontMetrics, QGuiApplication, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QListView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.dates import MONTHS_SHORT, WEEKDAYS_SHORT, french_day
from app.remote.regional import PortalCode, Teleconsultation
from app.session import AccountSession
from ui import tasks, theme
from ui.cards import list_card
from ui.palette import ACCENT, MUTED, TEXT, paint_row, row_fonts
from ui.plain import PlainLabel, paint_text
from ui.record_list import RECORD_ROLE, RecordList

TeleconsultationRole = RECORD_ROLE
ROW_HEIGHT = 80
STALE_AFTER_S = 60.0

STATUS_LABELS = {
    "planned": QT_TRANSLATE_NOOP("Teleconsultations", "Planifiée"),
    "done": QT_TRANSLATE_NOOP("Teleconsultations", "Terminée"),
    "cancelled": QT_TRANSLATE_NOOP("Teleconsultations", "Annulée"),
}
STATUS_COLORS = {  # (background, text)
    "planned": (QColor("#dcefe9"), QColor("#0b5e52")),
    "done": (QColor("#e9ecef"), QColor("#3e4c59")),
    "cancelled": (QColor("#fbe3e1"), QColor("#a12a1f")),
}
_Index = QModelIndex | QPersistentModelIndex


def french_hours(tc: Teleconsultation) -> str:
    """'09 h 40 – 10 h 00'"""
    return f"{tc.start:%H} h {tc.start:%M} – {tc.end:%H} h {tc.end:%M}"


def participants_text(tc: Teleconsultation, me: str | None = None) -> str:
    """The professionals and others taking part (the patient is named apart); `me` (my address)
    is shown as "vous"."""
    people = [tc.teleconsultant, *tc.participants]
    mine = (me or "").casefold()
    names = ["vous" if mine and (p.email or "").casefold() == mine else p.name for p in people]
    return ", ".join(n for n in names if n)


def split_by_time(
    items: list[Teleconsultation], now: dt.datetime
) -> tuple[list[Teleconsultation], list[Teleconsultation]]:
    """(upcoming soonest first, past most recent first): a teleconsultation is past once ended."""
    upcoming = sorted((t for t in items if t.end >= now), key=lambda t: t.start)
    past = sorted((t for t in items if t.end < now), key=lambda t: t.start, reverse=True)
    return upcoming, past


def teleconsultation_text(tc: Teleconsultation) -> str:
    return f"{french_day(tc.start)} {french_hours(tc)} {tc.patient.name}"


def teleconsultation_tooltip(tc: Teleconsultation) -> str:
    lines = [f"{french_day(tc.start)}, {french_hours(tc)}", tc.motive]
    if tc.cancel_reason:
        lines.append(
            QCoreApplication.translate("Teleconsultations", "Motif d'annulation : {reason}").format(
                reason=tc.cancel_reason
            )
        )
    return "\n".join(line for line in lines if line)


def teleconsultation_model(parent: QObject) -> RecordList[Teleconsultation]:
    return RecordList(teleconsultation_text, teleconsultation_tooltip, parent)


class TeleconsultationDelegate(QStyledItemDelegate):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.me: str | None = None  # my address, shown as "vous"
        self.this_year = dt.date.today().year

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        return QSize(320, ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        tc = index.data(TeleconsultationRole)
        if not isinstance(tc, Teleconsultation):
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect
        paint_row(painter, option, divider_left=88)

        small, bold = row_fonts(option.font)
        big = QFont(option.font)
        big.setPixelSize(20)
        big.setWeight(QFont.Weight.DemiBold)
        fm_small = QFontMetrics(small)

        # Date block: weekday, day, month (and the year when it is not this one)
        block = QRect(rect.left() + 16, rect.top() + 10, 56, rect.height() - 20)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#eef5f7") if tc.status == "planned" else QColor("#f1f3f5"))
        painter.drawRoundedRect(block, 8, 8)
        tint = ACCENT if tc.status == "planned" else MUTED
        painter.setFont(small)
        painter.setPen(tint)
        painter.drawText(
            QRect(block.left(), block.top() + 3, block.width(), 16),
            Qt.AlignmentFlag.AlignCenter,
            WEEKDAYS_SHORT[tc.start.weekday()],
        )
        painter.setFont(big)
        painter.drawText(
            QRect(block.left(), block.top() + 17, block.width(), 24),
            Qt.AlignmentFlag.AlignCenter,
            str(tc.start.day),
        )
        painter.setFont(small)
        month = MONTHS_SHORT[tc.start.month - 1]
        if tc.start.year != self.this_year:
            month = f"{month} {tc.start.year % 100:02d}"
        painter.drawText(
            QRect(block.left(), block.top() + 40, block.width(), 16),
            Qt.AlignmentFlag.AlignCenter,
            month,
        )

        # Status pill on the right
        status = QCoreApplication.translate(
            "Teleconsultations", STATUS_LABELS.get(tc.status, tc.status)
        )
        background, foreground = STATUS_COLORS.get(tc.status, STATUS_COLORS["done"])
        pill_w = fm_small.horizontalAdvance(status) + 20
        pill = QRect(rect.right() - 16 - pill_w, rect.top() + 10, pill_w, 22)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(background)
        painter.drawRoundedRect(pill, 11, 11)
        painter.setPen(foreground)
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, status)

        left = block.right() + 16
        full = max(40, rect.right() - 16 - left)
        top = rect.top() + 10
        # Line 1: the patient
        painter.setFont(bold)
        painter.setPen(TEXT)
        patient = tc.patient.name or QCoreApplication.translate(
            "Teleconsultations", "Patient non renseigné"
        )
        first_w = max(40, pill.left() - 12 - left)
        paint_text(painter, QRect(left, top, first_w, 20), patient)
        # Line 2: hours · motive (or why it was cancelled)
        if tc.status == "cancelled" and tc.cancel_reason:
            about = QCoreApplication.translate("Teleconsultations", "annulée : {reason}").format(
                reason=tc.cancel_reason
            )
        else:
            about = tc.motive
        line2 = f"{french_hours(tc)} · {about}" if about else french_hours(tc)
        painter.setFont(small)
        paint_text(painter, QRect(left, top + 22, full, 18), line2)
        # Line 3: who takes part
        who = participants_text(tc, self.me)
        painter.setPen(MUTED)
        if who:
            paint_text(
                painter,
                QRect(left, top + 40, full, 18),
                QCoreApplication.translate("Teleconsultations", "Participants : {names}").format(
                    names=who
                ),
            )
        painter.restore()


class _TeleconsultationList(QListView):
    def __init__(self, model: RecordList[Teleconsultation], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teleconsultationList")
        self.setModel(model)
        self.delegate = TeleconsultationDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setUniformItemSizes(True)
        self.setMouseTracking(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)


class TeleconsultationsView(QWidget):
    """Upcoming and past teleconsultations of the signed-in professional."""

    def __init__(
        self,
        session: AccountSession,
        parent: QWidget | None = None,
        *,
        now: Callable[[], dt.datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("teleconsultationsView")
        self.session = session
        self._now = now or (lambda: dt.datetime.now(dt.UTC))
        self._loaded_at = 0.0
        self.loading = False  # a load is running (its result not shown yet)
        self.load_task: asyncio.Future[Any] | None = None
        self._selected: Teleconsultation | None = None

        title = PlainLabel(self.tr("Téléconsultations"))
        title.setObjectName("pageTitle")
        self.refresh_button = QPushButton(theme.icon("refresh"), self.tr("Actualiser"))
        self.plan_button = QPushButton(self.tr("Planifier sur le portail"))
        self.plan_button.setToolTip(
            self.tr("La planification se fait sur le portail régional, dans votre navigateur.")
        )
        header = QHBoxLayout()
        header.setSpacing(8)
        header.addWidget(title, 1)
        header.addWidget(self.plan_button)
        header.addWidget(self.refresh_button)

        self.status_label = PlainLabel()
        self.status_label.setObjectName("statusLine")
        self.status_label.setWordWrap(True)

        self.upcoming_model = teleconsultation_model(self)
        self.past_model = teleconsultation_model(self)
        self.upcoming_list = _TeleconsultationList(self.upcoming_model, self)
        self.past_list = _TeleconsultationList(self.past_model, self)
        self.upcoming_empty = PlainLabel(self.tr("Aucune téléconsultation à venir."))
        self.past_empty = PlainLabel(self.tr("Aucune téléconsultation passée."))

        sections = QHBoxLayout()
        sections.setSpacing(16)
        for heading, lst, empty in (
            (self.tr("À venir"), self.upcoming_list, self.upcoming_empty),
            (self.tr("Passées"), self.past_list, self.past_empty),
        ):
            sections.addWidget(list_card(heading, lst, empty), 1)

        self.join_button = QPushButton(theme.icon("video-light"), self.tr("Rejoindre"))
        self.join_button.setObjectName("primaryButton")
        self.copy_link_button = QPushButton(
            theme.icon("link"), self.tr("Copier le lien du patient")
        )
        self.feedback_label = PlainLabel()
        self.feedback_label.setObjectName("hint")
        actions = QHBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(self.feedback_label, 1)
        actions.addWidget(self.copy_link_button)
        actions.addWidget(self.join_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(16)
        layout.addLayout(header)
        layout.addWidget(self.status_label)
        layout.addLayout(sections, 1)
        layout.addLayout(actions)

        self.refresh_button.clicked.connect(self.refresh)
        self.plan_button.clicked.connect(self.open_portal)
        self.join_button.clicked.connect(self.join)
        self.copy_link_button.clicked.connect(self.copy_patient_link)
        for lst in (self.upcoming_list, self.past_list):
            lst.selectionModel().selectionChanged.connect(
                lambda *_a, lst=lst: self._selection_moved(lst)
            )
            lst.doubleClicked.connect(lambda _index: self.join())
        self._update_actions()
        self.refresh()

    # Loading ------------------------------------------------------------------------------------

    async def _fetch(self) -> list[Teleconsultation]:
        client = await self.session.regional()
        items = await client.teleconsultations()
        me = (await self.session.own_address()).email
        for lst in (self.upcoming_list, self.past_list):
            lst.delegate.me = me
        return items

    def refresh(self) -> asyncio.Future[Any]:
        if self.load_task is not None and not self.load_task.done():
            return self.load_task
        self._set_status(self.tr("Chargement des téléconsultations…"))
        self.refresh_button.setEnabled(False)
        self.loading = True

        def done(items: list[Teleconsultation]) -> None:
            self.loading = False
            self.refresh_button.setEnabled(True)
            self._loaded_at = time.monotonic()
            self.show_items(items)

        def failed(message: str) -> None:
            self.loading = False
            self.refresh_button.setEnabled(True)
            self._set_status(message, error=True)

        self.load_task = tasks.run(self._fetch(), self, done, failed)
        return self.load_task

    def show_items(self, items: list[Teleconsultation]) -> None:
        upcoming, past = split_by_time(items, self._now())
        keep = self._selected.id if self._selected else None
        self.upcoming_model.set_rows(upcoming)
        self.past_model.set_rows(past)
        for lst, model, empty, rows in (
            (self.upcoming_list, self.upcoming_model, self.upcoming_empty, upcoming),
            (self.past_list, self.past_model, self.past_empty, past),
        ):
            lst.setVisible(bool(rows))
            empty.setVisible(not rows)
            for row, tc in enumerate(rows):
                if tc.id == keep:
                    lst.setCurrentIndex(model.index(row))
        planned = sum(1 for t in upcoming if t.status == "planned")
        if planned == 0:
            self._set_status(self.tr("Aucune téléconsultation planifiée."))
        elif planned == 1:
            self._set_status(self.tr("1 téléconsultation planifiée."))
        else:
            self._set_status(self.tr("{n} téléconsultations planifiées.").format(n=planned))
        self._update_actions()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._loaded_at and time.monotonic() - self._loaded_at > STALE_AFTER_S:
            self.refresh()

    # Selection and actions ----------------------------------------------------------------------

    def _selection_moved(self, lst: _TeleconsultationList) -> None:
        indexes = lst.selectionModel().selectedRows()
        if indexes:
            other = self.past_list if lst is self.upcoming_list else self.upcoming_list
            other.clearSelection()
            item = indexes[0].data(TeleconsultationRole)
            self._selected = item if isinstance(item, Teleconsultation) else None
        elif not (
            self.upcoming_list.selectionModel().hasSelection()
            or self.past_list.selectionModel().hasSelection()
        ):
            self._selected = None
        self._update_actions()

    def selected(self) -> Teleconsultation | None:
        return self._selected

    def _update_actions(self) -> None:
        tc = self._selected
        can_join = tc is not None and tc.status == "planned" and bool(tc.join_url)
        self.join_button.setEnabled(can_join)
        self.copy_link_button.setEnabled(
            tc is not None and tc.status == "planned" and bool(tc.patient.join_url)
        )
        if tc is not None and not can_join:
            self.join_button.setToolTip(
                self.tr("Cette téléconsultation est terminée ou annulée.")
                if tc.status != "planned"
                else self.tr("Aucun lien de connexion pour vous dans cette téléconsultation.")
            )
        else:
            self.join_button.setToolTip(self.tr("Ouvre la visio dans votre navigateur."))

    def join(self) -> bool:
        """Opens my link of the selected teleconsultation in the system browser."""
        tc = self._selected
        if tc is None or tc.status != "planned" or not tc.join_url:
            return False
        if not QDesktopServices.openUrl(QUrl(tc.join_url)):
            self._flash(self.tr("Le navigateur n'a pas pu être ouvert."), error=True)
            return False
        self._flash(self.tr("La téléconsultation s'ouvre dans votre navigateur."))
        return True

    def copy_patient_link(self) -> None:
        tc = self._selected
        if tc is None or not tc.patient.join_url:
            return
        QGuiApplication.clipboard().setText(tc.patient.join_url)
        self._flash(self.tr("Lien du patient copié."))

    def open_portal(self) -> asyncio.Future[Any]:
        async def code() -> PortalCode:
            client = await self.session.regional()
            return await client.portal_code("telemedecine")

        def opened(portal: PortalCode) -> None:
            QDesktopServices.openUrl(QUrl(portal.url))

        return tasks.run(code(), self, opened, lambda message: self._flash(message, error=True))

    def _set_status(self, text: str, error: bool = False) -> None:
        self.status_label.setText(text)
        theme.restyle(self.status_label, error=error)

    def _flash(self, text: str, error: bool = False) -> None:
        self.feedback_label.setText(text)
        theme.restyle(self.feedback_label, error=error)


async def demo_screenshot(session: AccountSession) -> TeleconsultationsView:
    """The teleconsultations page, loaded, the next one selected (for the screenshot driver)."""
    view = TeleconsultationsView(session)
    view.resize(1040, 720)
    for _ in range(200):  # at most 10 s
        if not view.loading:
            break
        await asyncio.sleep(0.05)
    if view.upcoming_model.rowCount():
        view.upcoming_list.setCurrentIndex(view.upcoming_model.index(0))
    return view
