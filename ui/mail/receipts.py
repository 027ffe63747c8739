"""Read receipts in the reader (issue 14 §2): the question on a message that asks for one
(« X demande un accusé de lecture — Envoyer / Ignorer », never answered automatically, asked
once), and where a message I sent stands for each recipient (« Envoyé à X », « Remis à X le … »,
« Lu par X le … », « Non distribué à X : … »)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.dates import numeric_datetime
from app.message.dsn import reason_of
from app.records import Address, EmailRecord, RecipientStatus
from app.session import AccountSession
from ui import tasks
from ui.i18n import core_text
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


def status_line(status: RecipientStatus, known: list[Address]) -> str:
    """One recipient's line: « Envoyé à X », « Remis à X le … », « Lu par X le … » or
    « Non distribué à X : adresse inconnue »."""

    def tr(text: str) -> str:
        return QCoreApplication.translate("DeliveryStatus", text)

    name = _name(status.recipient, known)
    when = numeric_datetime(status.at)
    reason = reason_of(status.code)
    why = core_text(reason) if reason is not None else ""
    if status.state == "read":
        return tr("Lu par %1 le %2").replace("%1", name).replace("%2", when)
    if status.state == "delivered":
        return tr("Remis à %1 le %2").replace("%1", name).replace("%2", when)
    if status.state == "failed":
        return tr("Non distribué à %1 : %2").replace("%1", name).replace("%2", why)
    if why:  # a delay reported: still on its way
        return tr("Envoyé à %1 : %2").replace("%1", name).replace("%2", why)
    return tr("Envoyé à %1").replace("%1", name)


def overall(delivery: list[RecipientStatus]) -> tuple[str, str] | None:
    """The compact status of a sent message in the Envoyés list: (kind, label), the worst news
    first — any recipient not delivered, else read by all, else delivered to all."""

    def tr(text: str) -> str:
        return QCoreApplication.translate("DeliveryStatus", text)

    states = {s.state for s in delivery}
    if not states:
        return None
    if "failed" in states:
        return "failed", tr("Non distribué")
    if states == {"read"}:
        return "read", tr("Lu")
    if states <= {"read", "delivered"}:
        return "delivered", tr("Remis")
    return "sent", tr("Envoyé")


class ReadStatus(QWidget):
    """Where a message I sent stands, one line per recipient (« Envoyé à X », « Remis à X le … »,
    « Lu par X le … », « Non distribué à X : … » in the error colour), and the receipts that say
    it was deleted unread."""

    def __init__(self, record: EmailRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readStatus")
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        known = [*record.to, *record.cc, *record.bcc]
        self.lines: list[PlainLabel] = []
        for status in record.delivery:
            label = PlainLabel(status_line(status, known))
            label.setObjectName("deliveryFailed" if status.state == "failed" else "deliveryLine")
            self.lines.append(label)
        read = {s.recipient for s in record.delivery if s.state == "read"}
        for receipt in record.read_by:
            if receipt.recipient.lower() in read:
                continue
            text = (
                self.tr("Supprimé sans être lu par %1 le %2")
                if receipt.disposition == "deleted"
                else self.tr("Lu par %1 le %2")
            )
            label = PlainLabel(
                text.replace("%1", _name(receipt.recipient, known)).replace(
                    "%2", numeric_datetime(receipt.at)
                )
            )
            label.setObjectName("deliveryLine")
            self.lines.append(label)
        for label in self.lines:
            label.setWordWrap(True)
            column.addWidget(label)

    def text(self) -> str:
        return "\n".join(label.text() for label in self.lines)
