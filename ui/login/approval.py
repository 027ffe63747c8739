"""The question asked at the first login of an account whose server names other addresses (a
redirected Session, services elsewhere): may the credentials go there too? Like a mail client's
automatic configuration, the user sees each address and decides once; the core records the answer
with the account and refuses any other address later, without asking (app.remote.origins).

The addresses come from the server: shown as plain text (ui/plain.py), in the ASCII form the core
gives (an internationalised name shows as xn--…, so a look-alike cannot pass for a known name).
Cancel is the default button: approving is the choice that sends something somewhere new.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from app.about import window_title
from ui.plain import PlainLabel


class OriginApprovalDialog(QDialog):
    def __init__(self, origins: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("originApprovalDialog")
        self.setWindowTitle(
            window_title(self.tr("Première connexion : autres adresses du serveur"))
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(12)
        title = PlainLabel(self.tr("Autoriser l'envoi de vos identifiants à d'autres adresses ?"))
        title.setObjectName("dialogTitle")
        title.setWordWrap(True)
        layout.addWidget(title)
        intro = PlainLabel(
            self.tr(
                "Le serveur auquel vous vous connectez demande que votre identifiant et votre "
                "mot de passe (ou votre session) soient aussi envoyés à :"
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.origin_labels = [PlainLabel(origin) for origin in origins]
        for label in self.origin_labels:
            label.setObjectName("approvalOrigin")
            layout.addWidget(label)
        note = PlainLabel(
            self.tr(
                "Rien ne leur a encore été envoyé. N'autorisez ces adresses que si votre "
                "établissement ou votre support vous les a indiquées. Ce choix est gardé pour ce "
                "compte sur cet ordinateur : toute autre adresse sera ensuite refusée."
            )
        )
        note.setObjectName("approvalNote")
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox()
        self.approve_button = buttons.addButton(
            self.tr("Autoriser et continuer"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.approve_button.setObjectName("approveButton")
        self.approve_button.setAutoDefault(False)
        self.cancel_button = buttons.addButton(
            self.tr("Annuler"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(480, self.sizeHint().height())
