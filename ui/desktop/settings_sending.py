"""The settings' card about sending: the undo delay ("Délai d'annulation de l'envoi").

A message sent online waits this many seconds before it leaves, counted down on the status bar
with "Annuler" (ui/mail/undo_send.py), as Gmail and Thunderbird do; 0 turns the delay off. The
range stops at a minute: longer, a message the user believes sent would sit unsent for too long."""

from __future__ import annotations

from PySide6.QtWidgets import QSpinBox

from app.outbox.sender import MAX_HOLD_S
from app.settings import Settings
from ui.desktop.settings_card import SettingsCard, field_row, hint

MAX_DELAY_S = int(MAX_HOLD_S)  # the core caps a stored delay without its length at it


class SendingCard(SettingsCard):
    """ "Envoi": the undo delay, 0 (off) to 60 s."""

    def __init__(self, current: Settings) -> None:
        super().__init__("mail-outbox", self.tr("Envoi"))
        self.delay_spin = QSpinBox()
        self.delay_spin.setObjectName("sendDelaySpin")
        self.delay_spin.setRange(0, MAX_DELAY_S)
        self.delay_spin.setSuffix(" s")
        self.delay_spin.setSpecialValueText(self.tr("Désactivé"))
        self.delay_spin.setMinimumWidth(140)
        self.body.addLayout(field_row(self.tr("Délai d'annulation de l'envoi"), self.delay_spin))
        self.body.addWidget(
            hint(
                self.tr(
                    "Un message envoyé attend ce délai avant de partir : «\u00a0Annuler\u00a0», "
                    "dans la barre d'état, le rouvre pour le modifier. Hors connexion, il attend "
                    "le retour de la connexion."
                )
            )
        )
        self.delay_spin.setValue(min(current.send_delay_s, MAX_DELAY_S))

    def changes(self) -> dict[str, object]:
        return {"send_delay_s": self.delay_spin.value()}
