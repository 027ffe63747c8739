"""« Traces de la messagerie » (issue 14 §5): what this computer did in the mailbox and what it
received, newest first, filtered by action, period and text, exported as CSV for a spreadsheet
in French. The list is lazy (ui/traces/model.py); the export reads and writes in a thread."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.about import window_title
from app.records import TraceAction, TraceFilter
from app.session import AccountSession
from ui import file_dialogs, tasks, theme
from ui.i18n import plural
from ui.plain import PlainLabel
from ui.traces.model import TracesModel, action_text

log = logging.getLogger("monsisra.ui.traces")

SEARCH_DELAY_MS = 250
PERIODS = (None, 7, 30, 91, 365)  # days back; None: everything kept


class TracesDialog(QDialog):
    def __init__(self, session: AccountSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("tracesDialog")
        self.setWindowTitle(window_title(self.tr("Traces de la messagerie")))
        self.setWindowIcon(theme.app_icon())
        self.setMinimumSize(480, 320)
        self.resize(1100, 600)
        self.model = TracesModel(session, self)
        self.export_task: asyncio.Future[int | None] | None = None
        self._build()
        self.refresh()

    def _build(self) -> None:
        title = PlainLabel(self.tr("Traces de la messagerie"))
        title.setObjectName("journalTitle")
        hint = PlainLabel(
            self.tr(
                "Ce que cet ordinateur a fait dans votre messagerie (envois, lectures, "
                "déplacements, suppressions, accusés de lecture) et les messages reçus. Gardées "
                "chiffrées sur cet ordinateur, pendant la durée choisie dans les paramètres."
            )
        )
        hint.setObjectName("journalHint")
        hint.setWordWrap(True)

        self.action_combo = QComboBox()
        self.action_combo.setObjectName("tracesAction")
        self.action_combo.addItem(self.tr("Toutes les actions"), None)
        for action in TraceAction:
            self.action_combo.addItem(action_text(action), action.value)
        self.period_combo = QComboBox()
        self.period_combo.setObjectName("tracesPeriod")
        for days, text in zip(
            PERIODS,
            (
                self.tr("Toute la période"),
                self.tr("7 derniers jours"),
                self.tr("30 derniers jours"),
                self.tr("3 derniers mois"),
                self.tr("12 derniers mois"),
            ),
            strict=True,
        ):
            self.period_combo.addItem(text, days)
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("tracesSearch")
        self.search_edit.setPlaceholderText(self.tr("Rechercher (objet, adresse…)"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(160)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        self.action_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.period_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.export_button = QPushButton(theme.icon("action-save"), self.tr("Exporter en CSV…"))
        self.export_button.setObjectName("tracesExport")
        self.export_button.setAutoDefault(False)
        self.export_button.clicked.connect(self._export_clicked)
        # Two lines: a narrow window keeps every field readable.
        search_line = QHBoxLayout()
        search_line.setSpacing(8)
        search_line.addWidget(self.search_edit, 1)
        search_line.addWidget(self.export_button)
        filter_line = QHBoxLayout()
        filter_line.setSpacing(8)
        filter_line.addWidget(self.action_combo)
        filter_line.addWidget(self.period_combo)
        filter_line.addStretch(1)
        for combo in (self.action_combo, self.period_combo):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

        self.table = QTableView()
        self.table.setObjectName("tracesTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        digits = self.table.fontMetrics().horizontalAdvance("00/00/0000 00:00") + 24
        for column, width in (
            (TracesModel.DATE, digits),
            (TracesModel.ACTION, 110),
            (TracesModel.CORRESPONDENTS, 180),
            (TracesModel.WHO, 160),
            (TracesModel.MAILBOXES, 140),
        ):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, width)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(TracesModel.SUBJECT, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(120)  # a subject stays readable

        self.empty_label = PlainLabel()
        self.empty_label.setObjectName("tracesEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.count_label = PlainLabel()
        self.count_label.setObjectName("journalHint")
        self.feedback = PlainLabel()
        self.feedback.setObjectName("tracesFeedback")
        self.feedback.setWordWrap(True)
        close = QPushButton(self.tr("Fermer"))
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addWidget(self.feedback, 1)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addLayout(search_line)
        layout.addLayout(filter_line)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addLayout(bottom)

    # Filters ------------------------------------------------------------------------------------

    def filters(self) -> TraceFilter:
        value = self.action_combo.currentData()
        days = self.period_combo.currentData()
        return TraceFilter(
            actions=frozenset({TraceAction(value)}) if isinstance(value, str) else frozenset(),
            since=datetime.now(UTC) - timedelta(days=days) if isinstance(days, int) else None,
            text=self.search_edit.text(),
        )

    def refresh(self) -> None:
        filters = self.filters()
        self.model.load(filters)
        count = self.model.rowCount()
        self.count_label.setText(
            plural(count, self.tr("{n} trace"), self.tr("{n} traces")).format(n=count)
        )
        narrowed = bool(filters.actions or filters.since or filters.text.strip())
        self.empty_label.setText(
            self.tr("Aucune trace ne correspond à ces critères.")
            if narrowed
            else self.tr("Aucune trace pour l'instant.")
        )
        self.table.setVisible(count > 0)
        self.empty_label.setVisible(count == 0)
        self.export_button.setEnabled(count > 0)

    # Export -------------------------------------------------------------------------------------

    def _export_clicked(self) -> None:
        self.export()

    def export(self, path: Path | None = None) -> asyncio.Future[int | None] | None:
        """Writes the traces shown to a CSV file (asked with a file dialog when not given)."""
        if path is None:
            stamp = datetime.now().strftime("%Y%m%d-%H%M")
            chosen = file_dialogs.ask_save_path(
                self,
                f"monsisra-traces-{stamp}.csv",
                self.tr("Exporter les traces"),
                use="traces",
                first=file_dialogs.DOCUMENTS,
            )
            if not chosen:
                return None
            path = Path(chosen)
        headers = [  # the order of app/store/traces.write_csv's columns
            self.tr("Date"),
            self.tr("Action"),
            self.tr("Par"),
            self.tr("Correspondants"),
            self.tr("Objet"),
            self.tr("Dossiers"),
            self.tr("Message-ID"),
        ]
        filters = self.model.filters
        self.export_button.setEnabled(False)
        self.feedback.setText(self.tr("Export en cours…"))
        target = path

        def done(count: int) -> None:
            self.export_button.setEnabled(True)
            self.feedback.setText(
                plural(
                    count,
                    self.tr("{n} trace exportée dans {name}."),
                    self.tr("{n} traces exportées dans {name}."),
                ).format(n=count, name=target.name)
            )

        def failed(_message: str) -> None:
            self.export_button.setEnabled(True)
            self.feedback.setText(
                self.tr(
                    "Les traces n'ont pas pu être enregistrées dans ce fichier. Vérifiez le "
                    "dossier choisi et la place disponible, puis réessayez."
                )
            )

        self.export_task = tasks.run(
            asyncio.to_thread(
                self.session.export_traces,
                target,
                filters,
                headers,
                action_text,
                csv_when,
            ),
            self,
            done,
            failed,
            key="export",
        )
        return self.export_task


def csv_when(at: datetime) -> str:
    """Local time in the form a French spreadsheet reads as a date: 24/11/2026 14:05:09."""
    return f"{at.astimezone():%d/%m/%Y %H:%M:%S}"
