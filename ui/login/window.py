"""The login window: server, identifiant, mot de passe, "Se souvenir de moi", "Se connecter".

Unlocking takes a visible moment (the key derivation runs in a thread): the form shows a busy bar
meanwhile and the window stays responsive. Errors are the core's French sentences, shown as they
are. When the server does not answer, the account opens offline on this computer's cache (the
core does that by itself) and the window says "Mode hors connexion"; a first login needs the server
and the core's "première connexion" message says so.

Before login the window asks the server for the public part of its Session: that tells whether the
server answers (the button then reads "Ouvrir hors ligne" for an account known here) and gives
the address of "Créer un compte Sara". A server address that is not usable (http:// to another
computer among them: the password would go in clear) is said under the field, and nothing is sent.

At the first login of an account whose server names other addresses, the core stops before
sending anything there (OriginApprovalNeeded): the window asks (OriginApprovalDialog) and, on
approval, logs in again with them approved; cancelled, the login ends with a sentence that says so.

A server whose secure connection is refused (certificate expired, not trusted, for another host;
TLS version) is not "hors connexion": the window says the core's reason in its error banner, the
login fails with it, and for an account known here a separate "Ouvrir hors ligne" lets the user
choose to read this computer's cache anyway (nothing is sent to that server).
"""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import paths
from app import settings as settings_mod
from app.errors import CoreError
from ui import first_paint, tasks, theme
from ui.login.approval import OriginApprovalDialog
from ui.plain import PlainLabel, RichLabel
from ui.server_address import server_url_error

if TYPE_CHECKING:
    from app.remote.origins import Origin
    from app.session import AccountSession

log = logging.getLogger("monsisra.ui.login")

FALLBACK_REGISTRATION_URL = "https://sante-ara.fr/inscription/"

Opener = Callable[..., Awaitable["AccountSession"]]


async def load_core() -> None:
    """Imports the client core (HTTP, crypto, cache: about half a second) in a worker thread,
    once: the window paints first and stays responsive meanwhile. The functions that need the
    core await this, then import their names (already loaded, so at no cost)."""
    if "app.session" not in sys.modules:
        await asyncio.to_thread(importlib.import_module, "app.session")


@dataclass(frozen=True)
class DemoHint:
    """The demo account, pre-filled and shown (only ever a sandbox's published demo login)."""

    login: str
    password: str

    @classmethod
    def parse(cls, text: str) -> DemoHint:
        """From `{"login": …, "password": …}` or a sandbox's start line (`{"accounts": […]}`)."""
        doc = json.loads(text)
        if isinstance(doc, dict) and isinstance(doc.get("accounts"), list) and doc["accounts"]:
            doc = doc["accounts"][0]
        if not (
            isinstance(doc, dict)
            and isinstance(doc.get("login"), str)
            and isinstance(doc.get("password"), str)
        ):
            raise ValueError("a demo hint needs a login and a password")
        return cls(doc["login"], doc["password"])


class WrappedText(PlainLabel):
    """Word-wrapped plain text whose minimum height follows its width. Inside the fixed-width
    card, layouts would otherwise give it the height of a guessed width and cut the sentence."""

    def setText(self, text: str | None) -> None:
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        needed = self.heightForWidth(self.width()) if self.width() > 0 else -1
        if needed >= 0:  # -1: nothing to wrap yet
            self.setMinimumHeight(needed)


class Banner(QFrame):
    """A calm band with an icon and a sentence (kinds: info, offline, error; see style.qss)."""

    def __init__(self, kind: str, icon_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("banner", kind)
        self.setObjectName(f"{kind}Banner")
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 12, 8)
        row.setSpacing(8)
        icon = PlainLabel()
        icon.setPixmap(theme.icon(icon_name).pixmap(QSize(18, 18)))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.text = WrappedText()  # the core's sentences may quote a certificate's names
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(icon)
        row.addWidget(self.text, 1)
        self.hide()

    def say(self, text: str) -> None:
        self.text.setText(text)
        self.show()
        grow_to_fit(self.window())


def grow_to_fit(window: QWidget) -> None:
    """A window does not grow for its word-wrapped labels: a long sentence (one naming an address
    a server gave, say) would be cut at the bottom. Called once one is shown, it grows to fit."""
    layout = window.layout()
    if layout is not None and layout.hasHeightForWidth():
        needed = layout.heightForWidth(window.width())
        if needed > window.height():
            window.resize(window.width(), needed)


class LoginWindow(QWidget):
    """Emits `opened(session)` once an account is open (online or offline), not yet started."""

    opened = Signal(object)
    closed = Signal()
    settingsRequested = Signal()  # "Paramètres…": the controller opens the settings dialog
    aboutRequested = Signal()  # "À propos": the controller opens the About dialog

    def __init__(
        self,
        data_root: Path,
        demo_hint: DemoHint | None = None,
        opener: Opener | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_root = data_root
        self.demo_hint = demo_hint
        self.opener: Opener | None = opener  # None: AccountSession.open
        self.registration_url = FALLBACK_REGISTRATION_URL
        self.server_reachable: bool | None = None
        self.tls_refused = False  # the server answered but its secure connection was refused
        self.busy = False
        self.keyring_available: bool | None = None  # None: not known yet (checked in a worker)
        self.approval_dialog: OriginApprovalDialog | None = None  # while the user is asked
        self._probe: asyncio.Future[Any] | None = None
        self._attempt: asyncio.Future[Any] | None = None
        self._throttle = QTimer(self)
        self._throttle.setSingleShot(True)
        # Never early: a coarse timer may fire 5 % before the server's Retry-After has passed,
        # and the retry is then refused again.
        self._throttle.setTimerType(Qt.TimerType.PreciseTimer)
        self._throttle.timeout.connect(self._end_throttle)

        self.setObjectName("loginWindow")
        self.setWindowTitle(self.tr("MonSisra bureau — Connexion"))
        self.setWindowIcon(theme.app_icon())
        # No fixed minimum: the layout's, so that the window grows when a long sentence shows.
        self.resize(960, 720)
        self._build()
        self._fill()
        first_paint.watch(self)  # start-up measure of bench/ui.py; off unless asked

    # Building -----------------------------------------------------------------------------------

    def _build(self) -> None:
        card = QFrame()
        card.setObjectName("loginCard")
        card.setFixedWidth(432)
        form = QVBoxLayout(card)
        form.setContentsMargins(32, 32, 32, 24)
        form.setSpacing(8)

        header = QHBoxLayout()
        header.setSpacing(16)
        logo = PlainLabel()
        logo.setObjectName("loginLogo")
        logo.setPixmap(theme.app_icon().pixmap(QSize(56, 56)))
        titles = QVBoxLayout()
        titles.setSpacing(0)
        title = PlainLabel(self.tr("MonSisra"))
        title.setObjectName("loginTitle")
        subtitle = PlainLabel(self.tr("Messagerie sécurisée de santé"))
        subtitle.setObjectName("loginSubtitle")
        titles.addWidget(title)
        titles.addWidget(subtitle)
        # Before any account is open, what a connection needs: the server, the extra authorities.
        self.settings_button = QPushButton(self.tr("Paramètres"))
        self.settings_button.setObjectName("loginSettingsButton")
        self.settings_button.setProperty("link", True)
        self.settings_button.setIcon(theme.icon("settings"))
        self.settings_button.setToolTip(self.tr("Paramètres de connexion : serveur, certificats"))
        self.settings_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.settings_button.setAutoDefault(False)
        self.settings_button.clicked.connect(self.settingsRequested)
        self.about_button = QPushButton(self.tr("À propos"))
        self.about_button.setObjectName("loginAboutButton")
        self.about_button.setProperty("link", True)
        self.about_button.setIcon(theme.icon("info"))
        self.about_button.setToolTip(
            self.tr("Version, licences et dossier des données de MonSisra bureau")
        )
        self.about_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.about_button.setAutoDefault(False)
        self.about_button.clicked.connect(self.aboutRequested)
        header.addWidget(logo)
        header.addLayout(titles, 1)
        form.addLayout(header)
        form.addSpacing(16)

        # What happened before this window came back ("Vous êtes déconnecté(e)…").
        self.notice_banner = Banner("info", "info")
        self.notice_banner.setObjectName("noticeBanner")
        self.offline_banner = Banner("offline", "offline")
        self.error_banner = Banner("error", "warning")
        # An installation without its style sheets, icons or translations still runs, unstyled:
        # the user is told to reinstall (theme.missing_resources; logged at start too).
        self.resources_banner = Banner("error", "warning")
        self.resources_banner.setObjectName("resourcesBanner")
        form.addWidget(self.resources_banner)
        form.addWidget(self.notice_banner)
        form.addWidget(self.offline_banner)
        form.addWidget(self.error_banner)

        self.server_edit = QLineEdit()
        self.server_edit.setObjectName("serverEdit")
        self.server_edit.setPlaceholderText("https://…")
        self.login_edit = QLineEdit()
        self.login_edit.setObjectName("loginEdit")
        self.login_edit.setPlaceholderText(self.tr("prenom.nom"))
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("passwordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        for label, edit, icon in (
            (self.tr("Serveur"), self.server_edit, "server"),
            (self.tr("Identifiant"), self.login_edit, "user"),
            (self.tr("Mot de passe"), self.password_edit, "lock"),
        ):
            caption = PlainLabel(label)
            caption.setObjectName("fieldLabel")
            caption.setBuddy(edit)
            edit.addAction(theme.icon(icon), QLineEdit.ActionPosition.LeadingPosition)
            edit.setMinimumHeight(36)
            form.addWidget(caption)
            form.addWidget(edit)
            if edit is self.server_edit:
                self.server_error = PlainLabel()
                self.server_error.setObjectName("fieldError")
                self.server_error.setWordWrap(True)
                self.server_error.hide()
                form.addWidget(self.server_error)
            form.addSpacing(4)

        self.remember_box = QCheckBox(self.tr("Se souvenir de moi"))
        self.remember_box.setToolTip(
            self.tr(
                "Garde la session ouverte sur cet ordinateur (dans le trousseau du système). "
                "Votre mot de passe reste demandé pour déverrouiller vos données."
            )
        )
        options = QHBoxLayout()
        options.addWidget(self.remember_box)
        options.addStretch(1)
        options.addWidget(self.about_button)
        options.addWidget(self.settings_button)
        form.addLayout(options)
        # Said before login, not after: without a keyring "Se souvenir de moi" cannot work.
        self.keyring_note = WrappedText(
            self.tr(
                "Aucun trousseau sécurisé n'est disponible : la connexion ne peut pas être "
                "mémorisée, votre mot de passe sera demandé à chaque lancement. Installez ou "
                "déverrouillez le trousseau de votre session (GNOME Keyring, KWallet…), puis "
                "relancez MonSisra bureau."
            )
        )
        self.keyring_note.setObjectName("keyringNote")
        self.keyring_note.setWordWrap(True)
        self.keyring_note.hide()
        form.addWidget(self.keyring_note)
        form.addSpacing(8)

        self.submit_button = QPushButton(self.submit_label())
        self.submit_button.setObjectName("submitButton")
        self.submit_button.setProperty("primary", True)
        self.submit_button.setDefault(True)
        self.submit_button.setMinimumHeight(40)
        self.submit_button.clicked.connect(self.submit)
        form.addWidget(self.submit_button)
        self.offline_button = QPushButton(self.tr("Ouvrir hors ligne malgré tout"))
        self.offline_button.setObjectName("offlineButton")
        self.offline_button.setProperty("link", True)
        self.offline_button.setAutoDefault(False)
        self.offline_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.offline_button.setToolTip(
            self.tr(
                "Ouvre les messages enregistrés sur cet ordinateur sans rien envoyer à ce serveur. "
                "La connexion est retentée régulièrement, avec les mêmes vérifications."
            )
        )
        self.offline_button.clicked.connect(self.open_offline)
        self.offline_button.hide()
        form.addWidget(self.offline_button, 0, Qt.AlignmentFlag.AlignHCenter)

        self.progress = QProgressBar()
        self.progress.setObjectName("busyBar")
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.busy_label = PlainLabel(self.tr("Connexion et déverrouillage de vos données…"))
        self.busy_label.setObjectName("busyLabel")
        self.busy_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Room kept for the busy bar so that the card does not jump when it appears.
        busy_box = QWidget()
        busy_layout = QVBoxLayout(busy_box)
        busy_layout.setContentsMargins(0, 4, 0, 0)
        busy_layout.setSpacing(4)
        busy_layout.addWidget(self.progress)
        busy_layout.addWidget(self.busy_label)
        busy_box.setFixedHeight(28)
        form.addWidget(busy_box)
        self._show_busy(False)

        self.demo_label = RichLabel()
        self.demo_label.setObjectName("demoHint")
        self.demo_label.setWordWrap(True)
        self.demo_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.demo_label.hide()
        form.addWidget(self.demo_label)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet("color: #e4e8ec;")
        form.addSpacing(8)
        form.addWidget(line)
        register_row = QHBoxLayout()
        register_row.setSpacing(8)
        no_account = PlainLabel(self.tr("Pas encore d'identifiants ?"))
        no_account.setObjectName("loginSubtitle")
        self.register_button = QPushButton(self.tr("Créer un compte Sara"))
        self.register_button.setObjectName("registerButton")
        self.register_button.setProperty("link", True)
        self.register_button.setIcon(theme.icon("external-link"))
        self.register_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.register_button.setAutoDefault(False)
        self.register_button.clicked.connect(self.open_registration)
        register_row.addWidget(no_account)
        register_row.addWidget(self.register_button)
        register_row.addStretch(1)
        form.addLayout(register_row)

        footer = PlainLabel(self.tr("MonSisra bureau · messagerie MSSanté de votre région"))
        footer.setObjectName("loginFooter")
        footer.setAlignment(Qt.AlignmentFlag.AlignCenter)

        # Centred by stretches, not by an alignment flag: an aligned widget gets its size hint,
        # so the word-wrapped banners would be cut instead of taking the lines they need.
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(card)
        centred.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 24, 24, 24)
        outer.addStretch(1)
        outer.addLayout(centred)
        outer.addSpacing(16)
        outer.addWidget(footer)
        outer.addStretch(1)

        self.server_edit.editingFinished.connect(self.probe_server)
        self.server_edit.textChanged.connect(self._server_changed)
        self.login_edit.textChanged.connect(self._update_button)

    def _fill(self) -> None:
        missing = theme.missing_resources()
        if missing:
            self.resources_banner.say(
                self.tr(
                    "Fichiers de l'application manquants : {files}. Réinstallez MonSisra bureau."
                ).format(files=", ".join(missing))
            )
        current = settings_mod.current()
        self.server_edit.setText(current.server_url)
        self.login_edit.setText(current.last_login)
        self.remember_box.setChecked(current.remember_me)
        if self.demo_hint is not None:
            self.login_edit.setText(self.demo_hint.login)
            self.password_edit.setText(self.demo_hint.password)
            self.demo_label.set_markup(
                self.tr("Compte de démonstration :<br><b>{login}</b> / <b>{password}</b>"),
                login=self.demo_hint.login,
                password=self.demo_hint.password,
            )
            self.demo_label.show()

    # Qt events ----------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        (self.password_edit if self.login_edit.text() else self.login_edit).setFocus()
        if self._probe is None:
            self.probe_server()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter anywhere in the form logs in (a QWidget window has no default-button handling).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        for future in (self._probe, self._attempt):
            if future is not None and not future.done():
                future.cancel()
        super().closeEvent(event)
        self.closed.emit()

    # Server probe and registration --------------------------------------------------------------

    def server_url(self) -> str:
        return self.server_edit.text().strip().rstrip("/")

    def _refuse_server(self, url: str) -> bool:
        """Says under the field why `url` is not usable (True), or hides that (False)."""
        error = server_url_error(url)
        if error is None:
            self.server_error.hide()
            return False
        self.server_error.setText(error)
        self.server_error.show()
        grow_to_fit(self)
        return True

    def _server_changed(self, _text: str) -> None:
        if self.server_error.isVisible():
            self._refuse_server(self.server_url())

    def apply_settings(self, new: settings_mod.Settings) -> None:
        """Saved from "Paramètres de connexion…": the new server (and authorities) probed."""
        self.server_edit.setText(new.server_url)
        self.probe_server()

    def probe_server(self) -> None:
        """Asks the server's public Session: does it answer, where is its registration page."""
        if self._probe is not None and not self._probe.done():
            self._probe.cancel()
        url = self.server_url()
        if url and self._refuse_server(url):
            self.server_reachable = None
            self._update_button()
            return
        ca_bundle = settings_mod.current().ca_bundle_path()

        async def probe() -> None:
            await load_core()
            from app.remote.http import ServerUnreachable, TlsFailure
            from app.remote.jmap import fetch_public_regional_urls
            from app.remote.tls import CaBundleError

            try:
                urls = await fetch_public_regional_urls(url, ca_bundle=ca_bundle)
            except (TlsFailure, CaBundleError) as e:
                self._set_refused(e.message_fr)
                return
            except ServerUnreachable:
                self._set_reachable(False)
                return
            except CoreError:  # not a URL, or an odd answer: the login will say what is wrong
                self.server_reachable = None
                self._set_tls_refused(False)
                return
            self.registration_url = (
                urls.registration_url if urls is not None else FALLBACK_REGISTRATION_URL
            )
            self._set_reachable(True)

        self._probe = tasks.run(probe(), self, key="probe")

    def _set_reachable(self, reachable: bool) -> None:
        self.server_reachable = reachable
        if reachable:
            self.offline_banner.hide()
        else:
            self.offline_banner.say(self._offline_text())
        if self.tls_refused:
            self.error_banner.hide()  # that server (or another address) is fine now
        self._set_tls_refused(False)

    def _set_refused(self, message_fr: str) -> None:
        """The server answered, but its secure connection is refused: its reason, not "hors
        connexion"; offline only if the user asks for it."""
        self.server_reachable = True
        self.offline_banner.hide()
        self.error_banner.say(message_fr)
        self._set_tls_refused(True)

    def _set_tls_refused(self, refused: bool) -> None:
        self.tls_refused = refused
        self._update_button()

    def _offline_text(self) -> str:
        if self._known_here():
            return self.tr(
                "Mode hors connexion : le serveur ne répond pas. Vous pouvez ouvrir votre "
                "compte hors ligne et consulter les messages enregistrés sur cet ordinateur."
            )
        return self.tr(
            "Mode hors connexion : le serveur ne répond pas. Vérifiez votre connexion à Internet."
        )

    def _known_here(self) -> bool:
        from app.account.vault import Vault

        login = self.login_edit.text().strip()
        url = self.server_url()
        return bool(login and url) and Vault.exists(paths.account_dir(self.data_root, url, login))

    def submit_label(self) -> str:
        """The button's word while the server answers (the locked window says "Déverrouiller")."""
        return self.tr("Se connecter")

    def _update_button(self) -> None:
        known = self._known_here()
        offline = self.server_reachable is False and known
        self.submit_button.setText(self.tr("Ouvrir hors ligne") if offline else self.submit_label())
        self.offline_button.setVisible(self.tls_refused and known)
        if self.server_reachable is False and self.offline_banner.isVisible():
            self.offline_banner.say(self._offline_text())

    def open_registration(self) -> None:
        QDesktopServices.openUrl(QUrl(self.registration_url))

    # Logging in ---------------------------------------------------------------------------------

    def submit(self) -> None:
        self._submit(offline=False)

    def open_offline(self) -> None:
        """After a refused secure connection: this computer's cache, by the user's choice."""
        self._submit(offline=True)

    def _submit(self, offline: bool) -> None:
        if self.busy or self._throttle.isActive():
            return
        server, login, password = (
            self.server_url(),
            self.login_edit.text().strip(),
            self.password_edit.text(),
        )
        missing = [
            name
            for name, value in (
                (self.tr("le serveur"), server),
                (self.tr("l'identifiant"), login),
                (self.tr("le mot de passe"), password),
            )
            if not value
        ]
        if missing:
            self.error_banner.say(self.tr("Saisissez {what}.").format(what=", ".join(missing)))
            return
        if self._refuse_server(server):  # before anything is sent: no password in clear
            self.error_banner.hide()
            self.server_edit.setFocus()
            return
        self.error_banner.hide()
        self._set_busy(True)
        remember = self.remember_box.isChecked()
        ca_bundle = settings_mod.current().ca_bundle_path()

        async def attempt() -> AccountSession:
            await load_core()
            from app.account.vault import VaultThrottled
            from app.remote.auth import LoginThrottled
            from app.remote.http import TlsFailure
            from app.remote.origins import OriginApprovalNeeded
            from app.remote.tls import CaBundleError
            from app.session import AccountSession

            opener = self.opener or AccountSession.open
            approved: tuple[Origin, ...] = ()
            while True:
                try:
                    session = await opener(
                        self.data_root,
                        server,
                        login,
                        password,
                        remember=remember,
                        approve=approved,
                        ca_bundle=ca_bundle,
                        offline=offline,
                    )
                except (LoginThrottled, VaultThrottled) as e:
                    self._start_throttle(e.retry_after)
                    raise
                except (TlsFailure, CaBundleError):
                    self._set_tls_refused(True)
                    raise
                except OriginApprovalNeeded as e:
                    if not await self.ask_approval(e.origins):
                        raise CoreError(
                            "other origins declined",
                            self.tr(
                                "Connexion annulée : les autres adresses demandées par le serveur "
                                "n'ont pas été autorisées. Rien ne leur a été envoyé, et rien n'a "
                                "été enregistré sur cet ordinateur."
                            ),
                        ) from None
                    approved += e.origins
                    continue
                self._set_tls_refused(False)
                return session

        def done(session: AccountSession) -> None:
            self._set_busy(False)
            settings_mod.update(server_url=server, last_login=login, remember_me=remember)
            if not session.account.online and not offline:
                self.offline_banner.say(
                    self.tr(
                        "Mode hors connexion : le serveur est injoignable. Vos messages "
                        "enregistrés sur cet ordinateur restent consultables ; la connexion "
                        "reviendra d'elle-même."
                    )
                )
            log.info("account opened (%s)", "online" if session.account.online else "offline")
            self.opened.emit(session)

        self._attempt = tasks.change(attempt(), self, done, self._failed)

    async def ask_approval(self, origins: Sequence[Origin]) -> bool:
        """Shows the origins (OriginApprovalDialog, window-modal); True once approved."""
        dialog = OriginApprovalDialog([str(o) for o in origins], self)
        answer: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        dialog.accepted.connect(lambda: answer.done() or answer.set_result(True))
        dialog.rejected.connect(lambda: answer.done() or answer.set_result(False))
        self.approval_dialog = dialog
        self._show_busy(False)
        dialog.open()
        try:
            return await answer
        finally:
            self.approval_dialog = None
            dialog.close()
            dialog.deleteLater()
            self._show_busy(True)

    def _failed(self, message_fr: str) -> None:
        self._set_busy(False)
        self.error_banner.say(message_fr)
        self.password_edit.setFocus()
        self.password_edit.selectAll()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for widget in (
            self.server_edit,
            self.login_edit,
            self.password_edit,
            self.submit_button,
            self.offline_button,
        ):
            widget.setEnabled(not busy and not (widget is self.submit_button and self.throttled))
        # Without a keyring the box stays disabled (set_keyring_available).
        self.remember_box.setEnabled(not busy and self.keyring_available is not False)
        self._show_busy(busy)

    def set_keyring_available(self, available: bool) -> None:
        """Without a keyring that can keep a token safely, "Se souvenir de moi" is unticked and
        disabled, and the line under it says why and what to do."""
        self.keyring_available = available
        if not available:
            self.remember_box.setChecked(False)
        self.remember_box.setEnabled(available and not self.busy)
        self.keyring_note.setVisible(not available)
        grow_to_fit(self)

    def _show_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.busy_label.setVisible(busy)

    @property
    def throttled(self) -> bool:
        return self._throttle.isActive()

    def _start_throttle(self, seconds: float) -> None:
        self._throttle.start(max(1, int(seconds * 1000)))
        self.submit_button.setEnabled(False)

    def _end_throttle(self) -> None:
        self.submit_button.setEnabled(not self.busy)
