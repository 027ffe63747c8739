"""Paramètres: server (with a connection test), extra certificate authorities, documents kept
offline, notification privacy, auto-lock, practice location.

One calm column of sections. Nothing is written until OK, and only values the schema accepts
(ui/settings.py) reach the file: a bad server address is refused inline, in French, with the
dialog left open. A lower document budget is applied at once when an account is open (the least
recently opened documents leave the cache). The practice location comes from the directory — a
commune typed by name or postal code, or by default the user's own practice as the directory
lists it — never from invented coordinates.

The extra certificate authorities (IGC Santé roots, a hospital's own) are a PEM file chosen here,
checked when chosen (at least one CA certificate; the authorities it holds are listed, as plain
text: they come from the file) and added to this computer's store by the core, never replacing
it. The dialog also opens from the login window (no account open), since a server refused for
its certificate is where one needs it.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QLocale,
    QObject,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QIcon, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import settings as settings_mod
from app.remote.jmap import fetch_public_regional_urls
from app.remote.places import Place
from app.remote.tls import CaBundle, CaBundleError, read_ca_bundle
from app.session import AccountSession
from app.settings import PracticeLocation, Settings
from ui import tasks, theme
from ui.plain import PlainLabel, plain_text, plain_tooltip
from ui.server_address import server_url_error

log = logging.getLogger("monsisra.ui.settings")

MIB = 1024 * 1024
MAX_BUDGET_MB = 100_000
AUTOLOCK_PRESETS = (15, 30, 60, 120, 240)  # minutes; 2 h is the MSSanté reference's default
SEARCH_DELAY_MS = 300
MIN_SEARCH_CHARS = 2
COMMUNE_ROW_PX = 32

# Work started by OK that outlives the dialog (the budget's eviction): kept referenced until done.
_pending: set[asyncio.Future[Any]] = set()


def size_text(size_bytes: int) -> str:
    """'12,4 Mo' (French decimals)."""
    locale = QLocale(QLocale.Language.French, QLocale.Country.France)
    mb = size_bytes / MIB
    decimals = 0 if mb == 0 or mb >= 100 else 1
    return f"{locale.toString(mb, 'f', decimals)} Mo"


@dataclass(frozen=True)
class _Location:
    """The practice location shown, and where it came from."""

    place: PracticeLocation | None
    proposed_from: str | None = None  # the directory entry it was proposed from (not chosen)


class SettingsDialog(QDialog):
    """The user's preferences, saved through app.settings.update() on OK (`changed` then gives
    the new Settings). "Oublier ce compte sur cet ordinateur…" closes it and emits
    `forgetRequested` (the main window asks for confirmation)."""

    changed = Signal(object)
    forgetRequested = Signal()

    def __init__(self, session: AccountSession | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._initial = settings_mod.current()
        self._location = _Location(self._initial.practice_location)
        self._ca_bundle = self._initial.ca_bundle  # what OK saves ("" for none)
        self._test: asyncio.Future[Any] | None = None
        self._search_generation = 0
        self._search: asyncio.Future[Any] | None = None
        self._own: asyncio.Future[Any] | None = None
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.search_communes)

        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Paramètres"))
        self.setWindowIcon(theme.app_icon())
        self.setMinimumSize(760, 480)
        self.resize(960, 720)
        self._build()
        self._fill()
        self.fit_height()
        self._propose_own_practice()

    # Building -----------------------------------------------------------------------------------

    def _build(self) -> None:
        column = QWidget()
        column.setObjectName("settingsColumn")
        body = QVBoxLayout(column)
        body.setContentsMargins(24, 24, 24, 16)
        body.setSpacing(16)
        title = PlainLabel(self.tr("Paramètres"))
        title.setObjectName("settingsTitle")
        body.addWidget(title)
        # Two columns of cards: everything visible at once on an ordinary screen.
        columns = QHBoxLayout()
        columns.setSpacing(16)
        left, right = QVBoxLayout(), QVBoxLayout()
        for column_layout, sections in (
            (
                left,
                (
                    self._account_section(),
                    self._certificates_section(),
                    self._notifications_section(),
                ),
            ),
            (
                right,
                (self._documents_section(), self._security_section(), self._location_section()),
            ),
        ):
            column_layout.setSpacing(16)
            for section in sections:
                column_layout.addWidget(section)
            column_layout.addStretch(1)
            columns.addLayout(column_layout, 1)
        body.addLayout(columns)
        body.addStretch(1)

        scroll = QScrollArea()
        scroll.setObjectName("settingsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(column)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("OK"))
        self.ok_button.setProperty("primary", True)
        self.ok_button.setIcon(QIcon())  # some platforms add stock icons: not our look
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText(self.tr("Annuler"))
        self.cancel_button.setIcon(QIcon())
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.save_error = self._hint("", error=True)
        self.save_error.hide()
        footer = QFrame()
        footer.setObjectName("settingsFooter")
        footer_layout = QHBoxLayout(footer)
        footer_layout.setContentsMargins(24, 12, 24, 12)
        footer_layout.addWidget(self.save_error, 1)
        footer_layout.addWidget(self.buttons)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(scroll, 1)
        outer.addWidget(footer)
        self._column = column
        self._footer = footer

    def fit_height(self, limit: int | None = None) -> None:
        """As tall as the sections need (no scrolling), within `limit` (default: the screen)."""
        if limit is None:
            limit = self.screen().availableGeometry().height() - 80
        column_layout = self._column.layout()
        column_layout.invalidate()  # sections that just grew (commune results) count
        column_layout.activate()
        wanted = self._column.sizeHint().height() + self._footer.sizeHint().height()
        self.resize(self.width(), max(self.minimumHeight(), min(wanted, limit)))

    def _section(self, icon: str, title: str) -> tuple[QFrame, QVBoxLayout]:
        card = QFrame()
        card.setObjectName("settingsSection")
        layout = QVBoxLayout(card)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(8)
        header = QHBoxLayout()
        header.setSpacing(8)
        mark = PlainLabel()
        mark.setPixmap(theme.icon(icon).pixmap(QSize(20, 20)))
        caption = PlainLabel(title)
        caption.setObjectName("sectionTitle")
        caption.setWordWrap(True)  # a long title wraps instead of widening its column
        header.addWidget(mark)
        header.addWidget(caption, 1)
        layout.addLayout(header)
        return card, layout

    def _field_label(self, text: str, buddy: QWidget) -> QLabel:
        label = PlainLabel(text)
        label.setObjectName("fieldLabel")
        label.setBuddy(buddy)
        return label

    def _hint(self, text: str, error: bool = False) -> QLabel:
        label = PlainLabel(text)  # some say what came from outside (a file, a certificate)
        label.setObjectName("settingsHint")
        label.setWordWrap(True)
        label.setProperty("error", error)
        return label

    def _account_section(self) -> QFrame:
        card, layout = self._section("settings-server", self.tr("Compte et serveur"))
        self.server_edit = QLineEdit()
        self.server_edit.setObjectName("serverEdit")
        self.server_edit.setPlaceholderText("https://…")
        self.server_edit.textChanged.connect(self._server_changed)
        self.server_error = self._hint("", error=True)
        self.server_error.hide()
        layout.addWidget(self._field_label(self.tr("Adresse du serveur"), self.server_edit))
        layout.addWidget(self.server_edit)
        layout.addWidget(self.server_error)
        layout.addWidget(self._hint(self.tr("Un changement prend effet à la prochaine connexion.")))
        self.test_button = QPushButton(self.tr("Tester la connexion"))
        self.test_button.setObjectName("testButton")
        self.test_button.setAutoDefault(False)
        self.test_button.clicked.connect(self.test_connection)
        self.test_result = self._hint("")
        self.test_result.hide()
        layout.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.test_result)
        self.login_value = PlainLabel()
        self.login_value.setObjectName("loginValue")
        self.login_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.setSpacing(12)
        row.addWidget(self._field_label(self.tr("Identifiant"), self.login_value))
        row.addStretch(1)
        row.addWidget(self.login_value)
        layout.addSpacing(4)
        layout.addLayout(row)
        if self._session is not None:
            self.forget_button = QPushButton(self.tr("Oublier ce compte sur cet ordinateur…"))
            self.forget_button.setObjectName("forgetButton")
            self.forget_button.setAutoDefault(False)
            self.forget_button.setToolTip(
                self.tr(
                    "Sur un poste partagé : efface d'ici vos messages, documents et "
                    "brouillons, et la connexion mémorisée. Vos messages restent sur le "
                    "serveur."
                )
            )
            self.forget_button.clicked.connect(self._forget)
            layout.addSpacing(4)
            layout.addWidget(self.forget_button, 0, Qt.AlignmentFlag.AlignLeft)
        return card

    def _forget(self) -> None:
        self.reject()
        self.forgetRequested.emit()

    def _certificates_section(self) -> QFrame:
        card, layout = self._section(
            "settings-certificate", self.tr("Certificats d'autorité supplémentaires (IGC Santé)")
        )
        layout.addWidget(
            self._hint(
                self.tr(
                    "En plus des autorités de cet ordinateur, pour un serveur dont le certificat "
                    "vient de l'IGC Santé ou de votre établissement (fichier PEM de votre service "
                    "informatique)."
                )
            )
        )
        current = QHBoxLayout()
        current.setSpacing(8)
        described = QVBoxLayout()
        described.setSpacing(2)
        self.ca_file_label = PlainLabel()
        self.ca_file_label.setObjectName("caFileValue")
        self.ca_file_label.setWordWrap(True)
        self.ca_subjects = self._hint("")
        self.ca_subjects.setObjectName("caSubjects")
        self.ca_error = self._hint("", error=True)
        self.ca_error.hide()
        described.addWidget(self.ca_file_label)
        described.addWidget(self.ca_subjects)
        described.addWidget(self.ca_error)
        self.clear_ca_button = QPushButton(self.tr("Retirer"))
        self.clear_ca_button.setObjectName("clearCaButton")
        self.clear_ca_button.setProperty("link", True)
        self.clear_ca_button.setAutoDefault(False)
        self.clear_ca_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.clear_ca_button.clicked.connect(self.clear_ca_bundle)
        current.addLayout(described, 1)
        current.addWidget(self.clear_ca_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(current)
        self.choose_ca_button = QPushButton(self.tr("Choisir un fichier…"))
        self.choose_ca_button.setObjectName("chooseCaButton")
        self.choose_ca_button.setAutoDefault(False)
        self.choose_ca_button.clicked.connect(self._ask_ca_bundle)
        layout.addWidget(self.choose_ca_button, 0, Qt.AlignmentFlag.AlignLeft)
        return card

    def _documents_section(self) -> QFrame:
        card, layout = self._section("settings-documents", self.tr("Documents hors connexion"))
        self.budget_spin = QSpinBox()
        self.budget_spin.setObjectName("budgetSpin")
        minimum = settings_mod.BY_NAME["cache_budget_mb"].minimum or 1
        self.budget_spin.setRange(minimum, MAX_BUDGET_MB)
        self.budget_spin.setSingleStep(50)
        self.budget_spin.setSuffix(" Mo")
        self.budget_spin.setGroupSeparatorShown(True)
        self.budget_spin.setMinimumWidth(140)
        self.budget_spin.valueChanged.connect(self._describe_usage)
        row = QHBoxLayout()
        row.setSpacing(12)
        row.addWidget(self._field_label(self.tr("Place réservée aux documents"), self.budget_spin))
        row.addStretch(1)
        row.addWidget(self.budget_spin)
        layout.addLayout(row)
        self.usage_label = PlainLabel()
        self.usage_label.setObjectName("usageLabel")
        layout.addWidget(self.usage_label)
        if self._session is not None:
            rule = self.tr(
                "Gardés chiffrés sur cet ordinateur pour rester consultables hors connexion. "
                "Au-delà, les plus anciennement ouverts sont retirés dès l'enregistrement "
                "(téléchargés de nouveau au besoin)."
            )
        else:
            rule = self.tr(
                "Gardés chiffrés sur cet ordinateur pour rester consultables hors connexion. "
                "La nouvelle place s'applique à la prochaine connexion."
            )
        layout.addWidget(self._hint(rule))
        return card

    def _notifications_section(self) -> QFrame:
        card, layout = self._section("settings-bell", self.tr("Notifications"))
        self.patient_names_check = QCheckBox(
            self.tr("Afficher le nom des patients et l'objet dans les notifications")
        )
        self.patient_names_check.setObjectName("patientNamesCheck")
        layout.addWidget(self.patient_names_check)
        layout.addWidget(
            self._hint(
                self.tr(
                    "Désactivé par défaut : l'écran peut être vu par d'autres personnes, patients "
                    "ou collègues. La notification dit alors seulement qu'un message est arrivé."
                )
            )
        )
        return card

    def _security_section(self) -> QFrame:
        card, layout = self._section("settings-lock", self.tr("Sécurité"))
        self.autolock_combo = QComboBox()
        self.autolock_combo.setObjectName("autolockCombo")
        self.autolock_combo.setMinimumWidth(140)
        for minutes in AUTOLOCK_PRESETS:
            self.autolock_combo.addItem(self._minutes_text(minutes), minutes)
        row = QHBoxLayout()
        row.setSpacing(12)
        row.addWidget(
            self._field_label(self.tr("Verrouillage après inactivité"), self.autolock_combo)
        )
        row.addStretch(1)
        row.addWidget(self.autolock_combo)
        layout.addLayout(row)
        layout.addWidget(
            self._hint(
                self.tr(
                    "Sans activité pendant ce délai, MonSisra se verrouille et redemande votre mot "
                    "de passe. Vos brouillons sont conservés."
                )
            )
        )
        return card

    def _location_section(self) -> QFrame:
        card, layout = self._section("settings-location", self.tr("Lieu d'exercice"))
        layout.addWidget(
            self._hint(
                self.tr("Point de départ de la recherche « autour de moi » dans l'annuaire.")
            )
        )
        layout.addSpacing(4)
        current = QHBoxLayout()
        current.setSpacing(8)
        place_box = QVBoxLayout()
        place_box.setSpacing(2)
        self.location_label = PlainLabel()
        self.location_label.setObjectName("locationValue")
        self.location_label.setWordWrap(True)
        self.location_note = self._hint("")
        place_box.addWidget(self.location_label)
        place_box.addWidget(self.location_note)
        self.clear_location_button = QPushButton(self.tr("Retirer"))
        self.clear_location_button.setProperty("link", True)
        self.clear_location_button.setAutoDefault(False)
        self.clear_location_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.clear_location_button.clicked.connect(self.clear_location)
        current.addLayout(place_box, 1)
        current.addWidget(self.clear_location_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(current)
        layout.addSpacing(4)
        self.commune_edit = QLineEdit()
        self.commune_edit.setObjectName("communeEdit")
        self.commune_edit.setPlaceholderText(self.tr("Code postal ou commune"))
        self.commune_edit.addAction(theme.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.commune_edit.setClearButtonEnabled(True)
        self.commune_edit.textEdited.connect(self._commune_typed)
        layout.addWidget(self._field_label(self.tr("Changer de lieu"), self.commune_edit))
        layout.addWidget(self.commune_edit)
        self.commune_status = self._hint("")
        self.commune_status.hide()
        layout.addWidget(self.commune_status)
        self.commune_list = QListWidget()
        self.commune_list.setObjectName("communeList")
        self.commune_list.setUniformItemSizes(True)
        self.commune_list.itemClicked.connect(self._commune_chosen)
        self.commune_list.hide()
        layout.addWidget(self.commune_list)
        self.commune_edit.installEventFilter(self)
        self.commune_list.installEventFilter(self)
        return card

    def _fill(self) -> None:
        current = self._initial
        self.server_edit.setText(current.server_url)
        login = self._session.account.ref.login if self._session is not None else current.last_login
        self.login_value.setText(login or self.tr("aucun compte ouvert"))
        self.budget_spin.setValue(max(current.cache_budget_mb, self.budget_spin.minimum()))
        self.patient_names_check.setChecked(current.notify_patient_names)
        index = self.autolock_combo.findData(current.autolock_minutes)
        if index < 0:  # a value set elsewhere than the presets: kept and shown as it is
            self.autolock_combo.addItem(self._minutes_text(current.autolock_minutes))
            index = self.autolock_combo.count() - 1
            self.autolock_combo.setItemData(index, current.autolock_minutes)
        self.autolock_combo.setCurrentIndex(index)
        self._describe_usage()
        self._describe_location()
        self._describe_ca_bundle()

    def _minutes_text(self, minutes: int) -> str:
        hours, rest = divmod(minutes, 60)
        if hours and not rest:
            return self.tr("{n} h").format(n=hours)
        if hours:
            return self.tr("{h} h {m:02d}").format(h=hours, m=rest)
        return self.tr("{n} min").format(n=minutes)

    # Server -------------------------------------------------------------------------------------

    def server_url(self) -> str:
        return self.server_edit.text().strip().rstrip("/")

    def _server_changed(self, _text: str) -> None:
        if self.server_error.isVisible() and server_url_error(self.server_url()) is None:
            self.server_error.hide()
        self.test_result.hide()

    def test_connection(self) -> None:
        """Asks the server typed here, with the authorities chosen here, whether it answers over
        a verified connection: the core's own sentence when it does not."""
        if self._test is not None and not self._test.done():
            self._test.cancel()
        error = server_url_error(self.server_url())
        if error is not None:
            self._show_server_error(error)
            return
        self._say_test(self.tr("Connexion au serveur…"))
        self.test_button.setEnabled(False)

        def done(_urls: object) -> None:
            self.test_button.setEnabled(True)
            self._say_test(self.tr("Le serveur répond ; son certificat a été vérifié."))

        def failed(message_fr: str) -> None:
            self.test_button.setEnabled(True)
            self._say_test(message_fr, error=True)

        self._test = tasks.run(
            fetch_public_regional_urls(self.server_url(), ca_bundle=self.ca_bundle_path()),
            self,
            done,
            failed,
        )

    def _say_test(self, text: str, error: bool = False) -> None:
        self.test_result.setText(text)
        self.test_result.setProperty("error", error)
        self.test_result.style().polish(self.test_result)
        self.test_result.show()

    # Extra certificate authorities ---------------------------------------------------------------

    def ca_bundle_path(self) -> Path | None:
        """The authorities' file OK will save (None: this computer's store only)."""
        return Path(self._ca_bundle) if self._ca_bundle else None

    def _ask_ca_bundle(self) -> None:
        start = str(self.ca_bundle_path().parent) if self.ca_bundle_path() else ""
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Certificats d'autorité supplémentaires"),
            start,
            self.tr("Certificats (*.pem *.crt *.cer);;Tous les fichiers (*)"),
        )
        if chosen:
            self.choose_ca_bundle(Path(chosen))

    def choose_ca_bundle(self, path: Path) -> bool:
        """Takes `path` when it holds at least one CA certificate (listed); otherwise says why
        and keeps the previous choice. True when taken."""
        try:
            bundle = read_ca_bundle(path)
        except CaBundleError as e:
            self._describe_ca_bundle()
            self._say_ca_error(e.message_fr)
            return False
        self._ca_bundle = str(path.absolute())
        self._describe_ca_bundle(bundle)
        return True

    def clear_ca_bundle(self) -> None:
        self._ca_bundle = ""
        self._describe_ca_bundle()

    def _describe_ca_bundle(self, bundle: CaBundle | None = None) -> None:
        path = self.ca_bundle_path()
        self.ca_error.hide()
        self.clear_ca_button.setVisible(path is not None)
        self.ca_subjects.setVisible(path is not None)
        if path is None:
            self.ca_file_label.setText(self.tr("Aucun fichier choisi"))
            self.ca_file_label.setToolTip("")
            return
        self.ca_file_label.setText(path.name)
        self.ca_file_label.setToolTip(plain_tooltip(str(path)))
        if bundle is None:
            try:
                bundle = read_ca_bundle(path)
            except CaBundleError as e:  # chosen earlier, gone or changed since
                self.ca_subjects.hide()
                self._say_ca_error(e.message_fr)
                return
        self.ca_subjects.setText(
            self.tr("Autorités ajoutées : {names}").format(names=" ; ".join(bundle.subjects))
        )

    def _say_ca_error(self, message_fr: str) -> None:
        self.ca_error.setText(message_fr)
        self.ca_error.show()

    def _show_server_error(self, message: str) -> None:
        self.server_error.setText(message)
        self.server_error.show()
        self.server_edit.setFocus()

    # Documents ----------------------------------------------------------------------------------

    def _describe_usage(self, *_args: Any) -> None:
        if self._session is None:
            self.usage_label.hide()
            return
        used = self._session.documents_used_bytes()
        self.usage_label.setText(
            self.tr("Utilisé actuellement : {used} sur {budget}.").format(
                used=size_text(used), budget=size_text(self.budget_spin.value() * MIB)
            )
        )
        self.usage_label.setProperty("over", used > self.budget_spin.value() * MIB)
        self.usage_label.style().polish(self.usage_label)

    # Practice location ----------------------------------------------------------------------------

    def location(self) -> PracticeLocation | None:
        """The practice location OK will save."""
        return self._location.place

    def _describe_location(self) -> None:
        place, source = self._location.place, self._location.proposed_from
        if place is None:
            self.location_label.setText(self.tr("Aucun lieu choisi"))
            self.location_note.setText(
                self.tr(
                    "L'annuaire cherche alors autour du centre de Lyon. Tapez un code postal ou "
                    "une commune ci-dessous."
                )
            )
        else:
            self.location_label.setText(place.commune or self.tr("Lieu sans nom"))
            if source is not None:
                note = self.tr("Proposé d'après votre fiche de l'annuaire : {source}.").format(
                    source=source
                )
            else:
                note = self.tr("Choisi par vous.")
            self.location_note.setText(note)
        self.clear_location_button.setVisible(place is not None)

    def clear_location(self) -> None:
        self._location = _Location(None)
        self._describe_location()

    def _choose(self, place: Place, proposed_from: str | None = None) -> None:
        self._location = _Location(
            PracticeLocation(place.lat, place.lon, place.label), proposed_from
        )
        self._describe_location()

    def _directory_ready(self) -> bool:
        return self._session is not None and self._session.online

    def _propose_own_practice(self) -> None:
        """No location yet: the user's own practice, as the directory lists it, is proposed."""
        if self._location.place is not None or not self._directory_ready():
            return
        assert self._session is not None

        def found(place: Place | None) -> None:
            if place is not None and self._location.place is None:
                self._choose(place, place.organization or self.tr("votre cabinet"))

        self._own = tasks.run(self._session.own_practice(), self, found, self._own_failed)

    def _own_failed(self, message_fr: str) -> None:
        log.info("own practice not found in the directory")

    def _commune_typed(self, _text: str) -> None:
        self._search_timer.start()

    def search_communes(self) -> None:
        """Looks up what is typed now (cancelling the search in flight)."""
        self._search_timer.stop()
        self._search_generation += 1
        generation = self._search_generation
        if self._search is not None and not self._search.done():
            self._search.cancel()
        text = self.commune_edit.text().strip()
        self.commune_list.clear()
        self.commune_list.hide()
        if len(text) < MIN_SEARCH_CHARS:
            self.commune_status.hide()
            return
        if self._session is None:
            self._say(self.tr("Connectez-vous pour chercher une commune dans l'annuaire."))
            return
        if not self._session.online:
            self._say(self.tr("La recherche d'une commune a besoin de la connexion au serveur."))
            return
        self._say(self.tr("Recherche…"))

        def done(places: list[Place]) -> None:
            if generation == self._search_generation:
                self._show_communes(places)

        def failed(message_fr: str) -> None:
            if generation == self._search_generation:
                self._say(message_fr, error=True)

        self._search = tasks.run(
            self._session.find_communes(text), self, done, failed, key="communes"
        )

    def _say(self, text: str, error: bool = False) -> None:
        self.commune_status.setText(text)
        self.commune_status.setProperty("error", error)
        self.commune_status.style().polish(self.commune_status)
        self.commune_status.show()

    def _show_communes(self, places: list[Place]) -> None:
        self.commune_list.clear()
        if not places:
            self._say(self.tr("Aucune commune de l'annuaire ne correspond."))
            return
        self.commune_status.hide()
        for place in places:
            item = QListWidgetItem(theme.icon("location"), plain_text(place.label))
            item.setData(Qt.ItemDataRole.UserRole, place)
            item.setSizeHint(QSize(0, COMMUNE_ROW_PX))
            self.commune_list.addItem(item)
        # As tall as its rows (up to four): no empty box under a single commune.
        rows = min(len(places), 4)
        frame = 2 * self.commune_list.frameWidth()  # with a style sheet: border and padding
        self.commune_list.setFixedHeight(rows * COMMUNE_ROW_PX + frame)
        self.commune_list.show()

    def communes_shown(self) -> list[Place]:
        return [
            self.commune_list.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.commune_list.count())
        ]

    def _commune_chosen(self, item: QListWidgetItem) -> None:
        place = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(place, Place):
            self._choose(place)
            self.commune_list.clear()
            self.commune_list.hide()
            self.commune_edit.clear()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Entrée in the commune search looks up (or picks) a commune; it does not press OK."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            if watched is self.commune_edit:
                self.search_communes()
                return True
            if watched is self.commune_list:
                item = self.commune_list.currentItem()
                if item is not None:
                    self._commune_chosen(item)
                return True
        return super().eventFilter(watched, event)

    # OK / Annuler -------------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """What the form says, as settings changes."""
        minutes = self.autolock_combo.currentData()
        return {
            "server_url": self.server_url(),
            "cache_budget_mb": self.budget_spin.value(),
            "notify_patient_names": self.patient_names_check.isChecked(),
            "autolock_minutes": minutes if isinstance(minutes, int) else 120,
            "practice_location": self.location(),
            "ca_bundle": self._ca_bundle,
        }

    def accept(self) -> None:
        """Saves and closes; on a bad value, says why and stays open (nothing written)."""
        error = server_url_error(self.server_url())
        if error is not None:
            self._show_server_error(error)
            return
        changes = self.values()
        try:
            self._initial.with_(**changes)  # the schema's own checks, before anything is written
            saved = settings_mod.update(**changes)
        except ValueError:
            self._show_save_error(
                self.tr("Une valeur n'est pas acceptée : vérifiez le formulaire.")
            )
            return
        except OSError:
            self._show_save_error(
                self.tr(
                    "Les paramètres n'ont pas pu être enregistrés sur le disque. Vérifiez la "
                    "place disponible et réessayez."
                )
            )
            return
        self._apply_budget(saved)
        log.info("settings saved")
        self.changed.emit(saved)
        super().accept()

    def _show_save_error(self, text: str) -> None:
        self.save_error.setText(text)
        self.save_error.show()

    def _apply_budget(self, saved: Settings) -> None:
        if self._session is None or saved.cache_budget_mb == self._initial.cache_budget_mb:
            return
        future = tasks.change(
            self._session.set_documents_budget(saved.cache_budget_mb * MIB),
            self,
            None,
            lambda message_fr: log.warning("document budget not applied"),
        )
        _pending.add(future)
        future.add_done_callback(_pending.discard)

    def done(self, result: int) -> None:
        for future in (self._search, self._own, self._test):
            if future is not None and not future.done():
                future.cancel()
        self._search_timer.stop()
        super().done(result)


async def demo_screenshot(session: AccountSession) -> QWidget:
    """The settings of the demo GP: her practice proposed from the directory, and the communes
    found for what she typed."""
    dialog = SettingsDialog(session)
    dialog.show()  # shown first: the sections' sizes are known once laid out on screen
    dialog.commune_edit.setText("Saint-G")
    dialog.search_communes()
    for future in (dialog._own, dialog._search):
        if future is not None:
            await future
    await asyncio.sleep(0.1)  # the layout takes the results in
    dialog.fit_height()
    return dialog
