"""The settings' connection cards: "Compte et serveur" (the address, with a connection test, and
"Oublier ce compte…") and the extra certificate authorities.

The server address is checked as it is typed and again on OK (ui/server_address.py): a bad one is
said under the field and nothing is saved. "Tester la connexion" asks the server typed here, with
the authorities chosen here, over a verified connection (app/account/sign_in.py, as the login
window does), and shows the core's own sentence when it does not answer.

The extra authorities (IGC Santé roots, a hospital's own) are a PEM file chosen here, checked when
chosen (at least one CA certificate; the authorities it holds are listed, as plain text: they come
from the file) and added to this computer's store by the core, never replacing it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout

from app.account.probe import ServerProbe, ServerState
from app.account.sign_in import SignIn
from app.remote.tls import CaBundle, CaBundleError, read_ca_bundle
from app.settings import Settings
from ui import tasks
from ui.desktop.settings_card import SettingsCard, field_label, field_row, hint, say
from ui.plain import PlainLabel, plain_tooltip
from ui.server_address import say_server_error, server_url_error, usable_server_url


class AccountCard(SettingsCard):
    """ "Compte et serveur". `forgetRequested`: "Oublier ce compte sur cet ordinateur…" (shown
    only with an account open)."""

    forgetRequested = Signal()

    def __init__(
        self, current: Settings, login: str | None, ca_bundle: Callable[[], Path | None]
    ) -> None:
        super().__init__("settings-server", self.tr("Compte et serveur"))
        self._ca_bundle = ca_bundle
        layout = self.body
        self.server_edit = QLineEdit()
        self.server_edit.setObjectName("serverEdit")
        self.server_edit.setPlaceholderText("https://…")
        self.server_edit.textChanged.connect(self._server_changed)
        self.server_error = hint("", error=True)
        self.server_error.hide()
        layout.addWidget(field_label(self.tr("Adresse du serveur"), self.server_edit))
        layout.addWidget(self.server_edit)
        layout.addWidget(self.server_error)
        layout.addWidget(hint(self.tr("Un changement prend effet à la prochaine connexion.")))
        self.test_button = QPushButton(self.tr("Tester la connexion"))
        self.test_button.setObjectName("testButton")
        self.test_button.setAutoDefault(False)
        self.test_button.clicked.connect(self.test_connection)
        self.test_result = hint("")
        self.test_result.hide()
        layout.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.test_result)
        self.login_value = PlainLabel()
        self.login_value.setObjectName("loginValue")
        self.login_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addSpacing(4)
        layout.addLayout(field_row(self.tr("Identifiant"), self.login_value))
        if login is not None:  # an account is open
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
            self.forget_button.clicked.connect(self.forgetRequested)
            layout.addSpacing(4)
            layout.addWidget(self.forget_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.server_edit.setText(current.server_url)
        shown = login if login is not None else current.last_login
        self.login_value.setText(shown or self.tr("aucun compte ouvert"))

    def server_url(self) -> str:
        return usable_server_url(self.server_edit.text())

    def changes(self) -> dict[str, object]:
        return {"server_url": self.server_url()}

    def refuse_bad_address(self) -> bool:
        """Says under the field why the address typed is not usable (True), with the focus
        there; False when it is usable."""
        if not say_server_error(self.server_error, self.server_url()):
            return False
        self.server_edit.setFocus()
        return True

    def _server_changed(self, _text: str) -> None:
        if self.server_error.isVisible() and server_url_error(self.server_url()) is None:
            self.server_error.hide()
        self.test_result.hide()

    def test_connection(self) -> None:
        """Asks the server typed here, with the authorities chosen here, whether it answers over
        a verified connection: the core's own sentence when it does not (a newer test replaces
        one in flight)."""
        if self.refuse_bad_address():
            return
        say(self.test_result, self.tr("Connexion au serveur…"))
        self.test_button.setEnabled(False)

        def done(probe: ServerProbe) -> None:
            self.test_button.setEnabled(True)
            if probe.state is ServerState.ANSWERS:
                say(self.test_result, self.tr("Le serveur répond ; son certificat a été vérifié."))
            else:
                say(self.test_result, tasks.sentence(probe.message), error=True)

        def failed(message_fr: str) -> None:
            self.test_button.setEnabled(True)
            say(self.test_result, message_fr, error=True)

        probe = SignIn.probe(self.server_url(), self._ca_bundle())
        tasks.run(probe, self, done, failed, key="test")


class CertificatesCard(SettingsCard):
    """ "Certificats d'autorité supplémentaires (IGC Santé)": the PEM file OK will save."""

    def __init__(self, current: Settings) -> None:
        super().__init__(
            "settings-certificate", self.tr("Certificats d'autorité supplémentaires (IGC Santé)")
        )
        self._ca_bundle = current.ca_bundle  # what OK saves ("" for none)
        layout = self.body
        layout.addWidget(
            hint(
                self.tr(
                    "En plus des autorités de cet ordinateur, pour un serveur dont le certificat "
                    "vient de l'IGC Santé ou de votre établissement (fichier PEM de votre service "
                    "informatique)."
                )
            )
        )
        chosen = QHBoxLayout()
        chosen.setSpacing(8)
        described = QVBoxLayout()
        described.setSpacing(2)
        self.ca_file_label = PlainLabel()
        self.ca_file_label.setObjectName("caFileValue")
        self.ca_file_label.setWordWrap(True)
        self.ca_subjects = hint("")
        self.ca_subjects.setObjectName("caSubjects")
        self.ca_error = hint("", error=True)
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
        chosen.addLayout(described, 1)
        chosen.addWidget(self.clear_ca_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(chosen)
        self.choose_ca_button = QPushButton(self.tr("Choisir un fichier…"))
        self.choose_ca_button.setObjectName("chooseCaButton")
        self.choose_ca_button.setAutoDefault(False)
        self.choose_ca_button.clicked.connect(self._ask_ca_bundle)
        layout.addWidget(self.choose_ca_button, 0, Qt.AlignmentFlag.AlignLeft)
        self._describe_ca_bundle()

    def changes(self) -> dict[str, object]:
        return {"ca_bundle": self._ca_bundle}

    def ca_bundle_path(self) -> Path | None:
        """The authorities' file OK will save (None: this computer's store only)."""
        return Path(self._ca_bundle) if self._ca_bundle else None

    def _ask_ca_bundle(self) -> None:
        path = self.ca_bundle_path()
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Certificats d'autorité supplémentaires"),
            str(path.parent) if path is not None else "",
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
            self._say_ca_error(tasks.message_of(e))
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
                self._say_ca_error(tasks.message_of(e))
                return
        self.ca_subjects.setText(
            self.tr("Autorités ajoutées : {names}").format(names=" ; ".join(bundle.subjects))
        )

    def _say_ca_error(self, message_fr: str) -> None:
        self.ca_error.setText(message_fr)
        self.ca_error.show()
