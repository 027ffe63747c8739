"""« À propos de MonSisra bureau »: what support asks first (which version, on which Qt, Python
and SQLCipher, where the data is) and what the licences require us to show (the project's
EUPL-1.2, the notices of every bundled component).

Opened from the app menu and from the login window (support is often called because the login
fails). The versions of the core come from app/about.py (SQLCipher is asked there: ui/ does not
import it) and the notices file is read, both in a worker thread: the dialog paints at once and
fills in. The notices are shown as plain text in a read-only view; a build without them (they
are generated at build time) says so instead.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import QSize, Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import about, paths
from app import settings as settings_mod
from app.about import window_title
from ui import tasks, theme
from ui.plain import PlainLabel

if TYPE_CHECKING:
    from app.session import AccountSession

LICENCE_URL = "https://joinup.ec.europa.eu/collection/eupl/eupl-text-eupl-12"
PENDING = "…"  # a version not read yet
NOTICES_TAB = 3


def notices_path() -> Path:
    return theme.resources_dir() / theme.NOTICES


def read_text(path: Path) -> str | None:
    """The file's text, None when it is not there or not readable."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


class AboutDialog(QDialog):
    """`data_root`: the folder of the accounts, caches and logs; `notices`: the third-party
    notices file (the resources' by default)."""

    def __init__(
        self,
        data_root: Path,
        parent: QWidget | None = None,
        *,
        notices: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_root = data_root
        self.notices_file = notices if notices is not None else notices_path()
        self.setObjectName("aboutDialog")
        self.setWindowTitle(window_title(self.tr("À propos")))
        self.resize(640, 560)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(12)

        header = QHBoxLayout()
        header.setSpacing(16)
        logo = PlainLabel()
        logo.setPixmap(theme.app_icon().pixmap(QSize(56, 56)))
        titles = QVBoxLayout()
        titles.setSpacing(2)
        title = PlainLabel(about.PRODUCT_NAME)
        title.setObjectName("dialogTitle")
        self.version_label = PlainLabel(
            self.tr("Version {version}").format(version=about.version())
        )
        self.version_label.setObjectName("aboutVersion")
        self.version_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        subtitle = PlainLabel(self.tr("Messagerie sécurisée de santé · GCS SARA"))
        subtitle.setObjectName("dialogIntro")
        for widget in (title, self.version_label, subtitle):
            titles.addWidget(widget)
        header.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        header.addLayout(titles, 1)
        layout.addLayout(header)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("aboutTabs")
        self.tabs.addTab(self._versions_page(), self.tr("Versions"))
        self.tabs.addTab(self._data_page(), self.tr("Données"))
        self.tabs.addTab(self._licence_page(), self.tr("Licence"))
        self.tabs.addTab(self._notices_page(), self.tr("Composants tiers"))
        assert self.tabs.count() == NOTICES_TAB + 1
        layout.addWidget(self.tabs, 1)

        buttons = QDialogButtonBox()
        self.copy_button = buttons.addButton(
            self.tr("Copier les versions"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.copy_button.setToolTip(self.tr("Pour les donner à l'assistance"))
        self.copy_button.clicked.connect(self.copy_versions)
        close = buttons.addButton(self.tr("Fermer"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.loaded = tasks.run(
            asyncio.to_thread(self._load), self, self._show_loaded, self._load_failed
        )

    # Pages --------------------------------------------------------------------------------------

    def _versions_page(self) -> QWidget:
        page = QWidget()
        self.versions_form = QFormLayout(page)
        self.versions_form.setContentsMargins(16, 16, 16, 16)
        self.versions_form.setVerticalSpacing(8)
        # A narrow window puts each value under its name instead of squeezing it.
        self.versions_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.versions: dict[str, PlainLabel] = {}
        for key, label in (
            ("app", about.PRODUCT_NAME),
            ("qt", "Qt"),
            ("pyside", "PySide6"),
            ("python", "Python"),
            ("sqlcipher", "SQLCipher"),
            ("sqlcipher_crypto", self.tr("Chiffrement du cache (SQLCipher)")),
            ("tls", self.tr("Connexions sécurisées (TLS)")),
            ("system", self.tr("Système")),
        ):
            value = PlainLabel(PENDING)
            value.setObjectName(f"version-{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.versions[key] = value
            self.versions_form.addRow(PlainLabel(label), value)
        self.versions["app"].setText(about.version())
        self.versions["qt"].setText(qVersion())
        self.versions["pyside"].setText(PYSIDE_VERSION)
        return page

    def _data_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(16, 16, 16, 16)
        column.setSpacing(8)
        self.folder_buttons: list[QPushButton] = []
        settings_dir = settings_mod.folder()
        folders = [
            (
                self.tr("Dossier des données"),
                self.tr("Vos comptes : messages enregistrés, documents, clés chiffrées, journaux."),
                self.data_root,
            )
        ]
        if settings_dir is not None and settings_dir != self.data_root:
            folders.append(
                (
                    self.tr("Dossier des paramètres"),
                    self.tr("Les paramètres de l'application (settings.json)."),
                    settings_dir,
                )
            )
        for title, what, folder in folders:
            caption = PlainLabel(title)
            caption.setObjectName("fieldLabel")
            explained = PlainLabel(what)
            explained.setObjectName("dialogIntro")
            explained.setWordWrap(True)
            shown = PlainLabel(str(folder))
            shown.setObjectName("aboutFolder")
            shown.setWordWrap(True)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            button = QPushButton(self.tr("Ouvrir le dossier"))
            button.setIcon(theme.icon("action-open"))
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, f=folder: self.open_folder(f))
            self.folder_buttons.append(button)
            for widget in (caption, explained, shown):
                column.addWidget(widget)
            column.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            column.addSpacing(8)
        note = PlainLabel(
            self.tr(
                "Désinstaller l'application laisse ces dossiers en place : vos données restent "
                "sur cet ordinateur. Pour les effacer, utilisez « Oublier ce compte sur cet "
                "ordinateur » dans les Paramètres, ou supprimez ces dossiers."
            )
        )
        note.setObjectName("dialogIntro")
        note.setWordWrap(True)
        column.addWidget(note)
        column.addStretch(1)
        return page

    def _licence_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(16, 16, 16, 16)
        self.licence_summary = PlainLabel(
            self.tr(
                "MonSisra bureau est un logiciel libre, distribué sous la {name} ({spdx}). "
                "Le texte officiel, dans toutes les langues de l'Union : {url}"
            ).format(name=about.LICENCE_NAME, spdx=about.LICENCE, url=LICENCE_URL)
        )
        self.licence_summary.setObjectName("licenceSummary")
        self.licence_summary.setWordWrap(True)
        self.licence_summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.licence_summary)
        self.licence_view = _text_view("licenceText")
        self.licence_view.hide()  # shown once the text is read, where the build carries it
        column.addWidget(self.licence_view, 1)
        column.addStretch(0)  # takes the room only when the view is hidden (no text shipped)
        return page

    def _notices_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(16, 16, 16, 16)
        intro = PlainLabel(
            self.tr(
                "MonSisra bureau est construit avec des composants libres (Qt, Python, SQLCipher, "
                "OpenSSL…). Leurs licences et leurs mentions :"
            )
        )
        intro.setObjectName("dialogIntro")
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.notices_missing = PlainLabel(
            self.tr(
                "Les mentions des composants tiers ne sont pas livrées avec cette installation "
                "(fichier {name} absent). Réinstallez MonSisra bureau depuis le paquet officiel, "
                "ou signalez-le à l'assistance."
            ).format(name=notices_path().name)
        )
        self.notices_missing.setObjectName("fieldError")
        self.notices_missing.setWordWrap(True)
        self.notices_missing.hide()
        column.addWidget(self.notices_missing)
        # Laid out for a fixed-width font (rules, indented licence texts): not wrapped.
        self.notices_view = _text_view("noticesText", wrap=False)
        self.notices_view.setPlaceholderText(self.tr("Chargement…"))
        column.addWidget(self.notices_view, 1)
        column.addStretch(0)  # takes the room only when the view is hidden (notices missing)
        return page

    # Loading ------------------------------------------------------------------------------------

    def _load(self) -> tuple[about.CoreVersions, str | None, str | None]:
        return about.core_versions(), about.licence_text(), read_text(self.notices_file)

    def _show_loaded(self, loaded: tuple[about.CoreVersions, str | None, str | None]) -> None:
        core, licence, notices = loaded
        for key in ("python", "sqlcipher", "sqlcipher_crypto", "tls", "system"):
            self.versions[key].setText(getattr(core, key))
        if licence:
            self.licence_view.setPlainText(licence)
            self.licence_view.show()
        if notices:
            self.notices_view.setPlainText(notices)
        else:
            self.notices_view.hide()
            self.notices_missing.show()

    def _load_failed(self, message_fr: str) -> None:
        for key in ("python", "sqlcipher", "sqlcipher_crypto", "tls", "system"):
            if self.versions[key].text() == PENDING:
                self.versions[key].setText(self.tr("inconnue"))
        self.notices_view.hide()
        self.notices_missing.show()

    # Actions ------------------------------------------------------------------------------------

    def versions_text(self) -> str:
        """One line per component, as shown: for support."""
        lines = []
        for row in range(self.versions_form.rowCount()):
            label_item = self.versions_form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            value_item = self.versions_form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label_item is None or value_item is None:
                continue
            label, value = label_item.widget(), value_item.widget()
            if isinstance(label, PlainLabel) and isinstance(value, PlainLabel):
                lines.append(f"{label.text()} : {value.text()}")
        return "\n".join(lines)

    def copy_versions(self) -> None:
        QGuiApplication.clipboard().setText(self.versions_text())

    def open_folder(self, folder: Path) -> bool:
        """The system's file manager on `folder` (made first: a fresh install has none yet)."""
        paths.private_dir(folder)
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def _text_view(name: str, *, wrap: bool = True) -> QPlainTextEdit:
    """A plain-text, read-only view (a licence is text, never markup); fixed-width (mail.qss)."""
    view = QPlainTextEdit()
    view.setObjectName(name)
    view.setReadOnly(True)
    view.setLineWrapMode(
        QPlainTextEdit.LineWrapMode.WidgetWidth if wrap else QPlainTextEdit.LineWrapMode.NoWrap
    )
    view.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    return view


def demo_screenshot(session: AccountSession) -> QWidget:
    """The dialog as shipped (the notices from the resources), over the demo GP's data folder."""
    return AboutDialog(session.account.ref.dir.parent.parent)  # <root>/accounts/<account>


def demo_missing_screenshot(session: AccountSession) -> QWidget:
    """A build without its third-party notices: the dialog says so, on its notices tab."""
    dialog = AboutDialog(session.account.ref.dir.parent.parent, notices=Path("/nonexistent"))
    dialog.tabs.setCurrentIndex(NOTICES_TAB)
    return dialog
