"""Téléexpertise: a paid opinion asked of an expert about a patient (FAQ). "Mes demandes" (I am the
requester) and "Demandes reçues" (I am the expert), filtered by status; the selected one in detail
with what its state and my role allow: the expert answers a requested one, the requester closes an
answered one with the compte rendu (the server files it as LOINC 85208-7). A new request names an
expert, a patient and the question, and shows what is left of the 4 per patient and per year."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar, Literal

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
    Signal,
)
from PySide6.QtGui import QColor, QDesktopServices, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app import dates
from app.dates import MONTHS_SHORT, numeric_date
from app.remote.directory import Correspondent
from app.remote.regional import ExpertProfile, PortalCode, Quota, Teleexpertise
from app.session import AccountSession
from ui import tasks, theme
from ui.cards import list_card
from ui.palette import MUTED, TEXT, paint_row, row_fonts
from ui.patient_picker import ChosenPatient, PatientDialog
from ui.plain import PlainLabel, paint_text, plain_message_box
from ui.record_list import RECORD_ROLE, RecordList

TeleexpertiseRole = RECORD_ROLE
ROW_HEIGHT = 76
Status = Literal["requested", "answered", "closed"]

STATUS_LABELS = {
    "requested": QT_TRANSLATE_NOOP("Teleexpertise", "Demandée"),
    "answered": QT_TRANSLATE_NOOP("Teleexpertise", "Répondue"),
    "closed": QT_TRANSLATE_NOOP("Teleexpertise", "Clôturée"),
}
STATUS_COLORS = {  # (background, text)
    "requested": (QColor("#fdf0d5"), QColor("#8a5a00")),
    "answered": (QColor("#dcefe9"), QColor("#0b5e52")),
    "closed": (QColor("#e9ecef"), QColor("#3e4c59")),
}
FILTERS: tuple[tuple[object, Status | None], ...] = (
    (QT_TRANSLATE_NOOP("Teleexpertise", "Tous les statuts"), None),
    (QT_TRANSLATE_NOOP("Teleexpertise", "Demandées"), "requested"),
    (QT_TRANSLATE_NOOP("Teleexpertise", "Répondues"), "answered"),
    (QT_TRANSLATE_NOOP("Teleexpertise", "Clôturées"), "closed"),
)
OFFLINE_FR = QT_TRANSLATE_NOOP(
    "Teleexpertise",
    "Hors connexion : la téléexpertise sera disponible dès que le serveur répondra à nouveau.",
)

_Index = QModelIndex | QPersistentModelIndex


def _tr(text: object) -> str:
    """A text marked with QT_TRANSLATE_NOOP in the "Teleexpertise" context, translated."""
    return QCoreApplication.translate("Teleexpertise", str(text))


def status_label(status: str) -> str:
    return _tr(STATUS_LABELS.get(status, status))


def short_date(moment: dt.datetime | dt.date, this_year: int | None = None) -> str:
    """'24 nov.' this year, '24 nov. 2025' otherwise."""
    text = f"{moment.day} {MONTHS_SHORT[moment.month - 1]}"
    return text if moment.year == (this_year or dt.date.today().year) else f"{text} {moment.year}"


def long_date(moment: dt.datetime) -> str:
    """'le 24 novembre 2026 à 14 h 05'"""
    return f"le {dates.long_date(moment)} à {moment:%H} h {moment:%M}"


def quota_text(quota: Quota) -> str:
    """What is left of the yearly limit, in the FAQ's terms."""
    if quota.remaining <= 0:
        return QCoreApplication.translate(
            "Teleexpertise",
            "Aucune téléexpertise restante cette année pour ce patient ({used} sur {limit}).",
        ).format(used=quota.used, limit=quota.limit)
    if quota.remaining == 1:
        return QCoreApplication.translate(
            "Teleexpertise", "1 téléexpertise restante cette année pour ce patient."
        )
    return QCoreApplication.translate(
        "Teleexpertise", "{n} téléexpertises restantes cette année pour ce patient."
    ).format(n=quota.remaining)


def _same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and (a or "").casefold() == (b or "").casefold()


# --- The lists --------------------------------------------------------------------------------


def teleexpertise_model(parent: QObject) -> RecordList[Teleexpertise]:
    """A short list (a practice's requests): kept whole, painted by the delegate."""
    return RecordList(
        lambda te: f"{te.patient.name} {status_label(te.status)}", lambda te: te.question, parent
    )


class TeleexpertiseDelegate(QStyledItemDelegate):
    """Patient and status chip; the other party and the date; the question (the motive)."""

    def __init__(self, received: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.received = received  # rows where I am the expert: the other party is the requester

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        return QSize(320, ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        te = index.data(TeleexpertiseRole)
        if not isinstance(te, Teleexpertise):
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect
        paint_row(painter, option, divider_left=16)
        small, bold = row_fonts(option.font)
        fm_small = QFontMetrics(small)

        status = status_label(te.status)
        background, foreground = STATUS_COLORS.get(te.status, STATUS_COLORS["closed"])
        pill_w = fm_small.horizontalAdvance(status) + 20
        pill = QRect(rect.right() - 16 - pill_w, rect.top() + 10, pill_w, 22)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(background)
        painter.drawRoundedRect(pill, 11, 11)
        painter.setFont(small)
        painter.setPen(foreground)
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, status)

        left, top = rect.left() + 16, rect.top() + 10
        full = max(40, rect.right() - 16 - left)
        first = max(40, pill.left() - 12 - left)
        painter.setFont(bold)
        painter.setPen(TEXT)
        paint_text(painter, QRect(left, top, first, 20), te.patient.name)
        other = te.requester.name if self.received else te.expert.name
        line2 = f"{other} · {short_date(te.created_at)}"
        painter.setFont(small)
        paint_text(painter, QRect(left, top + 22, full, 18), line2)
        painter.setPen(MUTED)
        paint_text(painter, QRect(left, top + 40, full, 18), " ".join(te.question.split()))
        painter.restore()


class _List(QListView):
    def __init__(
        self, model: RecordList[Teleexpertise], received: bool, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("teleexpertiseList")
        self.setModel(model)
        self.delegate = TeleexpertiseDelegate(received, self)
        self.setItemDelegate(self.delegate)
        self.setUniformItemSizes(True)
        self.setMouseTracking(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)


# --- The page ---------------------------------------------------------------------------------


def ask_confirmation(parent: QWidget, title: str, text: str) -> bool:
    box = plain_message_box(
        parent,
        QMessageBox.Icon.Question,
        title,
        text,
        buttons=QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    box.setDefaultButton(QMessageBox.StandardButton.No)
    try:
        return box.exec() == QMessageBox.StandardButton.Yes
    finally:
        box.deleteLater()


class TeleexpertiseView(QWidget):
    """My téléexpertises, as requester and as expert, with their detail and actions."""

    openThread = Signal(str)  # the request's conversation, to show in the mail page

    def __init__(self, session: AccountSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teleexpertiseView")
        self.session = session
        # Replaceable (tests): asks "are you sure?" before an act that cannot be undone.
        self.confirm: Callable[[QWidget, str, str], bool] = ask_confirmation
        self.me: str | None = None  # my MSSanté address: tells my role in each record
        self.profile: ExpertProfile | None = None
        self.loading = False
        self.load_task: asyncio.Future[Any] | None = None
        self.action_task: asyncio.Future[Any] | None = None
        self.request_dialog: TeleexpertiseRequestDialog | None = None
        self._selected: Teleexpertise | None = None

        title = PlainLabel(self.tr("Téléexpertise"))
        title.setObjectName("pageTitle")
        self.filter_combo = QComboBox()
        for label, status in FILTERS:
            self.filter_combo.addItem(_tr(label), status)
        self.new_button = QPushButton(theme.icon("expert-light"), self.tr("Nouvelle demande"))
        self.new_button.setObjectName("primaryButton")
        self.refresh_button = QPushButton(theme.icon("refresh"), self.tr("Actualiser"))
        header = QHBoxLayout()
        header.setSpacing(8)
        header.addWidget(title, 1)
        header.addWidget(self.filter_combo)
        header.addWidget(self.refresh_button)
        header.addWidget(self.new_button)

        self.profile_label = PlainLabel()
        self.profile_label.setObjectName("hint")
        self.profile_label.setWordWrap(True)
        self.declare_button = QPushButton(
            theme.icon("external-link"), self.tr("Se déclarer comme télé-expert")
        )
        self.declare_button.setToolTip(
            self.tr("La déclaration se fait sur le portail régional, dans votre navigateur.")
        )
        self.declare_button.setVisible(False)
        profile_row = QHBoxLayout()
        profile_row.setSpacing(8)
        profile_row.addWidget(self.profile_label, 1)
        profile_row.addWidget(self.declare_button)

        self.status_label = PlainLabel()
        self.status_label.setObjectName("statusLine")
        self.status_label.setWordWrap(True)

        self.sent_model = teleexpertise_model(self)
        self.received_model = teleexpertise_model(self)
        self.sent_list = _List(self.sent_model, False, self)
        self.received_list = _List(self.received_model, True, self)
        self.sent_empty = PlainLabel(self.tr("Aucune demande envoyée."))
        self.received_empty = PlainLabel(self.tr("Aucune demande reçue."))
        column = QVBoxLayout()
        column.setSpacing(16)
        for heading, lst, empty in (
            (self.tr("Mes demandes"), self.sent_list, self.sent_empty),
            (self.tr("Demandes reçues"), self.received_list, self.received_empty),
        ):
            column.addWidget(list_card(heading, lst, empty), 1)

        self._build_detail()
        body = QHBoxLayout()
        body.setSpacing(16)
        body.addLayout(column, 5)
        body.addWidget(self.detail_card, 6)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(12)
        layout.addLayout(header)
        layout.addLayout(profile_row)
        layout.addWidget(self.status_label)
        layout.addLayout(body, 1)

        self.refresh_button.clicked.connect(self.refresh)
        self.filter_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.new_button.clicked.connect(lambda _checked=False: self.new_request())
        self.declare_button.clicked.connect(self.declare_as_expert)
        for lst in (self.sent_list, self.received_list):
            lst.selectionModel().selectionChanged.connect(
                lambda *_a, lst=lst: self._selection_moved(lst)
            )
        self.show_detail(None)
        self.refresh()

    def _build_detail(self) -> None:
        self.detail_card = QFrame()
        self.detail_card.setObjectName("detailCard")
        outer = QVBoxLayout(self.detail_card)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        inner.setObjectName("detailContent")
        box = QVBoxLayout(inner)
        box.setContentsMargins(20, 16, 20, 16)
        box.setSpacing(8)
        self.detail_title = PlainLabel()
        self.detail_title.setObjectName("detailTitle")
        self.detail_title.setWordWrap(True)
        self.detail_meta = PlainLabel()
        self.detail_meta.setObjectName("hint")
        self.detail_meta.setWordWrap(True)
        box.addWidget(self.detail_title)
        box.addWidget(self.detail_meta)
        self.sections: dict[str, tuple[QLabel, QLabel]] = {}
        for key, heading in (
            ("question", self.tr("Question")),
            ("answer", self.tr("Réponse de l'expert")),
            ("report", self.tr("Compte rendu")),
        ):
            head = PlainLabel(heading)
            head.setObjectName("fieldTitle")
            text = PlainLabel()
            text.setObjectName("fieldText")
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            box.addWidget(head)
            box.addWidget(text)
            self.sections[key] = (head, text)

        self.action_title = PlainLabel()
        self.action_title.setObjectName("fieldTitle")
        self.action_edit = QPlainTextEdit()
        self.action_edit.setObjectName("actionEdit")
        self.action_edit.setMinimumHeight(96)
        self.action_edit.setMaximumHeight(150)  # the buttons stay in sight
        self.answer_button = QPushButton(theme.icon("send"), self.tr("Répondre"))
        self.answer_button.setObjectName("primaryButton")
        self.close_button = QPushButton(theme.icon("check-light"), self.tr("Clôturer"))
        self.close_button.setObjectName("primaryButton")
        self.thread_button = QPushButton(
            theme.icon("conversation"), self.tr("Voir la conversation")
        )
        self.feedback_label = PlainLabel()
        self.feedback_label.setObjectName("hint")
        self.feedback_label.setWordWrap(True)
        box.addWidget(self.action_title)
        box.addWidget(self.action_edit)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addWidget(self.thread_button)
        buttons.addStretch(1)
        buttons.addWidget(self.answer_button)
        buttons.addWidget(self.close_button)
        box.addLayout(buttons)
        box.addWidget(self.feedback_label)
        box.addStretch(1)
        self.placeholder = PlainLabel(self.tr("Choisissez une téléexpertise pour voir son détail."))
        self.placeholder.setObjectName("emptyState")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(self.placeholder)
        scroll.setWidget(inner)
        outer.addWidget(scroll)
        self.detail_content = inner
        self.action_edit.textChanged.connect(self._update_actions)
        self.answer_button.clicked.connect(self.answer)
        self.close_button.clicked.connect(self.close_with_report)
        self.thread_button.clicked.connect(self.open_thread)

    # Loading ------------------------------------------------------------------------------------

    def status_filter(self) -> Status | None:
        value = self.filter_combo.currentData()
        return value if value in ("requested", "answered", "closed") else None

    async def _fetch(
        self, status: Status | None
    ) -> tuple[list[Teleexpertise], ExpertProfile | None]:
        client = await self.session.regional()
        items = await client.teleexpertises(status)
        self.me = (await self.session.own_address()).email
        return items, await client.expert_profile()

    def refresh(self) -> asyncio.Future[Any] | None:
        if self.load_task is not None and not self.load_task.done():
            self.load_task.cancel()
        if not self.session.online:
            self.loading = False
            self._set_status(_tr(OFFLINE_FR), error=False)
            self.profile_label.clear()
            self.declare_button.setVisible(False)
            self.new_button.setEnabled(False)
            self.load_task = None
            return None
        self._set_status(self.tr("Chargement des téléexpertises…"))
        self.loading = True

        def done(result: tuple[list[Teleexpertise], ExpertProfile | None]) -> None:
            self.loading = False
            self.new_button.setEnabled(True)
            items, profile = result
            self.show_profile(profile)
            self.show_items(items)

        def failed(message: str) -> None:
            self.loading = False
            self.new_button.setEnabled(False)
            self._set_status(message, error=False)

        self.load_task = tasks.run(
            self._fetch(self.status_filter()), self, done, failed, key="list"
        )
        return self.load_task

    def is_mine(self, te: Teleexpertise) -> bool:
        """I asked for it (else I am the expert asked)."""
        return _same(te.requester.mssante_address, self.me)

    def show_items(self, items: list[Teleexpertise]) -> None:
        keep = self._selected.id if self._selected else None
        sent = [t for t in items if self.is_mine(t)]
        received = [t for t in items if not self.is_mine(t)]
        self.sent_model.set_rows(sent)
        self.received_model.set_rows(received)
        found: Teleexpertise | None = None
        for lst, model, empty, rows in (
            (self.sent_list, self.sent_model, self.sent_empty, sent),
            (self.received_list, self.received_model, self.received_empty, received),
        ):
            lst.setVisible(bool(rows))
            empty.setVisible(not rows)
            row = model.row_of(keep) if keep else -1
            if row >= 0:
                lst.setCurrentIndex(model.index(row))
                found = model.item(row)
        self._selected = found
        self.show_detail(found)
        waiting = sum(1 for t in received if t.status == "requested")
        to_close = sum(1 for t in sent if t.status == "answered")
        parts = []
        if waiting:
            parts.append(
                self.tr("1 demande attend votre avis")
                if waiting == 1
                else self.tr("{n} demandes attendent votre avis").format(n=waiting)
            )
        if to_close:
            parts.append(
                self.tr("1 réponse à clôturer")
                if to_close == 1
                else self.tr("{n} réponses à clôturer").format(n=to_close)
            )
        self._set_status(
            " · ".join(parts) + "." if parts else self.tr("Rien n'attend d'action de votre part.")
        )

    def show_profile(self, profile: ExpertProfile | None) -> None:
        self.profile = profile
        declared = profile is not None and profile.declared
        if declared:
            assert profile is not None
            listed = (
                self.tr("visible dans l'annuaire des experts")
                if profile.listed_in_directory
                else self.tr("non visible dans l'annuaire")
            )
            self.profile_label.setText(
                self.tr("Vous êtes déclaré comme télé-expert ({listed}).").format(listed=listed)
            )
        else:
            self.profile_label.setText(
                self.tr(
                    "Vous n'êtes pas déclaré comme télé-expert : vos confrères ne peuvent pas "
                    "vous solliciter."
                )
            )
        self.declare_button.setVisible(not declared)

    # Selection and detail -----------------------------------------------------------------------

    def _selection_moved(self, lst: _List) -> None:
        indexes = lst.selectionModel().selectedRows()
        if indexes:
            other = self.received_list if lst is self.sent_list else self.sent_list
            other.clearSelection()
            item = indexes[0].data(TeleexpertiseRole)
            chosen = item if isinstance(item, Teleexpertise) else None
            if chosen is None or self._selected is None or chosen.id != self._selected.id:
                self.action_edit.clear()
                self.feedback_label.clear()
            self._selected = chosen
            self.show_detail(self._selected)
        elif not (
            self.sent_list.selectionModel().hasSelection()
            or self.received_list.selectionModel().hasSelection()
        ):
            self._selected = None
            self.show_detail(None)

    def selected(self) -> Teleexpertise | None:
        return self._selected

    def select(self, teleexpertise_id: str) -> bool:
        pairs = ((self.sent_list, self.sent_model), (self.received_list, self.received_model))
        for lst, model in pairs:
            row = model.row_of(teleexpertise_id)
            if row >= 0:
                lst.setCurrentIndex(model.index(row))
                return True
        return False

    def show_detail(self, te: Teleexpertise | None) -> None:
        for widget in (self.detail_title, self.detail_meta, self.thread_button):
            widget.setVisible(te is not None)
        self.placeholder.setVisible(te is None)
        if te is None:
            for head, text in self.sections.values():
                head.setVisible(False)
                text.setVisible(False)
            self._update_actions()
            return
        mine = self.is_mine(te)
        born = numeric_date(te.patient.birth_date)
        self.detail_title.setText(
            self.tr("{patient}, né(e) le {born}").format(patient=te.patient.name, born=born)
        )
        lines = [
            (
                self.tr("Demandée à {name}").format(name=te.expert.name)
                if mine
                else self.tr("Demandée par {name}").format(name=te.requester.name)
            )
            + f" {long_date(te.created_at)} · {status_label(te.status)}"
        ]
        if te.answered_at:
            lines.append(self.tr("Réponse reçue {when}").format(when=long_date(te.answered_at)))
        if te.closed_at:
            lines.append(self.tr("Clôturée {when}").format(when=long_date(te.closed_at)))
        self.detail_meta.setText("\n".join(lines))
        for key, value in (("question", te.question), ("answer", te.answer), ("report", te.report)):
            head, text = self.sections[key]
            head.setVisible(bool(value))
            text.setVisible(bool(value))
            text.setText(value or "")
        self.thread_button.setEnabled(bool(te.thread_id))
        self._update_actions()

    def can_answer(self) -> bool:
        te = self._selected
        return te is not None and not self.is_mine(te) and te.status == "requested"

    def can_close(self) -> bool:
        te = self._selected
        return te is not None and self.is_mine(te) and te.status == "answered"

    def _update_actions(self) -> None:
        answering, closing = self.can_answer(), self.can_close()
        busy = self.action_task is not None and not self.action_task.done()
        self.action_title.setVisible(answering or closing)
        self.action_edit.setVisible(answering or closing)
        self.answer_button.setVisible(answering)
        self.close_button.setVisible(closing)
        if answering:
            self.action_title.setText(self.tr("Votre avis"))
            self.action_edit.setPlaceholderText(self.tr("Votre réponse à la question posée…"))
        elif closing:
            self.action_title.setText(self.tr("Compte rendu de téléexpertise"))
            self.action_edit.setPlaceholderText(
                self.tr("Le compte rendu, déposé dans le dossier du patient à la clôture…")
            )
        filled = bool(self.action_edit.toPlainText().strip())
        self.answer_button.setEnabled(answering and filled and not busy)
        self.close_button.setEnabled(closing and filled and not busy)

    # Actions ------------------------------------------------------------------------------------

    def answer(self) -> asyncio.Future[Any] | None:
        te, text = self._selected, self.action_edit.toPlainText().strip()
        if te is None or not self.can_answer() or not text:
            return None
        if not self.confirm(
            self,
            self.tr("Répondre à la téléexpertise"),
            self.tr("Envoyer votre avis à {name} ? Il ne pourra plus être modifié.").format(
                name=te.requester.name
            ),
        ):
            return None

        async def send() -> Teleexpertise:
            return await (await self.session.regional()).answer_teleexpertise(te.id, text)

        return self._act(
            send(), self.tr("Votre avis a été envoyé à {name}.").format(name=te.requester.name)
        )

    def close_with_report(self) -> asyncio.Future[Any] | None:
        te, text = self._selected, self.action_edit.toPlainText().strip()
        if te is None or not self.can_close() or not text:
            return None
        if not self.confirm(
            self,
            self.tr("Clôturer la téléexpertise"),
            self.tr(
                "Clôturer cette téléexpertise ? Le compte rendu sera déposé dans le dossier du "
                "patient et envoyé à {name}."
            ).format(name=te.expert.name),
        ):
            return None

        async def close() -> Teleexpertise:
            return await (await self.session.regional()).close_teleexpertise(te.id, text)

        return self._act(close(), self.tr("Téléexpertise clôturée : le compte rendu a été déposé."))

    def _act(self, coro: Any, success: str) -> asyncio.Future[Any]:
        def done(updated: Teleexpertise) -> None:
            self.action_edit.clear()
            self._replace(updated)
            self._flash(success)
            self.refresh()

        def failed(message: str) -> None:
            self._flash(message, error=True)
            self._update_actions()

        self._flash(self.tr("Envoi…"))
        self.action_task = tasks.change(coro, self, done, failed)
        self._update_actions()
        return self.action_task

    def _replace(self, updated: Teleexpertise) -> None:
        for model in (self.sent_model, self.received_model):
            rows = model.rows()
            row = model.row_of(updated.id)
            if row >= 0:
                rows[row] = updated
                model.set_rows(rows)
        self._selected = updated
        self.select(updated.id)
        self.show_detail(updated)

    def open_thread(self) -> None:
        te = self._selected
        if te is not None and te.thread_id:
            self.openThread.emit(te.thread_id)

    def new_request(self, expert: Correspondent | None = None) -> TeleexpertiseRequestDialog:
        dialog = TeleexpertiseRequestDialog(self.session, expert, self)
        dialog.requested.connect(self._requested)
        self.request_dialog = dialog
        dialog.show()
        return dialog

    def _requested(self, te: Teleexpertise) -> None:
        self._selected = te
        self._flash(self.tr("Demande envoyée à {name}.").format(name=te.expert.name))
        self.refresh()

    def declare_as_expert(self) -> asyncio.Future[Any]:
        """The expert preferences are filled on the portal (FAQ), signed in by a one-time code."""
        urls = self.session.regional_urls

        async def code() -> PortalCode:
            return await (await self.session.regional()).portal_code("expert")

        def opened(portal: PortalCode) -> None:
            QDesktopServices.openUrl(QUrl(portal.url))

        def fallback(message: str) -> None:
            if urls is not None:
                QDesktopServices.openUrl(QUrl(urls.expert_preferences_url))
            else:
                self._set_status(message)

        return tasks.run(code(), self, opened, fallback)

    def _set_status(self, text: str, error: bool = False) -> None:
        self.status_label.setText(text)
        theme.restyle(self.status_label, error=error)

    def _flash(self, text: str, error: bool = False) -> None:
        self.feedback_label.setText(text)
        theme.restyle(self.feedback_label, error=error)


# --- A new request ----------------------------------------------------------------------------


class TeleexpertiseRequestDialog(QDialog):
    """Expert, patient, question → `requested(Teleexpertise)`; the quota left is shown once the
    patient is known, and the server's refusal (past 4 a year) is shown as it says it."""

    requested = Signal(object)
    _open: ClassVar[list[TeleexpertiseRequestDialog]] = []  # alive while shown (no parent needed)

    def __init__(
        self,
        session: AccountSession,
        expert: Correspondent | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("teleexpertiseRequestDialog")
        self.setWindowTitle(self.tr("Demander une téléexpertise"))
        self.session = session
        self.expert: Correspondent | None = None
        self.patient: ChosenPatient | None = None
        self.quota: Quota | None = None
        self.quota_task: asyncio.Future[Any] | None = None
        self.send_task: asyncio.Future[Any] | None = None
        self.expert_dialog: QDialog | None = None
        self.patient_dialog: PatientDialog | None = None

        title = PlainLabel(self.tr("Demander une téléexpertise"))
        title.setObjectName("dialogTitle")
        intro = PlainLabel(
            self.tr(
                "Une demande d'avis rémunérée sur le cas d'un patient, prise en charge dans la "
                "limite de 4 par patient et par an."
            )
        )
        intro.setObjectName("hint")
        intro.setWordWrap(True)

        self.expert_label = PlainLabel()
        self.expert_label.setObjectName("choice")
        self.expert_label.setWordWrap(True)
        self.expert_button = QPushButton(theme.icon("search"), self.tr("Choisir un expert…"))
        self.patient_label = PlainLabel()
        self.patient_label.setObjectName("choice")
        self.patient_label.setWordWrap(True)
        self.patient_button = QPushButton(theme.icon("patient"), self.tr("Choisir le patient…"))
        self.quota_label = PlainLabel()
        self.quota_label.setObjectName("hint")
        self.quota_label.setWordWrap(True)
        self.question_edit = QPlainTextEdit()
        self.question_edit.setPlaceholderText(
            self.tr("Votre question à l'expert : contexte, antécédents, ce que vous attendez…")
        )
        self.question_edit.setMinimumHeight(120)
        self.error_label = PlainLabel()
        self.error_label.setObjectName("hint")
        self.error_label.setWordWrap(True)
        self.send_button = QPushButton(theme.icon("send"), self.tr("Envoyer la demande"))
        self.send_button.setObjectName("primaryButton")
        self.cancel_button = QPushButton(self.tr("Annuler"))
        for button in (self.send_button, self.cancel_button, self.expert_button):
            button.setAutoDefault(False)
        self.patient_button.setAutoDefault(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(intro)
        for heading, label, button in (
            (self.tr("Expert"), self.expert_label, self.expert_button),
            (self.tr("Patient"), self.patient_label, self.patient_button),
        ):
            head = PlainLabel(heading)
            head.setObjectName("fieldTitle")
            layout.addWidget(head)
            row = QHBoxLayout()
            row.setSpacing(8)
            row.addWidget(label, 1)
            row.addWidget(button)
            layout.addLayout(row)
        layout.addWidget(self.quota_label)
        head = PlainLabel(self.tr("Question"))
        head.setObjectName("fieldTitle")
        layout.addWidget(head)
        layout.addWidget(self.question_edit, 1)
        layout.addWidget(self.error_label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.send_button)
        layout.addLayout(buttons)
        self.resize(560, 600)

        self.expert_button.clicked.connect(lambda _checked=False: self.choose_expert())
        self.patient_button.clicked.connect(lambda _checked=False: self.choose_patient())
        self.send_button.clicked.connect(self.send)
        self.cancel_button.clicked.connect(self.reject)
        self.question_edit.textChanged.connect(self._update)
        self.finished.connect(self._forget)
        TeleexpertiseRequestDialog._open.append(self)
        self.set_expert(expert)
        self.set_patient(None)

    def _forget(self, _result: int) -> None:
        if self in TeleexpertiseRequestDialog._open:
            TeleexpertiseRequestDialog._open.remove(self)

    def set_expert(self, expert: Correspondent | None) -> None:
        self.expert = expert
        if expert is None:
            self.expert_label.setText(self.tr("Aucun expert choisi."))
        else:
            about = expert.specialty_label or expert.profession_label or ""
            where = expert.city
            details = " · ".join(x for x in (about, where) if x)
            self.expert_label.setText(
                f"{expert.display_name} — {details}" if details else expert.display_name
            )
        self._update()

    def set_patient(self, patient: ChosenPatient | None) -> asyncio.Future[Any] | None:
        self.patient = patient
        self.quota = None
        self.quota_label.clear()
        if patient is None:
            self.patient_label.setText(self.tr("Aucun patient choisi."))
            self._update()
            return None
        self.patient_label.setText(patient.identity.display())
        self._update()
        if patient.id is None:
            return None
        patient_id = patient.id

        async def fetch() -> Quota:
            return await (await self.session.regional()).teleexpertise_quota(patient_id)

        def shown(quota: Quota) -> None:
            if self.patient is not None and self.patient.id == quota.patient_id:
                self.quota = quota
                self.quota_label.setText(quota_text(quota))
                theme.restyle(self.quota_label, error=quota.remaining <= 0)

        def failed(message: str) -> None:
            self.quota_label.setText(message)
            theme.restyle(self.quota_label, error=True)

        self.quota_task = tasks.run(fetch(), self, shown, failed, key="quota")
        return self.quota_task

    def choose_expert(self) -> QDialog:
        from ui.directory.view import DirectoryDialog  # the directory opens this form too

        dialog = DirectoryDialog(self.session, self)
        dialog.setWindowTitle(self.tr("Choisir un expert"))
        dialog.view.experts_check.setChecked(True)
        dialog.chosen.connect(lambda people: self.set_expert(people[0]) if people else None)
        self.expert_dialog = dialog
        dialog.open()
        return dialog

    def choose_patient(self) -> PatientDialog:
        dialog = PatientDialog(self.session, self)
        dialog.chosen.connect(self.set_patient)
        self.patient_dialog = dialog
        dialog.open()
        return dialog

    def _update(self) -> None:
        busy = self.send_task is not None and not self.send_task.done()
        ready = (
            self.expert is not None
            and self.patient is not None
            and self.patient.id is not None
            and bool(self.question_edit.toPlainText().strip())
        )
        self.send_button.setEnabled(ready and not busy)

    def send(self) -> asyncio.Future[Any] | None:
        expert, patient = self.expert, self.patient
        question = self.question_edit.toPlainText().strip()
        if expert is None or patient is None or patient.id is None or not question:
            return None
        patient_id = patient.id

        async def request() -> Teleexpertise:
            client = await self.session.regional()
            return await client.request_teleexpertise(
                patient_id,
                question,
                expert_address=expert.mailbox,
                expert_practitioner_id=None if expert.mailbox else expert.practitioner_id,
            )

        def done(te: Teleexpertise) -> None:
            self.requested.emit(te)
            self.accept()

        def failed(message: str) -> None:
            self.error_label.setText(message)
            theme.restyle(self.error_label, error=True)
            self._update()

        self.error_label.setText(self.tr("Envoi de la demande…"))
        theme.restyle(self.error_label, error=False)
        self.send_task = tasks.change(request(), self, done, failed)
        self._update()
        return self.send_task


async def demo_screenshot(session: AccountSession) -> TeleexpertiseView:
    """The page loaded, the answered request selected (for the screenshot driver)."""
    view = TeleexpertiseView(session)
    view.resize(1120, 720)
    for _ in range(200):  # at most 10 s
        if not view.loading:
            break
        await asyncio.sleep(0.05)
    rows = view.sent_model.rows()
    answered = next((i for i, t in enumerate(rows) if t.status == "answered"), 0 if rows else -1)
    if answered >= 0:
        view.sent_list.setCurrentIndex(view.sent_model.index(answered))
    return view
