"""The settings' card of the signature: plain text added below my new messages and above the
original message of my answers, under the usual "-- " line.

The server may keep a signature for my address (JMAP `Identity.textSignature`): that one is used,
and the card says so, since it follows the user from one computer to another; the one typed here
is used otherwise."""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QPlainTextEdit

from app.records import Identity
from app.session import AccountSession
from app.settings import Settings
from ui import tasks
from ui.desktop.settings_card import SettingsCard, field_label, hint, say

SIGNATURE_LINES = 4  # the field's height, in lines: a name, a specialty, an address, a phone


class SignatureCard(SettingsCard):
    """ "Signature": the text, and whether the server's replaces it."""

    def __init__(self, current: Settings, session: AccountSession | None) -> None:
        super().__init__("pen", self.tr("Signature"))
        self.signature_edit = QPlainTextEdit()
        self.signature_edit.setObjectName("signatureEdit")
        self.signature_edit.setTabChangesFocus(True)  # Tab goes on to the next field
        self.signature_edit.setPlaceholderText(self.tr("Dr Prénom Nom\nSpécialité\nTéléphone"))
        lines = QFontMetrics(self.signature_edit.font()).lineSpacing() * SIGNATURE_LINES
        self.signature_edit.setFixedHeight(lines + 16)
        self.body.addWidget(field_label(self.tr("Ajoutée à vos messages"), self.signature_edit))
        self.body.addWidget(self.signature_edit)
        self.body.addWidget(
            hint(
                self.tr(
                    "En texte simple, sous vos nouveaux messages et au-dessus du message "
                    "d'origine dans vos réponses et transferts, après une ligne « -- »."
                )
            )
        )
        self.server_label = hint("")
        self.server_label.setObjectName("serverSignature")
        self.server_label.hide()
        self.body.addWidget(self.server_label)
        self.signature_edit.setPlainText(current.signature)
        if session is not None:
            tasks.run(session.identities(), self, self._show_server)

    def _show_server(self, mine: list[Identity]) -> None:
        if mine and mine[0].text_signature:
            say(
                self.server_label,
                self.tr(
                    "Le serveur garde une signature pour {address} : c'est elle qui est ajoutée."
                ).format(address=mine[0].address.email),
            )

    def changes(self) -> dict[str, object]:
        return {"signature": self.signature_edit.toPlainText().strip("\n")}
