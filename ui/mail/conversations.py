"""The conversation list: the mailbox's title, sort and filters above the lazy list of rows
(`conversation_model.py`), each painted by `conversation_delegate.py`."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QListView,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.events import MailChanged
from app.records import ConversationSummary, Filters, PatientRef, Sort
from app.session import AccountSession
from ui import browser, i18n
from ui.mail.conversation_delegate import ConversationDelegate
from ui.mail.conversation_model import SUMMARY_ROLE, ConversationModel
from ui.plain import PlainLabel, plain_caption, plain_tooltip

NAME_WIDTH = 240  # a longer patient name is shortened in the filter (whole in its tooltip)

SORTS = (
    (Sort.DATE_DESC, QT_TRANSLATE_NOOP("ConversationList", "Récents d'abord")),
    (Sort.DATE_ASC, QT_TRANSLATE_NOOP("ConversationList", "Anciens d'abord")),
    (Sort.SENDER, QT_TRANSLATE_NOOP("ConversationList", "Expéditeur")),
    (Sort.SUBJECT, QT_TRANSLATE_NOOP("ConversationList", "Objet")),
)


class ConversationList(QWidget):
    """Title, sort, filters and the list of conversations. Emits `openRequested(email_id,
    thread_id)` (the conversation's newest message in the list) when the current row changes and
    `contextMenuRequested(QPoint)` (global) for the actions menu."""

    openRequested = Signal(str, str)
    selectionEmptied = Signal()
    contextMenuRequested = Signal(QPoint)
    activated = Signal(str)  # email id: a row double-clicked or Enter pressed on it
    mailboxShown = Signal(str)  # the role of the mailbox listed now ("" for none)

    def __init__(self, session: AccountSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("conversationPane")
        self.mailbox_name = ""
        self._mailbox_id: str | None = None
        self._role: str | None = None
        self.patient: PatientRef | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)

        header = QWidget()
        header.setObjectName("conversationHeader")
        column = QVBoxLayout(header)
        column.setContentsMargins(16, 12, 16, 8)
        column.setSpacing(8)
        # The title and the sort on the first line, the filters under them: in one row, the
        # toggles were cut in a list pane of 1024 px wide window.
        title_line = QHBoxLayout()
        title_line.setSpacing(8)
        self.title = PlainLabel()
        self.title.setObjectName("conversationTitle")
        self.title.setWordWrap(True)  # a search's title quotes what was typed, at any length
        title_line.addWidget(self.title, 1)
        column.addLayout(title_line)
        tools = QHBoxLayout()
        tools.setSpacing(8)
        self.unread_filter = self._toggle(self.tr("Non lus"))
        self.attachment_filter = self._toggle(self.tr("Avec pièces jointes"))
        # On a line of its own under the title: beside the toggles and the sort it was cut at
        # 1024 px, and the user could not tell that the list was filtered.
        self.patient_filter = QPushButton()
        self.patient_filter.setObjectName("patientFilter")
        self.patient_filter.clicked.connect(lambda: self.set_patient_filter(None))
        self.patient_filter.hide()
        filter_line = QHBoxLayout()
        filter_line.addWidget(self.patient_filter)
        filter_line.addStretch(1)
        column.addLayout(filter_line)
        tools.addWidget(self.unread_filter)
        tools.addWidget(self.attachment_filter)
        tools.addStretch(1)
        self.sort_box = QComboBox()
        self.sort_box.setObjectName("sortBox")
        self.sort_box.setToolTip(self.tr("Trier par"))
        self.sort_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for sort, label in SORTS:
            self.sort_box.addItem(QCoreApplication.translate("ConversationList", str(label)), sort)
        self.sort_box.currentIndexChanged.connect(lambda _i: self.reload())
        title_line.addWidget(self.sort_box, 0, Qt.AlignmentFlag.AlignTop)
        title_line.addWidget(browser.HelpLink(session, "mail"), 0, Qt.AlignmentFlag.AlignTop)
        column.addLayout(tools)
        layout.addWidget(header)

        self.model = ConversationModel(session, self)
        self.view = QListView()
        self.view.setObjectName("conversationList")
        self.view.setModel(self.model)
        self.view.setItemDelegate(ConversationDelegate(self.model, self.view))
        self.view.setUniformItemSizes(True)
        self.view.setMouseTracking(True)
        self.view.setFrameShape(QListView.Shape.NoFrame)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(
            lambda pos: self.contextMenuRequested.emit(self.view.viewport().mapToGlobal(pos))
        )
        self.view.selectionModel().currentChanged.connect(self._on_current)
        self.view.activated.connect(self._on_activated)
        self.empty = PlainLabel(self.tr("Aucun message."))
        self.empty.setObjectName("emptyList")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty, 1)
        self.model.modelReset.connect(self._update_title)
        self.model.rowsInserted.connect(self._update_title)
        self.model.rowsRemoved.connect(self._update_title)

    def _toggle(self, text: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setCheckable(True)
        button.setObjectName("filterToggle")
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.toggled.connect(lambda _on: self.reload())
        return button

    # What is listed ----------------------------------------------------------------------------

    def set_mailbox(self, mailbox_id: str, name: str, role: str | None) -> None:
        self.mailbox_name = name
        self._role = role
        self._mailbox_id = mailbox_id
        self.reload()
        self.mailboxShown.emit(role or "")

    @property
    def role(self) -> str | None:
        return self._role

    def add_above_list(self, widget: QWidget) -> None:
        """A part of the mailbox's own between the header and the rows (Brouillons' local
        drafts)."""
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(1, widget)

    def filters(self) -> Filters:
        return Filters(
            unread=self.unread_filter.isChecked(),
            with_attachments=self.attachment_filter.isChecked(),
            patient_ins=self.patient.ins if self.patient is not None else None,
        )

    def set_patient_filter(self, patient: PatientRef | None) -> None:
        self.patient = patient if patient is None or patient.ins else None
        if self.patient is None:
            self.patient_filter.hide()
        else:
            name = self.patient.display_name()
            metrics = self.patient_filter.fontMetrics()
            shown = metrics.elidedText(name, Qt.TextElideMode.ElideRight, NAME_WIDTH)
            self.patient_filter.setText(
                plain_caption(self.tr("Filtré : {name}  ✕").format(name=shown))
            )
            self.patient_filter.setToolTip(
                plain_tooltip(
                    self.tr(
                        "Seuls les messages de {name} sont listés. Cliquez pour tout voir."
                    ).format(name=name)
                )
            )
            self.patient_filter.show()
        self.reload()

    def reload(self) -> None:
        mailbox_id = self._mailbox_id
        if mailbox_id is None or self.model.search_text is not None:
            return
        sort = self.sort_box.currentData() or Sort.DATE_DESC
        self.model.set_query(
            mailbox_id, sort, self.filters(), show_recipients=self._role in ("sent", "drafts")
        )
        self.view.scrollToTop()

    def search(self, text: str) -> None:
        """A search shows its hits (every mailbox); "" goes back to the mailbox."""
        for widget in (self.unread_filter, self.attachment_filter, self.sort_box):
            widget.setEnabled(not text)
        if text:
            self.model.set_search(text)
        else:
            self.model.search_text = None
            self.reload()
        self._update_title()

    def apply_change(self, change: MailChanged) -> None:
        self.model.apply_change(change)

    def _update_title(self, *_args: Any) -> None:
        if self.model.search_text is not None:
            n = self.model.total
            found = i18n.plural(
                n, self.tr("{n} résultat pour « {text} »"), self.tr("{n} résultats pour « {text} »")
            )
            self.title.setText(found.format(n=n, text=self.model.search_text))
        else:
            self.title.setText(self.mailbox_name)
        empty = self.model.rowCount() == 0
        self.empty.setText(
            self.tr("Aucun message ne correspond à la recherche.")
            if self.model.search_text is not None
            else self.tr("Aucun message.")
        )
        self.empty.setVisible(empty)
        self.view.setVisible(not empty)

    # Selection ---------------------------------------------------------------------------------

    def selected_threads(self) -> list[str]:
        rows = sorted(i.row() for i in self.view.selectionModel().selectedRows())
        ids = [i for r in rows if (i := self.model.id_at(r)) is not None]
        if not ids:
            current = self.model.id_at(self.view.currentIndex().row())
            ids = [current] if current is not None else []
        return ids

    def selected_ids(self) -> list[str]:
        """The messages of the selected conversations (those the rows count): actions on a row
        apply to its whole conversation, as in Gmail."""
        return self.model.email_ids(self.selected_threads())

    def selected_summaries(self) -> list[ConversationSummary]:
        rows = sorted(i.row() for i in self.view.selectionModel().selectedRows())
        if not rows and self.view.currentIndex().isValid():
            rows = [self.view.currentIndex().row()]
        return [s for r in rows if (s := self.model.summary(r)) is not None]

    def selected_summary(self) -> ConversationSummary | None:
        index = self.view.currentIndex()
        return index.data(SUMMARY_ROLE) if index.isValid() else None

    def select_row(self, row: int) -> None:
        self.view.setCurrentIndex(self.model.index(row))

    def select_thread(self, thread_id: str) -> bool:
        row = self.model.row_of(thread_id)
        if row >= 0:
            self.select_row(row)
        return row >= 0

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        summary = current.data(SUMMARY_ROLE) if current.isValid() else None
        if summary is None:
            self.selectionEmptied.emit()
            return
        self.openRequested.emit(summary.id, summary.thread_id)

    def _on_activated(self, index: QModelIndex) -> None:
        summary = index.data(SUMMARY_ROLE) if index.isValid() else None
        if summary is not None:
            self.activated.emit(summary.id)

    def context_menu(self, menu: QMenu) -> None:
        """Adds the list's own entries (patient filter) to the actions menu."""
        summary = self.selected_summary()
        if summary is not None and summary.patient is not None and summary.patient.ins:
            patient = summary.patient
            action = menu.addAction(
                plain_caption(
                    self.tr("Messages de ce patient ({name})").format(name=patient.display_name())
                )
            )
            action.triggered.connect(lambda: self.set_patient_filter(patient))
