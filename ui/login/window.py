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

A banner goes once what it says is no longer true: while the server does not answer, the window
asks again every few seconds (the offline banner goes when it answers); after a failed login the
server is asked again (an answer such as a wrong password proves it reachable), and a login that
succeeds online leaves no offline banner behind.

A server whose secure connection is refused (certificate expired, not trusted, for another host;
TLS version) is not "hors connexion": the window says the core's reason in its error banner, the
login fails with it, and for an account known here a separate "Ouvrir hors ligne" lets the user
choose to read this computer's cache anyway (nothing is sent to that server).

What the login needs from the core comes through `SignIn` (app/account/sign_in.py), loaded in a
worker thread: the probe's state, the account known here, the attempt and the two failures that
change the form (a throttle, a refused secure connection); every other failure is the core's own
sentence. The form itself is ui/login/form.py, its banners ui/login/banners.py.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import QWidget

from app import settings as settings_mod
from app.account.probe import ServerProbe, ServerState
from app.errors import CoreError
from ui import browser, first_paint, tasks
from ui.login.approval import OriginApprovalDialog
from ui.login.banners import DemoHint, grow_to_fit
from ui.login.core import load_core
from ui.login.form import LoginForm
from ui.server_address import complete_server_field, say_server_error, usable_server_url

if TYPE_CHECKING:
    from app.account.psc import CibaRequest, PscGrant, PscServer
    from app.account.sign_in import Opener, SignIn
    from app.session import AccountSession

__all__ = ["FALLBACK_REGISTRATION_URL", "DemoHint", "LoginWindow", "load_core"]

log = logging.getLogger("monsisra.ui.login")

FALLBACK_REGISTRATION_URL = "https://sante-ara.fr/inscription/"
REPROBE_MS = 5_000  # while the server does not answer, asked again this often


class LoginWindow(LoginForm):
    """Emits `opened(session)` once an account is open (online or offline), not yet started."""

    opened = Signal(object)
    closed = Signal()

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
        self.core: SignIn | None = None  # once loaded (load_core)
        self.registration_url = FALLBACK_REGISTRATION_URL
        self.server_reachable: bool | None = None
        self.tls_refused = False  # the server answered but its secure connection was refused
        self.busy = False
        self.keyring_available: bool | None = None  # None: not known yet (checked in a worker)
        self.approval_dialog: OriginApprovalDialog | None = None  # while the user is asked
        self._probe: asyncio.Future[ServerProbe | None] | None = None
        self._attempt: asyncio.Future[AccountSession | None] | None = None
        # Pro Santé Connect: the server's endpoints (None: not offered), the login in progress.
        self.psc_server: PscServer | None = None
        self.psc_grant: PscGrant | None = None
        self.psc_creating = False  # the passphrase is being chosen (first PSC login here)
        self._psc_task: asyncio.Future[PscGrant | None] | None = None
        self._throttle = QTimer(self)
        self._throttle.setSingleShot(True)
        # Never early: a coarse timer may fire 5 % before the server's Retry-After has passed,
        # and the retry is then refused again.
        self._throttle.setTimerType(Qt.TimerType.PreciseTimer)
        self._throttle.timeout.connect(self._end_throttle)
        self.reprobe = QTimer(self)
        self.reprobe.setSingleShot(True)
        self.reprobe.setInterval(REPROBE_MS)
        self.reprobe.timeout.connect(self.probe_server)
        self.submit_button.clicked.connect(self.submit)
        self.offline_button.clicked.connect(self.open_offline)
        self.register_button.clicked.connect(self.open_registration)
        self.server_edit.editingFinished.connect(self.probe_server)
        self.server_edit.textChanged.connect(self._server_changed)
        self.login_edit.textChanged.connect(self._update_button)
        panel = self.psc_panel
        panel.browserRequested.connect(self.psc_browser)
        panel.pushRequested.connect(panel.show_rpps)
        panel.rppsGiven.connect(self.psc_push)
        panel.passphraseGiven.connect(self.psc_open)
        panel.practiceChosen.connect(self._psc_practice_chosen)
        panel.cancelled.connect(self.psc_cancel)
        panel.stack.currentChanged.connect(self._psc_step)
        self.fill(settings_mod.current(), demo_hint)
        first_paint.watch(self)  # start-up measure of bench/ui.py; off unless asked

    async def _load_core(self) -> SignIn:
        if self.core is None:
            self.core = (await load_core())(self.data_root, self.opener)
        return self.core

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
        self.reprobe.stop()
        for future in (self._probe, self._attempt, self._psc_task):
            if future is not None and not future.done():
                future.cancel()
        super().closeEvent(event)
        self.closed.emit()

    # Server probe and registration --------------------------------------------------------------

    def server_url(self) -> str:
        return usable_server_url(self.server_edit.text())

    def _refuse_server(self, url: str) -> bool:
        """Says under the field why `url` is not usable (True), or hides that (False)."""
        if not say_server_error(self.server_error, url):
            return False
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
        """Asks the server's public Session: does it answer, where is its registration page
        (a newer probe replaces one in flight)."""
        url = complete_server_field(self.server_edit)
        if url and self._refuse_server(url):
            if self._probe is not None:
                self._probe.cancel()
            self.server_reachable = None
            self._update_button()
            return
        ca_bundle = settings_mod.current().ca_bundle_path()

        async def probe() -> ServerProbe:
            core = await self._load_core()
            return await core.probe(url, ca_bundle)

        self._probe = tasks.run(probe(), self, self._probed, key="probe")

    def _probed(self, probe: ServerProbe) -> None:
        if probe.state is ServerState.REFUSED:
            self._set_refused(tasks.sentence(probe.message))
        elif probe.state is ServerState.UNREACHABLE:
            self._set_reachable(False)
        elif probe.state is ServerState.UNKNOWN:
            self.server_reachable = None
            self._set_tls_refused(False)
        else:
            self.registration_url = probe.registration_url or FALLBACK_REGISTRATION_URL
            self._set_reachable(True)
        if probe.state is ServerState.ANSWERS:
            self._discover_psc()
        elif self._psc_task is None or self._psc_task.done():
            self._show_psc(None)

    # Pro Santé Connect ---------------------------------------------------------------------------

    def _discover_psc(self) -> None:
        url, ca_bundle = self.server_url(), settings_mod.current().ca_bundle_path()

        async def discover() -> PscServer | None:
            core = await self._load_core()
            return await core.psc_server(url, ca_bundle)

        tasks.run(discover(), self, self._show_psc, key="psc-discovery")

    def _show_psc(self, server: PscServer | None) -> None:
        """The PSC buttons only when the server offers PSC."""
        self.psc_server = server
        self.psc_panel.setVisible(server is not None)
        grow_to_fit(self)

    def _psc_step(self, index: int) -> None:
        """While a PSC login is under way, the password form rests (one login at a time)."""
        resting = index != 0
        for widget in (self.server_edit, self.login_edit, self.password_edit, self.submit_button):
            throttled = widget is self.submit_button and self.throttled
            widget.setEnabled(not resting and not self.busy and not throttled)

    def psc_browser(self) -> None:
        """Opens the server's PSC page in the system browser and waits for its answer."""
        server = self.psc_server
        if server is None or self.busy:
            return
        self.error_banner.hide()
        self.psc_panel.show_waiting()
        ca_bundle = settings_mod.current().ca_bundle_path()

        async def flow() -> PscGrant:
            core = await self._load_core()
            return await core.psc_browser(
                server, lambda url: browser.open_link(url, self), ca_bundle
            )

        self._psc_task = tasks.run(flow(), self, self._psc_granted, self._psc_failed, key="psc")

    def psc_push(self, rpps: str) -> None:
        """The e-CPS push: the RPPS checked here, the code shown, the answer awaited."""
        server, core = self.psc_server, self.core
        if server is None or core is None:
            return
        problem = core.rpps_problem(rpps)
        if problem is not None:
            self.psc_panel.show_rpps(tasks.sentence(problem))
            return
        self.error_banner.hide()
        ca_bundle = settings_mod.current().ca_bundle_path()

        async def flow() -> PscGrant:
            request: CibaRequest = await core.psc_push(server, rpps, ca_bundle)
            self.psc_panel.show_code(request.binding_message, request.seconds_left())
            return await core.psc_push_wait(server, request, ca_bundle)

        self._psc_task = tasks.run(flow(), self, self._psc_granted, self._psc_failed, key="psc")

    def psc_cancel(self) -> None:
        """« Annuler » at any step: the wait stops (the loopback closes), nothing is kept."""
        if self._psc_task is not None:
            self._psc_task.cancel()
        self.psc_grant = None
        self._set_busy(False)

    def _psc_failed(self, message_fr: str) -> None:
        self.psc_panel.show_start()
        self.psc_grant = None
        self.error_banner.say(message_fr)
        grow_to_fit(self)

    def _psc_granted(self, grant: PscGrant) -> None:
        """Logged in at the server: the practice (if several), then the local passphrase."""
        self.psc_grant = grant
        assert self.core is not None
        if self.core.psc_practice(self.server_url(), grant) is None and grant.practices:
            self.psc_panel.show_practices([p.label for p in grant.practices])
        else:
            self._ask_passphrase()
        grow_to_fit(self)

    def _psc_practice_chosen(self, index: int) -> None:
        grant, core = self.psc_grant, self.core
        if grant is None or core is None or not 0 <= index < len(grant.practices):
            return
        core.psc_practice(self.server_url(), grant, grant.practices[index])
        self._ask_passphrase()

    def _ask_passphrase(self, error: str = "") -> None:
        grant, core = self.psc_grant, self.core
        assert grant is not None
        assert core is not None
        self.psc_creating = not core.known_here(self.server_url(), grant.login)
        self.psc_panel.show_passphrase(self.psc_creating, error)
        grow_to_fit(self)

    def psc_open(self, passphrase: str) -> None:
        """The account opened with the server's tokens and the passphrase for the vault."""
        grant, core = self.psc_grant, self.core
        if grant is None or core is None or self.busy:
            return
        if self.psc_creating:
            problem = core.passphrase_problem(passphrase)
            if problem is not None:
                self._ask_passphrase(tasks.sentence(problem))
                return
        server, remember = self.server_url(), self.remember_box.isChecked()
        ca_bundle = settings_mod.current().ca_bundle_path()
        self._set_busy(True)

        async def attempt() -> AccountSession:
            return await core.open_psc(
                server,
                grant,
                passphrase,
                remember=remember,
                ca_bundle=ca_bundle,
                approve=self.ask_approval,
            )

        def done(session: AccountSession) -> None:
            self._set_busy(False)
            self.psc_grant = None
            self.psc_panel.show_start()
            settings_mod.update(server_url=server, last_login=grant.login, remember_me=remember)
            log.info("account opened with Pro Santé Connect")
            self.opened.emit(session)

        def failed(message_fr: str) -> None:
            self._set_busy(False)
            self._ask_passphrase(message_fr)

        self._attempt = tasks.change(attempt(), self, done, failed)

    def _set_reachable(self, reachable: bool) -> None:
        self.server_reachable = reachable
        if reachable:
            self.reprobe.stop()
            self.offline_banner.hide()
        else:
            self.offline_banner.say(self._offline_text())
            if self.isVisible():
                self.reprobe.start()
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
        """Whether this computer keeps the account typed. Asked only once the server answered or
        not (the core is loaded by then): before, it changes nothing on screen."""
        core = self.core
        return core is not None and core.known_here(
            self.server_url(), self.login_edit.text().strip()
        )

    def _update_button(self) -> None:
        known = self._known_here()
        offline = self.server_reachable is False and known
        self.submit_button.setText(self.tr("Ouvrir hors ligne") if offline else self.submit_label())
        self.offline_button.setVisible(self.tls_refused and known)
        psc_account = self.core is not None and self.core.psc_account(
            self.server_url(), self.login_edit.text().strip()
        )
        self.password_caption.setText(
            self.tr("Phrase de déverrouillage") if psc_account else self.tr("Mot de passe")
        )
        self.psc_note.setVisible(psc_account and self.server_reachable is False)
        if self.server_reachable is False and self.offline_banner.isVisible():
            self.offline_banner.say(self._offline_text())

    def open_registration(self) -> None:
        browser.open_link(self.registration_url, self)

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
        core = self.core
        if (
            not offline
            and self.server_reachable is not False
            and self.psc_server is not None
            and core is not None
            and core.psc_account(server, login)
        ):  # its passphrase is no server password: never sent as one
            self.error_banner.say(
                self.tr(
                    "Ce compte se connecte avec Pro Santé Connect : utilisez le bouton « Se "
                    "connecter avec Pro Santé Connect »."
                )
            )
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
            core = await self._load_core()
            try:
                session = await core.open(
                    server,
                    login,
                    password,
                    remember=remember,
                    ca_bundle=ca_bundle,
                    offline=offline,
                    approve=self.ask_approval,
                )
            except CoreError as e:  # shown by _failed; these two also change the form
                wait = core.retry_after(e)
                if wait is not None:
                    self._start_throttle(wait)
                if core.tls_refused(e):
                    self._set_tls_refused(True)
                raise
            self._set_tls_refused(False)
            return session

        def done(session: AccountSession) -> None:
            self._set_busy(False)
            settings_mod.update(server_url=server, last_login=login, remember_me=remember)
            if session.account.online:
                self._set_reachable(True)
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

    async def ask_approval(self, origins: tuple[str, ...]) -> None:
        """Shows the origins (OriginApprovalDialog, window-modal); returns once approved, raises
        a CoreError saying the login was cancelled otherwise."""
        dialog = OriginApprovalDialog(origins, self)
        answer: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

        def answered(approved: bool) -> None:
            if not answer.done():
                answer.set_result(approved)

        dialog.accepted.connect(lambda: answered(True))
        dialog.rejected.connect(lambda: answered(False))
        self.approval_dialog = dialog
        self.show_busy(False)
        dialog.open()
        try:
            approved = await answer
        finally:
            self.approval_dialog = None
            dialog.close()
            dialog.deleteLater()
            self.show_busy(True)
        if not approved:
            raise CoreError(
                "other origins declined",
                self.tr(
                    "Connexion annulée : les autres adresses demandées par le serveur "
                    "n'ont pas été autorisées. Rien ne leur a été envoyé, et rien n'a "
                    "été enregistré sur cet ordinateur."
                ),
            )

    def _failed(self, message_fr: str) -> None:
        self._set_busy(False)
        self.error_banner.say(message_fr)
        self.probe_server()  # is the offline banner, if any, still true?
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
            self.psc_panel,
        ):
            widget.setEnabled(not busy and not (widget is self.submit_button and self.throttled))
        # Without a keyring the box stays disabled (set_keyring_available).
        self.remember_box.setEnabled(not busy and self.keyring_available is not False)
        self.show_busy(busy)

    def set_keyring_available(self, available: bool) -> None:
        """Without a keyring that can keep a token safely, "Se souvenir de moi" is unticked and
        disabled, and the line under it says why and what to do."""
        self.keyring_available = available
        if not available:
            self.remember_box.setChecked(False)
        self.remember_box.setEnabled(available and not self.busy)
        self.keyring_note.setVisible(not available)
        grow_to_fit(self)

    @property
    def throttled(self) -> bool:
        return self._throttle.isActive()

    def _start_throttle(self, seconds: float) -> None:
        self._throttle.start(max(1, int(seconds * 1000)))
        self.submit_button.setEnabled(False)

    def _end_throttle(self) -> None:
        self.submit_button.setEnabled(not self.busy)
