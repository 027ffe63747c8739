"""Read receipts in the reader (issue 14 §2): the question on a message that asks for one
(« X demande un accusé de lecture — Envoyer / Ignorer », never answered automatically, asked
once), and who has read a message I sent (« Lu par X le … »)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QWidget

from app.dates import numeric_datetime
from app.records import Address, EmailRecord
from app.session import AccountSession
from ui import tasks
from ui.plain import PlainLabel


def _name(email: str, known: list[Address]) -> str:
    """The name the message gives this address, else the address."""
    return next((a.name for a in known if a.email.lower() == email.lower() and a.name), email)


class ReceiptQuestion(QFrame):
    """The offer to send a read receipt; hidden once answered."""

    notice = Signal(str)

    def __init__(
        self, session: AccountSession, record: EmailRecord, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.record = record
        self.setObjectName("receiptQuestion")
        self.setProperty("banner", "info")
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 8, 6)
        asker = record.receipt_to[0]
        self.label = PlainLabel(
            self.tr("%1 demande un accusé de lecture").replace(
                "%1", _name(asker.email, [*record.receipt_to, *record.from_])
            )
        )
        self.label.setWordWrap(True)
        row.addWidget(self.label, 1)
        self.send_button = QPushButton(self.tr("Envoyer"))
        self.send_button.setObjectName("sendReceipt")
        self.ignore_button = QPushButton(self.tr("Ignorer"))
        self.ignore_button.setObjectName("ignoreReceipt")
        row.addWidget(self.send_button)
        row.addWidget(self.ignore_button)
        self.send_button.clicked.connect(self._send)
        self.ignore_button.clicked.connect(self._ignore)

    def _busy(self, on: bool) -> None:
        self.send_button.setEnabled(not on)
        self.ignore_button.setEnabled(not on)

    def _send(self) -> None:
        self._busy(True)
        tasks.change(self.session.send_read_receipt(self.record), self, self._sent, self._failed)

    def _ignore(self) -> None:
        self.hide()
        tasks.change(self.session.ignore_read_receipt(self.record), self, None, self.notice.emit)

    def _sent(self, _none: None) -> None:
        self.hide()
        self.notice.emit(self.tr("Accusé de lecture envoyé."))

    def _failed(self, text: str) -> None:
        self._busy(False)
        self.notice.emit(text)


class ReadStatus(PlainLabel):
    """« Lu par X le … », one line per receipt of a message I sent."""

    def __init__(self, record: EmailRecord, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setObjectName("readStatus")
        self.setWordWrap(True)
        known = [*record.to, *record.cc, *record.bcc]
        lines = []
        for receipt in record.read_by:
            text = (
                self.tr("Supprimé sans être lu par %1 le %2")
                if receipt.disposition == "deleted"
                else self.tr("Lu par %1 le %2")
            )
            lines.append(
                text.replace("%1", _name(receipt.recipient, known)).replace(
                    "%2", numeric_datetime(receipt.at)
                )
            )
        self.setText("\n".join(lines))
