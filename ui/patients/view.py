"""Mes patients: "la file active référence les dossiers patients que vous suivez" (FAQ). The
page lists them (filtered locally as one types), searches the regional patient directory to follow
more, creates a patient's file when the directory has none, and shows the selected patient's
identity and care team ("acteurs du dossier") with the ways to act on it: write to the team, see
the messages about the patient, open the patient's file on the portal.

The directory is need-to-know (issue 9 §8): a search takes the name and birth date or the INS
(search_form.py), following takes a reason (follow_reason.py), and a followed patient's page
shows their contact details and the journal of who accessed the record (access_log.py).

Everything comes from the regional API through `session.regional()`: nothing about patients is
written to disk or to the logs by this page."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractListModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QDesktopServices, QFont, QFontMetrics, QMouseEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.dates import long_date, numeric_date, parse_birth_date
from app.message.patient import format_ins
from app.remote.regional import CareTeam, CareTeamMember, FollowReason, Patient, PatientMatches, Sex
from app.session import AccountSession
from app.store.records import Address
from app.text import fold
from ui import tasks, theme
from ui.mail.reader import patient_file_url
from ui.palette import ACCENT, FAINT, MUTED, TEXT, WHITE, paint_row, row_fonts
from ui.patients.access_log import AccessLogPanel
from ui.patients.follow_reason import FollowReasonDialog
from ui.patients.search_form import Criteria, IncompleteSearch, PatientSearchForm
from ui.plain import PlainLabel, paint_text, plain_message_box, plain_text, plain_tooltip
from ui.record_list import RECORD_ROLE, RecordList

PatientRole = MemberRole = RECORD_ROLE
ROW_HEIGHT = 60
MEMBER_HEIGHT = 64
STALE_AFTER_S = 60.0

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
_Index = QModelIndex | QPersistentModelIndex


# --- Words and dates ----------------------------------------------------------------------------


def display_name(patient: Patient) -> str:
    """'DUPONT Marie': the family name in capitals first, as French care records write it."""
    return " ".join(part for part in (patient.family.upper(), patient.given) if part)


def born_text(patient: Patient, day: str) -> str:
    """'née le …' / 'né le …' / 'né(e) le …' by the patient's sex."""
    if patient.sex == "female":
        return QCoreApplication.translate("Patients", "née le {day}").format(day=day)
    if patient.sex == "male":
        return QCoreApplication.translate("Patients", "né le {day}").format(day=day)
    return QCoreApplication.translate("Patients", "né(e) le {day}").format(day=day)


def row_details(patient: Patient) -> str:
    """The second line of a row: birth date, sex when known, INS when known."""
    parts = [born_text(patient, numeric_date(patient.birth_date))]
    if patient.sex in SEX_LABELS:
        parts.append(QCoreApplication.translate("Patients", SEX_LABELS[patient.sex]))
    if patient.ins:
        parts.append(f"INS {format_ins(patient.ins)}")
    return " · ".join(parts)


def patient_text(patient: Patient) -> str:
    """What a screen reader says of a row."""
    return f"{display_name(patient)}, {row_details(patient)}"


def matches(patient: Patient, text: str) -> bool:
    """The local filter: every word of `text` is in the name, the birth date or the INS; digits
    alone (an INS typed with or without its spaces) match the INS only."""
    compact = text.replace(" ", "")
    if compact.isdigit():
        return compact in (patient.ins or "")
    haystack = fold(
        " ".join(
            (
                patient.family,
                patient.given,
                numeric_date(patient.birth_date),
                patient.birth_date.isoformat(),
                (patient.ins or ""),
                patient.city,
            )
        )
    )
    return all(word in haystack for word in fold(text).split())


def parse_day(text: str) -> dt.date | None:
    """'12/03/1985', '12-03-1985', '12.03.1985' or '1985-03-12'; '' gives None.

    Raises ValueError for anything else."""
    if not text.strip():
        return None
    day = parse_birth_date(text)
    if day is None:
        raise ValueError(text)
    return day


def unfollowed(patient: Patient) -> Patient:
    """The patient as the directory shows them once I no longer follow them: no contact
    details."""
    return dataclasses.replace(patient, in_file_active=False, email=None, mobile=None, city="")


def team_addresses(team: CareTeam, me: str | None = None) -> list[Address]:
    """The care team's MSSanté addresses, each once, without mine (one does not write to
    oneself)."""
    mine = (me or "").casefold()
    seen: set[str] = set()
    out: list[Address] = []
    for member in team.members:
        email = (member.mssante_address or "").strip()
        key = email.casefold()
        if not email or key == mine or key in seen:
            continue
        seen.add(key)
        out.append(Address(member.name or None, email))
    return out


# --- Models and delegates -----------------------------------------------------------------------


def _initials(patient: Patient) -> str:
    parts = (plain_text(patient.family).strip(), plain_text(patient.given).strip())
    return "".join(part[:1].upper() for part in parts if part)


class PatientDelegate(QStyledItemDelegate):
    """Initials, 'NOM Prénom', then birth date · sex · INS. In the directory's results, a
    "Suivre" button on the patients not followed yet, a "Suivi" mark on the others."""

    followClicked = Signal(object)  # Patient

    def __init__(self, parent: QWidget | None = None, with_follow: bool = False) -> None:
        super().__init__(parent)
        self.with_follow = with_follow

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        return QSize(320, ROW_HEIGHT)

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

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        patient = index.data(PatientRole)
        if not isinstance(patient, Patient):
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect
        paint_row(painter, option, divider_left=64)

        small, bold = row_fonts(option.font)

        avatar = QRect(rect.left() + 16, rect.center().y() - 17, 34, 34)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#e1eff3"))
        painter.drawEllipse(avatar)
        initials = QFont(option.font)
        initials.setPixelSize(13)
        initials.setWeight(QFont.Weight.DemiBold)
        painter.setFont(initials)
        painter.setPen(ACCENT)
        painter.drawText(avatar, Qt.AlignmentFlag.AlignCenter, _initials(patient))

        right = rect.right() - 16
        if self.with_follow:
            button = self.follow_rect(rect, patient, option.font)
            label = QFont(small)
            label.setWeight(QFont.Weight.DemiBold)
            painter.setFont(label)
            if patient.in_file_active:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor("#dcefe9"))
                painter.drawRoundedRect(button, 13, 13)
                painter.setPen(QColor("#0b5e52"))
            else:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(ACCENT)
                painter.drawRoundedRect(button, 6, 6)
                painter.setPen(WHITE)
            painter.drawText(button, Qt.AlignmentFlag.AlignCenter, self._label(patient))
            right = button.left() - 12

        left = avatar.right() + 14
        width = max(40, right - left)
        painter.setFont(bold)
        painter.setPen(TEXT)
        paint_text(painter, QRect(left, rect.top() + 10, width, 20), display_name(patient))
        painter.setFont(small)
        painter.setPen(MUTED)
        paint_text(painter, QRect(left, rect.top() + 31, width, 18), row_details(patient))
        painter.restore()

    def editorEvent(
        self, event: QEvent, model: Any, option: QStyleOptionViewItem, index: _Index
    ) -> bool:
        if (
            self.with_follow
            and event.type() == QEvent.Type.MouseButtonRelease
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
        ):
            patient = index.data(PatientRole)
            if isinstance(patient, Patient) and not patient.in_file_active:
                button = self.follow_rect(option.rect, patient, option.font)
                if button.contains(event.position().toPoint()):
                    self.followClicked.emit(patient)
                    return True
        return super().editorEvent(event, model, option, index)


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


class CareTeamDelegate(QStyledItemDelegate):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.me: str | None = None  # my address: that member is shown as "(vous)"

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        return QSize(280, MEMBER_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        member = index.data(MemberRole)
        if not isinstance(member, CareTeamMember):
            return
        painter.save()
        rect = option.rect
        paint_row(painter, option, divider_left=16)
        small, bold = row_fonts(option.font)
        width = max(40, rect.width() - 32)
        left = rect.left() + 16
        lines = (
            (bold, TEXT, self._name(member), rect.top() + 6),
            (small, MUTED, member_role(member), rect.top() + 26),
            (
                small,
                ACCENT if member.mssante_address else FAINT,
                member.mssante_address
                or QCoreApplication.translate("Patients", "Pas d'adresse MSSanté connue"),
                rect.top() + 42,
            ),
        )
        for font, color, text, top in lines:
            painter.setFont(font)
            painter.setPen(color)
            paint_text(painter, QRect(left, top, width, 18), text)
        painter.restore()

    def _name(self, member: CareTeamMember) -> str:
        mine = (
            bool(self.me)
            and (member.mssante_address or "").casefold() == (self.me or "").casefold()
        )
        if mine:
            return QCoreApplication.translate("Patients", "{name} (vous)").format(name=member.name)
        return member.name


def _list(model: QAbstractListModel, delegate: QStyledItemDelegate, name: str) -> QListView:
    view = QListView()
    view.setObjectName(name)
    view.setModel(model)
    view.setItemDelegate(delegate)
    view.setUniformItemSizes(True)
    view.setMouseTracking(True)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setFrameShape(QFrame.Shape.NoFrame)
    return view


def _set_error(label: QLabel, text: str, error: bool = False) -> None:
    label.setText(text)
    label.setVisible(bool(text))
    theme.restyle(label, error=error)


# --- The page -----------------------------------------------------------------------------------


class PatientsView(QWidget):
    """Ma file active, the regional patient directory, and the selected patient's file.

    `composeRequested(list[Address])`: write to the selected patient's care team;
    `messagesRequested(str)`: show the messages about the patient with this INS."""

    composeRequested = Signal(object)
    messagesRequested = Signal(str)

    FILE_ACTIVE, DIRECTORY = 0, 1

    def __init__(self, session: AccountSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientsView")
        self.session = session
        self.followed: list[Patient] = []
        self.me: str | None = None
        self.loading = False
        self.load_task: asyncio.Future[Any] | None = None
        self.search_task: asyncio.Future[Any] | None = None
        self.team_task: asyncio.Future[Any] | None = None
        self.action_task: asyncio.Future[Any] | None = None
        self.confirm_box: QMessageBox | None = None
        self.reason_dialog: FollowReasonDialog | None = None
        self.reasons: list[FollowReason] | None = None  # the server's, asked once
        self.team: CareTeam | None = None
        self._selected: Patient | None = None
        self._loaded_at = 0.0
        self._load_failed = False

        title = PlainLabel(self.tr("Mes patients"))
        title.setObjectName("pageTitle")
        self.refresh_button = QPushButton(theme.icon("refresh"), self.tr("Actualiser"))
        header = QHBoxLayout()
        header.setSpacing(8)
        header.addWidget(title, 1)
        header.addWidget(self.refresh_button)

        self.status_label = PlainLabel()
        self.status_label.setObjectName("statusLine")
        self.status_label.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(16)
        layout.addLayout(header)
        layout.addWidget(self.status_label)
        columns = QHBoxLayout()
        columns.setSpacing(16)
        columns.addWidget(self._build_lists(), 5)
        columns.addWidget(self._build_panel(), 4)
        layout.addLayout(columns, 1)

        self.refresh_button.clicked.connect(self.refresh)
        self._show_patient(None)
        self.refresh()

    # Building ----------------------------------------------------------------------------------

    def _build_lists(self) -> QFrame:
        card = QFrame()
        card.setObjectName("listCard")
        box = QVBoxLayout(card)
        box.setContentsMargins(0, 12, 0, 0)
        box.setSpacing(8)

        tabs = QHBoxLayout()
        tabs.setContentsMargins(16, 0, 16, 0)
        tabs.setSpacing(0)
        self.file_tab = QPushButton(self.tr("Ma file active"))
        self.directory_tab = QPushButton(self.tr("Rechercher dans l'annuaire patient régional"))
        self.tab_group = QButtonGroup(self)
        for number, button in enumerate((self.file_tab, self.directory_tab)):
            button.setObjectName("segment")
            button.setCheckable(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            self.tab_group.addButton(button, number)
            tabs.addWidget(button)
        tabs.addStretch(1)
        self.file_tab.setChecked(True)
        box.addLayout(tabs)

        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_file_active())
        self.stack.addWidget(self._build_directory())
        box.addWidget(self.stack, 1)
        self.tab_group.idClicked.connect(self.show_tab)
        return card

    def _build_file_active(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("filterField")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setPlaceholderText(
            self.tr("Filtrer ma file active : nom, date de naissance, INS")
        )
        self.filter_edit.addAction(theme.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.filter_edit.textChanged.connect(lambda _t: self._apply_filter())
        row = QHBoxLayout()
        row.setContentsMargins(16, 0, 16, 0)
        row.addWidget(self.filter_edit)
        column.addLayout(row)
        self.file_model = RecordList(patient_text, parent=self)
        self.file_list = _list(self.file_model, PatientDelegate(self), "fileActiveList")
        self.file_list.selectionModel().currentChanged.connect(
            lambda current, _previous: self._picked(current)
        )
        self.file_empty = PlainLabel()
        self.file_empty.setObjectName("emptyState")
        self.file_empty.setWordWrap(True)
        self.file_empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.file_empty.hide()
        column.addWidget(self.file_list, 1)
        column.addWidget(self.file_empty, 1)
        return page

    def _build_directory(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)

        self.search_button = QPushButton(theme.icon("search-light"), self.tr("Rechercher"))
        self.search_button.setObjectName("primaryButton")
        self.search_form = PatientSearchForm(trailing=self.search_button)
        self.search_form.setContentsMargins(16, 0, 16, 0)
        column.addWidget(self.search_form)
        self.search_form.submitted.connect(self.search)
        self.search_button.clicked.connect(self.search)

        self.search_hint = PlainLabel()
        self.search_hint.setObjectName("hint")
        self.search_hint.setWordWrap(True)
        self.search_hint.setContentsMargins(16, 0, 16, 0)
        self.search_hint.hide()
        column.addWidget(self.search_hint)

        self.results_model = RecordList(patient_text, parent=self)
        self.results_delegate = PatientDelegate(self, with_follow=True)
        self.results_delegate.followClicked.connect(self.ask_follow)
        self.results_list = _list(self.results_model, self.results_delegate, "patientResults")
        self.results_list.selectionModel().currentChanged.connect(
            lambda current, _previous: self._picked(current)
        )
        self.results_list.hide()
        column.addWidget(self.results_list, 1)

        self.create_offer = QFrame()
        self.create_offer.setObjectName("createOffer")
        offer = QHBoxLayout(self.create_offer)
        offer.setContentsMargins(16, 0, 16, 0)
        offer.setSpacing(8)
        offer_text = PlainLabel(self.tr("Ce patient ne possède pas de dossier ?"))
        offer_text.setObjectName("hint")
        self.create_button = QPushButton(theme.icon("patient"), self.tr("Créer le dossier"))
        self.create_button.clicked.connect(self.show_create_form)
        offer.addWidget(offer_text, 1)
        offer.addWidget(self.create_button)
        self.create_offer.hide()
        column.addWidget(self.create_offer)

        column.addWidget(self._build_create_form())
        column.addStretch(0)
        return page

    def _build_create_form(self) -> QFrame:
        self.create_form = QFrame()
        self.create_form.setObjectName("createCard")
        outer = QVBoxLayout(self.create_form)
        outer.setContentsMargins(16, 12, 16, 12)
        outer.setSpacing(8)
        heading = PlainLabel(self.tr("Créer le dossier du patient"))
        heading.setObjectName("panelHeading")
        outer.addWidget(heading)
        grid = QFormLayout()
        grid.setSpacing(8)
        grid.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.new_family = QLineEdit()
        self.new_usual = QLineEdit()
        self.new_usual.setPlaceholderText(self.tr("Facultatif"))
        self.new_given = QLineEdit()
        self.new_birth = QLineEdit()
        self.new_birth.setPlaceholderText(self.tr("JJ/MM/AAAA"))
        self.new_sex = QComboBox()
        for value, label in SEX_CHOICES:
            self.new_sex.addItem(QCoreApplication.translate("Patients", label), value)
        self.new_ins = QLineEdit()
        self.new_ins.setPlaceholderText(self.tr("Facultatif : 15 caractères"))
        grid.addRow(self.tr("Nom de naissance"), self.new_family)
        grid.addRow(self.tr("Nom d'usage"), self.new_usual)
        grid.addRow(self.tr("Prénom"), self.new_given)
        grid.addRow(self.tr("Date de naissance"), self.new_birth)
        grid.addRow(self.tr("Sexe"), self.new_sex)
        grid.addRow(self.tr("INS"), self.new_ins)
        outer.addLayout(grid)
        self.create_hint = PlainLabel()
        self.create_hint.setObjectName("hint")
        self.create_hint.setWordWrap(True)
        self.create_hint.hide()
        outer.addWidget(self.create_hint)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.create_cancel = QPushButton(self.tr("Annuler"))
        self.create_submit = QPushButton(self.tr("Créer et suivre"))
        self.create_submit.setObjectName("primaryButton")
        buttons.addWidget(self.create_cancel)
        buttons.addWidget(self.create_submit)
        outer.addLayout(buttons)
        self.create_cancel.clicked.connect(self._cancel_create)
        self.create_submit.clicked.connect(self.create_patient)
        self.create_form.hide()
        return self.create_form

    def _build_panel(self) -> QFrame:
        panel = QFrame()
        panel.setObjectName("patientPanel")
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 16, 0, 16)
        column.setSpacing(8)

        self.panel_empty = PlainLabel(
            self.tr("Choisissez un patient pour voir son identité et son équipe de soins.")
        )
        self.panel_empty.setObjectName("emptyState")
        self.panel_empty.setWordWrap(True)
        self.panel_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addWidget(self.panel_empty, 1)

        self.panel_body = QWidget()
        body = QVBoxLayout(self.panel_body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(8)
        identity = QVBoxLayout()
        identity.setContentsMargins(16, 0, 16, 0)
        identity.setSpacing(4)
        self.name_label = PlainLabel()
        self.name_label.setObjectName("patientName")
        self.name_label.setWordWrap(True)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.identity_label = PlainLabel()
        self.identity_label.setObjectName("patientIdentity")
        self.identity_label.setWordWrap(True)
        self.identity_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_label = PlainLabel()
        self.details_label.setObjectName("patientDetails")
        self.details_label.setWordWrap(True)
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        identity.addWidget(self.name_label)
        identity.addWidget(self.identity_label)
        identity.addWidget(self.details_label)
        body.addLayout(identity)

        follow_row = QHBoxLayout()
        follow_row.setContentsMargins(16, 0, 16, 0)
        self.followed_mark = PlainLabel(self.tr("Dans ma file active"))
        self.followed_mark.setObjectName("followedMark")
        self.follow_button = QPushButton()
        self.follow_button.clicked.connect(self._toggle_follow)
        follow_row.addWidget(self.followed_mark)
        follow_row.addStretch(1)
        follow_row.addWidget(self.follow_button)
        body.addLayout(follow_row)

        # Two sections, one at a time: the care team, the access journal.
        sections = QHBoxLayout()
        sections.setContentsMargins(16, 0, 16, 0)
        sections.setSpacing(0)
        self.team_tab = QPushButton(self.tr("Équipe de soins"))
        self.journal_tab = QPushButton(self.tr("Journal des accès"))
        self.section_group = QButtonGroup(self)
        for number, button in enumerate((self.team_tab, self.journal_tab)):
            button.setObjectName("segment")
            button.setCheckable(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            self.section_group.addButton(button, number)
            sections.addWidget(button)
        sections.addStretch(1)
        self.team_tab.setChecked(True)
        body.addLayout(sections)
        self.sections = QStackedWidget()
        team_page = QWidget()
        team_box = QVBoxLayout(team_page)
        team_box.setContentsMargins(0, 0, 0, 0)
        team_box.setSpacing(8)
        self.team_status = PlainLabel()
        self.team_status.setObjectName("hint")
        self.team_status.setWordWrap(True)
        self.team_status.setContentsMargins(16, 0, 16, 0)
        team_box.addWidget(self.team_status)
        self.team_model = RecordList(member_text, member_tooltip, self)
        self.team_delegate = CareTeamDelegate(self)
        self.team_list = _list(self.team_model, self.team_delegate, "careTeamList")
        self.team_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        team_box.addWidget(self.team_list, 1)
        self.sections.addWidget(team_page)
        self.access_log = AccessLogPanel(self.session)
        self.sections.addWidget(self.access_log)
        self.section_group.idClicked.connect(self.sections.setCurrentIndex)
        body.addWidget(self.sections, 1)

        actions = QVBoxLayout()
        actions.setContentsMargins(16, 0, 16, 0)
        actions.setSpacing(8)
        self.write_button = QPushButton(
            theme.icon("action-compose-light"), self.tr("Écrire à l'équipe de soins")
        )
        self.write_button.setObjectName("primaryButton")
        self.messages_button = QPushButton(theme.icon("mail-inbox"), self.tr("Voir les messages"))
        self.file_button = QPushButton(theme.icon("external-link"), self.tr("Ouvrir le dossier"))
        self.file_button.setToolTip(self.tr("Le dossier du patient sur le portail régional"))
        second = QHBoxLayout()
        second.setSpacing(8)
        second.addWidget(self.messages_button)
        second.addWidget(self.file_button)
        actions.addWidget(self.write_button)
        actions.addLayout(second)
        self.feedback_label = PlainLabel()
        self.feedback_label.setObjectName("hint")
        self.feedback_label.setWordWrap(True)
        self.feedback_label.hide()
        actions.addWidget(self.feedback_label)
        body.addLayout(actions)
        column.addWidget(self.panel_body, 1)

        self.write_button.clicked.connect(self.write_to_team)
        self.messages_button.clicked.connect(self.show_messages)
        self.file_button.clicked.connect(self.open_file)
        return panel

    # The file active ---------------------------------------------------------------------------

    async def _fetch(self) -> list[Patient]:
        client = await self.session.regional()
        patients = await client.file_active()
        self.me = (await self.session.own_address()).email
        self.team_delegate.me = self.me
        return patients

    def refresh(self) -> asyncio.Future[Any]:
        """Loads the file active again (the selected patient stays selected if still there)."""
        if self.load_task is not None and not self.load_task.done():
            return self.load_task
        if not self.session.online:
            self._offline()
            done: asyncio.Future[Any] = asyncio.get_event_loop().create_future()
            done.set_result(None)
            return done
        self._set_status(self.tr("Chargement de votre file active…"))
        self.refresh_button.setEnabled(False)
        self.loading = True

        def loaded(patients: list[Patient]) -> None:
            self.loading = False
            self._load_failed = False
            self.refresh_button.setEnabled(True)
            self._loaded_at = time.monotonic()
            self._set_enabled(True)
            self.show_file_active(patients)

        def failed(message: str) -> None:
            self.loading = False
            self._load_failed = True
            self.refresh_button.setEnabled(True)
            self._set_status(message, error=True)
            self.file_empty.setText(self.tr("La file active n'a pas pu être chargée."))
            self.file_empty.show()
            self.file_list.hide()

        self.load_task = tasks.run(self._fetch(), self, loaded, failed)
        return self.load_task

    def _offline(self) -> None:
        self._load_failed = True
        self._set_status(
            self.tr(
                "Mes patients n'est pas disponible hors connexion : la file active et l'annuaire "
                "patient sont sur le serveur régional. Réessayez une fois la connexion revenue."
            ),
            error=True,
        )
        self._set_enabled(False)
        self.file_empty.setText(self.tr("Hors connexion."))
        self.file_empty.show()
        self.file_list.hide()

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.filter_edit, self.search_button, self.create_button):
            widget.setEnabled(enabled)

    def show_file_active(self, patients: list[Patient]) -> None:
        self.followed = list(patients)
        n = len(patients)
        self.file_tab.setText(self.tr("Ma file active ({n})").format(n=n))
        if n == 0:
            self._set_status(
                self.tr(
                    "Votre file active est vide : cherchez vos patients dans l'annuaire patient "
                    "régional et ajoutez-les."
                )
            )
        elif n == 1:
            self._set_status(self.tr("Vous suivez 1 patient."))
        else:
            self._set_status(self.tr("Vous suivez {n} patients.").format(n=n))
        followed_ids = {p.id for p in patients}
        # The directory's results say "Suivi" for exactly the patients followed now.
        for patient in self.results_model.rows():
            if patient.in_file_active != (patient.id in followed_ids):
                self.results_model.replace(
                    dataclasses.replace(patient, in_file_active=patient.id in followed_ids)
                )
        self._apply_filter()
        selected = self._selected
        if selected is not None:
            now = next((p for p in patients if p.id == selected.id), None)
            if now is not None or selected.in_file_active:
                self._show_patient(now or unfollowed(selected))

    def _apply_filter(self) -> None:
        text = self.filter_edit.text()
        rows = [p for p in self.followed if matches(p, text)] if text.strip() else self.followed
        keep = self._selected.id if self._selected is not None else None
        self.file_model.set_rows(rows)
        if rows:
            self.file_empty.hide()
            self.file_list.show()
        else:
            self.file_empty.setText(
                self.tr("Aucun patient de votre file active ne correspond à « {text} ».").format(
                    text=text.strip()
                )
                if text.strip()
                else self.tr("Aucun patient dans votre file active.")
            )
            self.file_empty.show()
            self.file_list.hide()
        if keep is not None:
            row = self.file_model.row_of(keep)
            if row >= 0:
                self.file_list.selectionModel().blockSignals(True)
                self.file_list.setCurrentIndex(self.file_model.index(row))
                self.file_list.selectionModel().blockSignals(False)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        stale = self._loaded_at and time.monotonic() - self._loaded_at > STALE_AFTER_S
        if stale or (self._load_failed and self.session.online):
            self.refresh()

    def show_tab(self, number: int) -> None:
        self.stack.setCurrentIndex(number)
        (self.file_tab if number == self.FILE_ACTIVE else self.directory_tab).setChecked(True)
        if number == self.DIRECTORY:
            self.search_form.family_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    # The regional patient directory ------------------------------------------------------------

    def search(self) -> asyncio.Future[Any] | None:
        """Searches the regional directory by name and birth date, or by INS (search_form.py
        says what is missing before the server is asked)."""
        if not self.session.online:
            _set_error(
                self.search_hint,
                self.tr("L'annuaire patient régional n'est pas disponible hors connexion."),
                error=True,
            )
            return None
        try:
            criteria = self.search_form.criteria()
        except IncompleteSearch as problem:
            _set_error(self.search_hint, problem.message, error=True)
            return None
        _set_error(self.search_hint, self.tr("Recherche dans l'annuaire patient régional…"))
        self.search_button.setEnabled(False)
        self.create_offer.hide()

        async def find() -> PatientMatches:
            client = await self.session.regional()
            return await client.search_patients(
                criteria.family, criteria.birth_date, given=criteria.given, ins=criteria.ins
            )

        def found(matches: PatientMatches) -> None:
            patients = matches.patients
            self.search_button.setEnabled(True)
            self.results_model.set_rows(patients)
            self.results_list.setVisible(bool(patients))
            self.create_offer.setVisible(True)
            if not patients:
                _set_error(
                    self.search_hint,
                    self.tr("Aucun patient de l'annuaire régional ne correspond à ces critères."),
                )
                self._prefill_create(criteria)
                self.show_create_form()
            elif matches.truncated:
                _set_error(
                    self.search_hint,
                    self.tr(
                        "Les {n} premiers patients trouvés : d'autres correspondent, précisez "
                        "le prénom ou cherchez par INS."
                    ).format(n=len(patients)),
                )
            elif len(patients) == 1:
                _set_error(self.search_hint, self.tr("1 patient trouvé."))
            else:
                _set_error(
                    self.search_hint, self.tr("{n} patients trouvés.").format(n=len(patients))
                )

        def failed(message: str) -> None:
            self.search_button.setEnabled(True)
            _set_error(self.search_hint, message, error=True)

        self.search_task = tasks.run(find(), self, found, failed, key="search")
        return self.search_task

    def _prefill_create(self, criteria: Criteria) -> None:
        """What was searched goes into the form."""
        self.new_family.setText(criteria.family or "")
        self.new_given.setText(criteria.given or "")
        if criteria.birth_date is not None:
            self.new_birth.setText(numeric_date(criteria.birth_date))
        if criteria.ins:
            self.new_ins.setText(criteria.ins)

    def show_create_form(self) -> None:
        _set_error(self.create_hint, "")
        self.create_offer.hide()
        self.create_form.show()
        self.new_family.setFocus(Qt.FocusReason.OtherFocusReason)

    def _cancel_create(self) -> None:
        self.create_form.hide()
        self.create_offer.show()

    def create_patient(self) -> asyncio.Future[Any] | None:
        """Asks why I follow the patient, then creates the patient's file in the regional
        directory (its creator follows the patient)."""
        family = self.new_family.text().strip()
        usual = self.new_usual.text().strip()
        given = self.new_given.text().strip()
        ins = self.new_ins.text().replace(" ", "").strip()
        if not family or not given:
            _set_error(
                self.create_hint, self.tr("Le nom et le prénom sont obligatoires."), error=True
            )
            return None
        try:
            born = parse_day(self.new_birth.text())
        except ValueError:
            born = None
        if born is None:
            _set_error(
                self.create_hint,
                self.tr("Indiquez la date de naissance sous la forme JJ/MM/AAAA."),
                error=True,
            )
            return None
        sex: Sex = self.new_sex.currentData() or "unknown"
        name = " ".join((family.upper(), given))

        def create(reason: str) -> None:
            _set_error(self.create_hint, self.tr("Création du dossier…"))
            self.create_submit.setEnabled(False)

            async def send() -> Patient:
                client = await self.session.regional()
                return await client.create_patient(
                    given, family, born, reason=reason, sex=sex, usual_family=usual or None,
                    ins=ins or None,
                )  # fmt: skip

            self.action_task = tasks.change(send(), self, created, failed)

        def created(patient: Patient) -> None:
            self.create_submit.setEnabled(True)
            self.create_form.hide()
            for edit in (self.new_family, self.new_usual, self.new_given, self.new_birth):
                edit.clear()
            self.new_ins.clear()
            self.results_model.set_rows([patient])
            self.results_list.show()
            self.create_offer.hide()
            _set_error(
                self.search_hint,
                self.tr("Dossier de {name} créé et ajouté à votre file active.").format(
                    name=display_name(patient)
                ),
            )
            self._show_patient(patient)
            self.refresh()

        def failed(message: str) -> None:
            self.create_submit.setEnabled(True)
            _set_error(self.create_hint, message, error=True)

        return self.ask_reason(name, self.tr("Créer et suivre"), create, failed)

    # Following ---------------------------------------------------------------------------------

    def ask_reason(
        self,
        name: str,
        action: str,
        then: Callable[[str], None],
        failed: Callable[[str], None],
    ) -> asyncio.Future[Any] | None:
        """Opens the "Motif du suivi" dialog (the server's reasons, asked once); `then(code)`
        once a reason is chosen. The future (None when the reasons are known) is the asking of
        the reasons."""

        def show(reasons: list[FollowReason]) -> None:
            self.reasons = reasons
            dialog = FollowReasonDialog(reasons, name, action, self)
            dialog.chosen.connect(then)
            self.reason_dialog = dialog
            dialog.destroyed.connect(lambda *_: setattr(self, "reason_dialog", None))
            dialog.open()

        if self.reasons is not None:
            show(self.reasons)
            return None

        async def fetch() -> list[FollowReason]:
            return await (await self.session.regional()).follow_reasons()

        self.action_task = tasks.run(fetch(), self, show, failed)
        return self.action_task

    def ask_follow(self, patient: Patient) -> asyncio.Future[Any] | None:
        """ "Suivre": the reason first, then the patient joins my file active."""
        return self.ask_reason(
            display_name(patient),
            self.tr("Suivre"),
            lambda reason: self.follow(patient, reason),
            lambda message: self._flash(message, error=True),
        )

    def follow(self, patient: Patient, reason: str) -> asyncio.Future[Any]:
        """Adds the patient to my file active for `reason` (the server confirms), then reloads
        it."""

        async def add() -> Patient:
            return await (await self.session.regional()).follow_patient(patient.id, reason)

        def added(now: Patient) -> None:
            self.results_model.replace(now)
            if self._selected is not None and self._selected.id == now.id:
                self._show_patient(now)
            self._flash(
                self.tr("{name} est dans votre file active.").format(name=display_name(now))
            )
            self.refresh()

        self.action_task = tasks.change(add(), self, added, lambda m: self._flash(m, error=True))
        return self.action_task

    def ask_unfollow(self, patient: Patient) -> QMessageBox:
        """Asks before taking a patient out of the file active (the box is not modal-blocking:
        the answer arrives through its buttons)."""
        box = plain_message_box(
            self,
            QMessageBox.Icon.Question,
            self.tr("Ne plus suivre"),
            self.tr("Retirer {name} de votre file active ?").format(name=display_name(patient)),
            self.tr(
                "Le dossier du patient reste dans l'annuaire régional ; vous pourrez le suivre "
                "à nouveau."
            ),
        )
        box.setObjectName("unfollowBox")
        confirm = box.addButton(self.tr("Ne plus suivre"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Annuler"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(confirm)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(
            lambda button: self.unfollow(patient) if button is confirm else None
        )
        self.confirm_box = box
        box.destroyed.connect(lambda *_: setattr(self, "confirm_box", None))
        box.open()
        return box

    def unfollow(self, patient: Patient) -> asyncio.Future[Any]:
        async def remove() -> None:
            await (await self.session.regional()).unfollow_patient(patient.id)

        def removed(_none: None) -> None:
            now = unfollowed(patient)
            self.results_model.replace(now)
            if self._selected is not None and self._selected.id == patient.id:
                self._show_patient(now)
            self._flash(
                self.tr("{name} n'est plus dans votre file active.").format(
                    name=display_name(patient)
                )
            )
            self.refresh()

        self.action_task = tasks.change(
            remove(), self, removed, lambda m: self._flash(m, error=True)
        )
        return self.action_task

    def _toggle_follow(self) -> None:
        patient = self._selected
        if patient is None:
            return
        if patient.in_file_active:
            self.ask_unfollow(patient)
        else:
            self.ask_follow(patient)

    # The selected patient ----------------------------------------------------------------------

    def selected(self) -> Patient | None:
        return self._selected

    def _picked(self, index: QModelIndex) -> None:
        patient = index.data(PatientRole) if index.isValid() else None
        if isinstance(patient, Patient):
            other = self.results_list if index.model() is self.file_model else self.file_list
            other.selectionModel().blockSignals(True)
            other.clearSelection()
            other.setCurrentIndex(QModelIndex())
            other.selectionModel().blockSignals(False)
            self._show_patient(patient)

    def select_patient(self, patient_id: str) -> bool:
        """Selects this patient in the file active (clearing the filter if it hides them)."""
        if not any(p.id == patient_id for p in self.followed):
            return False
        if self.file_model.row_of(patient_id) < 0:
            self.filter_edit.clear()
        self.show_tab(self.FILE_ACTIVE)
        self.file_list.setCurrentIndex(self.file_model.index(self.file_model.row_of(patient_id)))
        return True

    def _show_patient(self, patient: Patient | None) -> None:
        if patient is not None and patient.in_file_active:
            # A search gives identities only: the file active's copy has the contact details.
            patient = next((p for p in self.followed if p.id == patient.id), patient)
        changed = (
            patient is None
            or self._selected is None
            or self._selected.id != patient.id
            or self._selected.in_file_active != patient.in_file_active  # the team may be visible
        )
        self._selected = patient
        self.panel_empty.setVisible(patient is None)
        self.panel_body.setVisible(patient is not None)
        if patient is None:
            self.team = None
            self.team_model.set_rows([])
            self.access_log.hide_for(None)
            return
        self.name_label.setText(display_name(patient))
        lines = [born_text(patient, long_date(patient.birth_date))]
        if patient.sex in SEX_LABELS:
            lines[0] += " · " + QCoreApplication.translate("Patients", SEX_LABELS[patient.sex])
        if patient.ins:
            lines.append(self.tr("INS : {ins}").format(ins=format_ins(patient.ins)))
        else:
            lines.append(self.tr("INS non renseigné"))
        if patient.city:
            lines.append(patient.city)
        self.identity_label.setText("\n".join(lines))
        self.details_label.setText(self._details(patient))
        self.followed_mark.setVisible(patient.in_file_active)
        self.follow_button.setText(
            self.tr("Ne plus suivre") if patient.in_file_active else self.tr("Suivre")
        )
        self.follow_button.setObjectName("" if patient.in_file_active else "primaryButton")
        theme.restyle(self.follow_button)
        has_ins = bool(patient.ins)
        self.messages_button.setEnabled(has_ins)
        self.file_button.setEnabled(
            has_ins and patient.in_file_active and self.session.regional_urls is not None
        )
        self.file_button.setToolTip(
            self.tr("Le dossier du patient sur le portail régional")
            if patient.in_file_active
            else self.tr("Suivez ce patient pour ouvrir son dossier sur le portail régional.")
        )
        self.messages_button.setToolTip(
            self.tr("Les messages de votre messagerie au sujet de ce patient")
            if has_ins
            else self.tr("Ce patient n'a pas d'INS : ses messages ne peuvent pas être retrouvés.")
        )
        if changed:
            _set_error(self.feedback_label, "")
            self.access_log.hide_for(None if patient.in_file_active else patient)
            self.load_team(patient)
        self._update_write()

    def _details(self, patient: Patient) -> str:
        """The usual name, then the contact details, which the directory gives followers only."""
        lines = []
        if patient.usual_family:
            lines.append(self.tr("Nom d'usage : {name}").format(name=patient.usual_family))
        if not patient.in_file_active:
            lines.append(
                self.tr("E-mail et mobile visibles une fois le patient dans votre file active.")
            )
        elif patient.email or patient.mobile:
            if patient.email:
                lines.append(self.tr("E-mail : {email}").format(email=patient.email))
            if patient.mobile:
                lines.append(self.tr("Mobile : {mobile}").format(mobile=patient.mobile))
        else:
            lines.append(self.tr("Ni e-mail ni mobile connus."))
        return "\n".join(lines)

    def load_team(self, patient: Patient) -> asyncio.Future[Any]:
        self.team = None
        self.team_model.set_rows([])
        self.team_list.hide()
        _set_error(self.team_status, self.tr("Chargement de l'équipe de soins…"))
        self._update_write()

        async def fetch() -> CareTeam:
            return await (await self.session.regional()).care_team(patient.id)

        def loaded(team: CareTeam) -> None:
            if self._selected is None or self._selected.id != patient.id:
                return  # another patient was chosen meanwhile
            self.team = team
            self.team_model.set_rows(team.members)
            self.team_list.setVisible(bool(team.members))
            _set_error(
                self.team_status,
                ""
                if team.members
                else self.tr("Aucun professionnel n'est encore rattaché à ce dossier."),
            )
            self._update_write()
            if patient.in_file_active:  # after the team: its reading is in the journal
                self.access_log.load(patient)

        def failed(message: str) -> None:
            if self._selected is not None and self._selected.id == patient.id:
                _set_error(self.team_status, message, error=True)

        self.team_task = tasks.run(fetch(), self, loaded, failed, key="team")
        return self.team_task

    def _update_write(self) -> None:
        addresses = team_addresses(self.team, self.me) if self.team is not None else []
        self.write_button.setEnabled(bool(addresses))
        self.write_button.setToolTip(
            plain_tooltip(
                self.tr("Un message à {n} professionnel(s) de l'équipe de soins").format(
                    n=len(addresses)
                )
                if addresses
                else self.tr("Aucune adresse MSSanté connue dans l'équipe de soins.")
            )
        )

    # Actions on the selected patient -----------------------------------------------------------

    def write_to_team(self) -> list[Address]:
        """Asks for a message to the care team (the main window opens the composer)."""
        if self.team is None:
            return []
        addresses = team_addresses(self.team, self.me)
        if addresses:
            self.composeRequested.emit(addresses)
        return addresses

    def show_messages(self) -> None:
        patient = self._selected
        if patient is not None and patient.ins:
            self.messagesRequested.emit(patient.ins)

    def open_file(self) -> bool:
        """The patient's file on the regional portal, in the system browser."""
        patient = self._selected
        urls = self.session.regional_urls
        if patient is None or not patient.ins or urls is None:
            return False
        if not QDesktopServices.openUrl(
            patient_file_url(urls.patient_file_url_template, patient.ins)
        ):
            self._flash(self.tr("Le navigateur n'a pas pu être ouvert."), error=True)
            return False
        self._flash(self.tr("Le dossier du patient s'ouvre dans votre navigateur."))
        return True

    # Messages ----------------------------------------------------------------------------------

    def _set_status(self, text: str, error: bool = False) -> None:
        _set_error(self.status_label, text, error)

    def _flash(self, text: str, error: bool = False) -> None:
        _set_error(self.feedback_label, text, error)


async def demo_screenshot(session: AccountSession) -> PatientsView:
    """The page loaded, the first followed patient selected with their care team and access
    journal (for the screenshot driver)."""
    view = PatientsView(session)
    view.resize(1040, 720)
    for _ in range(200):  # at most 10 s
        if not view.loading:
            break
        await asyncio.sleep(0.05)
    if view.file_model.rowCount():
        view.file_list.setCurrentIndex(view.file_model.index(0))
        for _ in range(200):
            if all(t is not None and t.done() for t in (view.team_task, view.access_log.task)):
                break
            await asyncio.sleep(0.05)
    return view


async def demo_journal_screenshot(session: AccountSession) -> PatientsView:
    """The same, on the patient's access journal."""
    view = await demo_screenshot(session)
    view.journal_tab.click()
    return view
