"""The keyboard shortcuts: one table, read by the main window (its actions' keys) and by the
"Raccourcis clavier" dialog (what it lists), so that the two never disagree. The composer,
a feature of its own, keeps its keys (send, Escape to close) and a test checks they are these.

A shortcut acts in the window that has the keyboard, except the lock, which must not wait for the
user to find the main window: it acts from every window of the app (a composer, a dialog).

Keys are written in Qt's portable form ("Ctrl+Shift+R"); they are shown in the user's language
(QKeySequence's native text: "Ctrl+Maj+R", "Suppr"). The choices follow Thunderbird where it has
one (Ctrl+N, Ctrl+R, Ctrl+Shift+R, Ctrl+L to forward, Ctrl+K to search) and Outlook otherwise
(Ctrl+U mark unread, Ctrl+Shift+G follow up, Ctrl+Alt+F forward as attachment).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.about import window_title
from ui import theme
from ui.plain import PlainLabel

MAIL = str(QT_TRANSLATE_NOOP("Shortcuts", "Messages"))
WRITING = str(QT_TRANSLATE_NOOP("Shortcuts", "Rédaction"))
APP = str(QT_TRANSLATE_NOOP("Shortcuts", "Application"))
GROUPS = (MAIL, WRITING, APP)


@dataclass(frozen=True)
class Shortcut:
    name: str  # the action it triggers (MainWindow.actions[name], the composer's "send")
    label: str  # French source text, translated where shown
    keys: tuple[str, ...]  # portable key sequences; the first is the one shown in tooltips
    group: str = MAIL
    everywhere: bool = False  # in every window of the app (a composer, a dialog), not one


SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("new", str(QT_TRANSLATE_NOOP("Shortcuts", "Nouveau message")), ("Ctrl+N",)),
    Shortcut("reply", str(QT_TRANSLATE_NOOP("Shortcuts", "Répondre")), ("Ctrl+R",)),
    Shortcut(
        "reply_all", str(QT_TRANSLATE_NOOP("Shortcuts", "Répondre à tous")), ("Ctrl+Shift+R",)
    ),
    Shortcut("forward", str(QT_TRANSLATE_NOOP("Shortcuts", "Transférer")), ("Ctrl+L",)),
    Shortcut(
        "forward_attached",
        str(QT_TRANSLATE_NOOP("Shortcuts", "Transférer en pièce jointe")),
        ("Ctrl+Alt+F",),
    ),
    Shortcut(
        "mark_unread", str(QT_TRANSLATE_NOOP("Shortcuts", "Marquer comme non lu")), ("Ctrl+U",)
    ),
    Shortcut(
        "flag", str(QT_TRANSLATE_NOOP("Shortcuts", "Suivre / ne plus suivre")), ("Ctrl+Shift+G",)
    ),
    Shortcut("archive", str(QT_TRANSLATE_NOOP("Shortcuts", "Archiver")), ("Ctrl+E",)),
    Shortcut("print", str(QT_TRANSLATE_NOOP("Shortcuts", "Imprimer la conversation")), ("Ctrl+P",)),
    Shortcut(
        "delete", str(QT_TRANSLATE_NOOP("Shortcuts", "Supprimer (vers la corbeille)")), ("Del",)
    ),
    Shortcut("search", str(QT_TRANSLATE_NOOP("Shortcuts", "Rechercher")), ("Ctrl+F", "Ctrl+K")),
    Shortcut("sync", str(QT_TRANSLATE_NOOP("Shortcuts", "Synchroniser")), ("F5",)),
    Shortcut(
        "send",
        str(QT_TRANSLATE_NOOP("Shortcuts", "Envoyer le message")),
        ("Ctrl+Return", "Ctrl+Enter"),
        WRITING,
    ),
    Shortcut(
        "close",
        str(QT_TRANSLATE_NOOP("Shortcuts", "Fermer (le brouillon est gardé)")),
        ("Esc",),
        WRITING,
    ),
    Shortcut(
        "lock",
        str(QT_TRANSLATE_NOOP("Shortcuts", "Verrouiller")),
        ("Ctrl+Shift+L",),
        APP,
        everywhere=True,
    ),
    Shortcut("settings", str(QT_TRANSLATE_NOOP("Shortcuts", "Paramètres")), ("Ctrl+,",), APP),
    Shortcut(
        "shortcuts",
        str(QT_TRANSLATE_NOOP("Shortcuts", "Raccourcis clavier")),
        ("F1", "Ctrl+/"),
        APP,
    ),
    Shortcut("quit", str(QT_TRANSLATE_NOOP("Shortcuts", "Quitter")), ("Ctrl+Q",), APP),
)
BY_NAME = {s.name: s for s in SHORTCUTS}


def _tr(text: str) -> str:
    return QCoreApplication.translate("Shortcuts", text)


def sequences(name: str) -> list[QKeySequence]:
    """The key sequences of the shortcut `name` (KeyError for a name not in the table)."""
    return [QKeySequence(k) for k in BY_NAME[name].keys]


def shown(shortcut: Shortcut) -> str:
    """Its keys as the user reads them: "Ctrl+F ou Ctrl+K"."""
    native = QKeySequence.SequenceFormat.NativeText
    return QCoreApplication.translate("Shortcuts", " ou ").join(
        QKeySequence(k).toString(native) for k in shortcut.keys
    )


class ShortcutsDialog(QDialog):
    """Every shortcut of the table, by group (F1 or Ctrl+/ opens it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(window_title(self.tr("Raccourcis clavier")))
        self.resize(560, 728)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(12)
        title = PlainLabel(self.tr("Raccourcis clavier"))
        title.setObjectName("dialogTitle")
        layout.addWidget(title)
        intro = PlainLabel(
            self.tr("Dans la fenêtre principale et la rédaction ; le verrouillage, partout.")
        )
        intro.setObjectName("dialogIntro")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        ordered: list[tuple[Shortcut | None, str]] = []  # a group's heading, then its shortcuts
        for group in GROUPS:
            ordered.append((None, group))
            ordered += [(s, group) for s in SHORTCUTS if s.group == group]
        self.table = QTableWidget(len(ordered), 2)
        self.table.setObjectName("shortcutsTable")
        self.table.horizontalHeader().hide()
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setFrameShape(QFrame.Shape.NoFrame)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.listed: list[Shortcut] = []
        for row, (shortcut, group) in enumerate(ordered):
            if shortcut is None:  # a group's heading, like the navigation's
                item = QTableWidgetItem(_tr(group).upper())
                font = item.font()
                font.setBold(True)
                font.setPixelSize(12)
                item.setFont(font)
                item.setForeground(QColor(theme.MUTED))
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
                self.table.setItem(row, 0, item)
                self.table.setSpan(row, 0, 1, 2)
                self.table.setRowHeight(row, 40)
                continue
            self.listed.append(shortcut)
            self.table.setItem(row, 0, QTableWidgetItem(_tr(shortcut.label)))
            keys = QTableWidgetItem(shown(shortcut))
            keys.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            font = keys.font()
            font.setBold(True)
            keys.setFont(font)
            keys.setForeground(QColor(theme.ACCENT_DARK))
            self.table.setItem(row, 1, keys)
            self.table.setRowHeight(row, 28)
        layout.addWidget(self.table, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Fermer"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def rows(self) -> list[tuple[str, str]]:
        """(label, keys) of every listed shortcut, in order (what the user reads)."""
        out = []
        for row in range(self.table.rowCount()):
            label, keys = self.table.item(row, 0), self.table.item(row, 1)
            if label is not None and keys is not None:
                out.append((label.text(), keys.text()))
        return out


def demo_screenshot(_session: object = None) -> QWidget:
    return ShortcutsDialog()
