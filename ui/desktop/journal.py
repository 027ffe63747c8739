"""Journal: the recent log lines, for the user to hand to support.

The lines are those of app.logs' ring buffer, already redacted there; they are masked once more
here (the same masks, idempotent) so that nothing the ring might have missed before logging was
set up reaches the screen, the clipboard or a file. While the dialog is open, a logging handler
signals each new line to the UI thread (from any thread, through a queued Qt signal): the view
grows without polling and never blocks.
"""

from __future__ import annotations

import collections
import logging
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import logs
from app.about import window_title
from ui import file_dialogs, theme
from ui.plain import PlainLabel

CAPACITY = 2000  # lines kept in the view: the ring buffer's own size
ALL = "all"
WARNINGS = "warnings"
FEEDBACK_MS = 4000


def level_of(line: str) -> int:
    """The level of a ring line ('2026-05-04 10:12:03,456 WARNING monsisra.sync: …')."""
    fields = line.split(" ", 3)
    if len(fields) >= 3:
        level = logging.getLevelName(fields[2])
        if isinstance(level, int):
            return level
    return logging.INFO


class _LevelColours(QSyntaxHighlighter):
    """Warnings in amber, errors in red: what support looks for first stands out."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._formats: dict[int, QTextCharFormat] = {}
        for level, colour in ((logging.WARNING, "#8a5a00"), (logging.ERROR, "#b42318")):
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(colour))
            self._formats[level] = fmt

    def highlightBlock(self, text: str) -> None:
        level = level_of(text)
        if level >= logging.ERROR:
            self.setFormat(0, len(text), self._formats[logging.ERROR])
        elif level >= logging.WARNING:
            self.setFormat(0, len(text), self._formats[logging.WARNING])


class _LineSignal(QObject):
    line = Signal(int, str)


class _LiveHandler(logging.Handler):
    """Hands each new line (formatted and masked like the ring's) to the Qt signal."""

    def __init__(self) -> None:
        super().__init__()
        self.signal = _LineSignal()
        self.addFilter(logs.RedactingFilter())
        self.setFormatter(logs.ring().formatter)

    def emit(self, record: logging.LogRecord) -> None:
        self.signal.line.emit(record.levelno, self.format(record))


class JournalDialog(QDialog):
    """Recent log lines (newest at the bottom), a level filter, Copier and Enregistrer…"""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: collections.deque[tuple[int, str]] = collections.deque(maxlen=CAPACITY)
        self._handler: _LiveHandler | None = None
        self.setObjectName("journalDialog")
        self.setWindowTitle(window_title(self.tr("Journal")))
        self.setWindowIcon(theme.app_icon())
        self.setMinimumSize(560, 360)
        self.resize(920, 560)
        self._build()
        self._load()
        self._listen()

    # Building -----------------------------------------------------------------------------------

    def _build(self) -> None:
        title = PlainLabel(self.tr("Journal"))
        title.setObjectName("journalTitle")
        hint = PlainLabel(
            self.tr(
                "Les dernières lignes du journal de MonSisra. À transmettre au support : ne "
                "contient ni mot de passe ni donnée patient."
            )
        )
        hint.setObjectName("journalHint")
        hint.setWordWrap(True)

        self.filter_combo = QComboBox()
        self.filter_combo.setObjectName("journalFilter")
        self.filter_combo.addItem(self.tr("Tout"), ALL)
        self.filter_combo.addItem(self.tr("Avertissements et erreurs"), WARNINGS)
        self.filter_combo.currentIndexChanged.connect(self._render)
        show_label = PlainLabel(self.tr("Afficher"))
        show_label.setBuddy(self.filter_combo)
        self.count_label = PlainLabel()
        self.count_label.setObjectName("journalHint")
        self.copy_button = QPushButton(theme.icon("copy"), self.tr("Copier"))
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy)
        self.save_button = QPushButton(theme.icon("action-save"), self.tr("Enregistrer…"))
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self._save_clicked)
        tools = QHBoxLayout()
        tools.setSpacing(8)
        tools.addWidget(show_label)
        tools.addWidget(self.filter_combo)
        tools.addSpacing(8)
        tools.addWidget(self.count_label)
        tools.addStretch(1)
        tools.addWidget(self.copy_button)
        tools.addWidget(self.save_button)

        self.text = QPlainTextEdit()
        self.text.setObjectName("journalText")
        self.text.setReadOnly(True)
        self.text.setPlaceholderText(self.tr("Aucune ligne pour l'instant."))
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setMaximumBlockCount(CAPACITY * 4)  # a line may hold a few
        mono = QFont("DejaVu Sans Mono")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        mono.setPixelSize(12)
        self.text.setFont(mono)
        self._colours = _LevelColours(self.text.document())
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )

        self.feedback = PlainLabel()
        self.feedback.setObjectName("journalFeedback")
        self.feedback.setWordWrap(True)
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(200)
        self._count_timer.timeout.connect(lambda: self._count(len(self.shown_lines())))
        self._feedback_timer = QTimer(self)
        self._feedback_timer.setSingleShot(True)
        self._feedback_timer.setInterval(FEEDBACK_MS)
        self._feedback_timer.timeout.connect(self.feedback.clear)
        close = QPushButton(self.tr("Fermer"))
        close.setProperty("primary", True)
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addWidget(self.feedback, 1)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addSpacing(8)
        layout.addLayout(tools)
        layout.addWidget(self.text, 1)
        layout.addLayout(bottom)

    # Lines --------------------------------------------------------------------------------------

    def _load(self) -> None:
        for line in logs.ring().lines():
            self._entries.append((level_of(line), logs.redact(line)))
        self._render()

    def _listen(self) -> None:
        handler = _LiveHandler()
        handler.signal.line.connect(self._add_line)
        logging.getLogger(logs.ROOT).addHandler(handler)
        self._handler = handler
        # Deleted without being closed (its window went): the handler goes too.
        self.destroyed.connect(lambda *_: logging.getLogger(logs.ROOT).removeHandler(handler))

    def _stop_listening(self) -> None:
        if self._handler is not None:
            logging.getLogger(logs.ROOT).removeHandler(self._handler)
            self._handler = None

    def _shows(self, level: int) -> bool:
        return self.filter_combo.currentData() != WARNINGS or level >= logging.WARNING

    def shown_lines(self) -> list[str]:
        return [text for level, text in self._entries if self._shows(level)]

    def _render(self, *_args: object) -> None:
        lines = self.shown_lines()
        self.text.setPlainText("\n".join(lines))
        self._scroll_to_bottom()
        self._count(len(lines))

    def _add_line(self, level: int, line: str) -> None:
        text = logs.redact(line)
        self._entries.append((level, text))
        if not self._shows(level):
            return
        bar = self.text.verticalScrollBar()
        at_bottom = bar.value() >= bar.maximum() - 2
        self.text.appendPlainText(text)
        if at_bottom:
            self._scroll_to_bottom()
        self._count_timer.start()  # counted once a burst of lines is over, not per line

    def _scroll_to_bottom(self) -> None:
        self.text.moveCursor(QTextCursor.MoveOperation.End)
        self.text.verticalScrollBar().setValue(self.text.verticalScrollBar().maximum())

    def _count(self, n: int) -> None:
        if n == 0:
            self.count_label.setText(self.tr("aucune ligne"))
        elif n == 1:
            self.count_label.setText(self.tr("1 ligne"))
        else:
            self.count_label.setText(self.tr("{n} lignes").format(n=n))

    def journal_text(self) -> str:
        """The lines shown, as text (what Copier and Enregistrer… hand over)."""
        lines = self.shown_lines()
        return "\n".join(lines) + ("\n" if lines else "")

    # Actions ------------------------------------------------------------------------------------

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.journal_text())
        self._say(self.tr("Journal copié dans le presse-papiers."))

    def _save_clicked(self) -> None:
        self.save()

    def save(self, path: Path | None = None) -> Path | None:
        """Writes the lines shown to `path` (asked with a file dialog when not given)."""
        if path is None:
            stamp = datetime.now().strftime("%Y%m%d-%H%M")
            chosen, _ = QFileDialog.getSaveFileName(
                self,
                self.tr("Enregistrer le journal"),
                str(file_dialogs.start_folder("journal") / f"monsisra-journal-{stamp}.txt"),
                self.tr("Texte (*.txt)"),
            )
            file_dialogs.remember("journal", chosen)
            if not chosen:
                return None
            path = Path(chosen)
        try:
            path.write_text(self.journal_text(), encoding="utf-8")
        except OSError:
            self._say(
                self.tr(
                    "Le journal n'a pas pu être enregistré à cet endroit. Choisissez un autre "
                    "dossier."
                ),
                error=True,
            )
            return None
        self._say(self.tr("Journal enregistré : {name}").format(name=path.name))
        return path

    def _say(self, text: str, error: bool = False) -> None:
        self.feedback.setText(text)
        self.feedback.setProperty("error", error)
        self.feedback.style().polish(self.feedback)
        self._feedback_timer.start()

    # Closing ------------------------------------------------------------------------------------

    def done(self, result: int) -> None:
        """Closed in any way (Fermer, Échap, the window's cross): the live lines stop."""
        self._stop_listening()
        super().done(result)


def demo_screenshot(session: object) -> QWidget:
    """The journal of this run (the screenshots' own: login, sync, directory…)."""
    return JournalDialog()
