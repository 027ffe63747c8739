"""The undo delay on the status bar: "Envoi dans N s… [Annuler]" for each message sent online
that has not left yet (the setting "Délai d'annulation de l'envoi", ui/composer/sending.py).

The message is already in the unsent file when its line shows (app.outbox: a quit or a crash
during the delay sends it at the next start), so these lines only show what the outbox holds:
they are made again from the unsent file after each OutboxChanged, and counted down from what the
core says is left of each delay (AccountSession.hold_left: the monotonic clock, so a wall clock
set forward or back changes neither the countdown nor when the message leaves). "Annuler" takes
the message back to a composer exactly as it was (recipients, subject, text, patient, documents)
through the outbox's "Modifier" — the one step that makes it a saved draft as it leaves the
outbox — so nothing is sent and nothing is lost.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QPushButton, QWidget

from app.events import OutboxChanged
from app.records import OutboxRow, OutboxState, Reopened
from app.session import AccountSession
from ui import tasks
from ui.bridge import EventBridge
from ui.navigator import navigator
from ui.plain import PlainLabel, plain_message_box, plain_tooltip

TICK_MS = 250  # the countdown is redrawn often enough to change on the second


class HeldLine(QWidget):
    """One message in its delay: its countdown and its "Annuler"."""

    def __init__(self, row: OutboxRow, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("heldSend")
        self.row = row
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.label = PlainLabel()
        self.label.setObjectName("heldSendLabel")
        subject = str(row.payload.get("subject") or "")
        self.label.setToolTip(plain_tooltip(subject))
        self.cancel_button = QPushButton(self.tr("Annuler"))
        self.cancel_button.setObjectName("heldSendCancel")
        self.cancel_button.setProperty("link", True)
        self.cancel_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.cancel_button.setToolTip(
            self.tr("Ne pas envoyer ce message et le rouvrir pour le modifier")
        )
        layout.addWidget(self.label)
        layout.addWidget(self.cancel_button)

    def show_countdown(self, left_s: float) -> None:
        self.label.setText(self.tr("Envoi dans {n} s…").format(n=math.ceil(left_s)))


class HeldSends(QWidget):
    """The lines of the messages in their undo delay, oldest first (hidden when none)."""

    def __init__(self, session: AccountSession, bridge: EventBridge, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("heldSends")
        self.session = session
        self.lines: dict[str, HeldLine] = {}
        self.error_box: QMessageBox | None = None
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(12)
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        bridge.outboxChanged.connect(self._on_outbox)
        self.refresh()

    def _on_outbox(self, _event: OutboxChanged) -> None:
        self.refresh()

    def refresh(self) -> None:
        """The lines as the unsent file has them: one per message still in its delay."""
        held = {
            row.id: row
            for row in self.session.outbox_list(OutboxState.QUEUED)
            if self.session.hold_left(row) is not None
        }
        for outbox_id in [i for i in self.lines if i not in held]:
            self.lines.pop(outbox_id).deleteLater()
        for outbox_id, row in held.items():
            if outbox_id not in self.lines:
                line = HeldLine(row, self)
                line.cancel_button.clicked.connect(lambda _=False, i=outbox_id: self.cancel(i))
                self._layout.addWidget(line)
                self.lines[outbox_id] = line
        self._tick()

    def _tick(self) -> None:
        left = {i: self.session.hold_left(line.row) for i, line in self.lines.items()}
        for outbox_id, seconds in left.items():
            if seconds is None:  # its send pass is starting: nothing to cancel any more
                self.lines.pop(outbox_id).deleteLater()
            else:
                self.lines[outbox_id].show_countdown(seconds)
        self.setVisible(bool(self.lines))
        if self.lines and not self._timer.isActive():
            self._timer.start()
        elif not self.lines:
            self._timer.stop()

    def cancel(self, outbox_id: str) -> None:
        """ "Annuler": the message back in a composer, as it was; nothing sent."""
        line = self.lines.get(outbox_id)
        if line is not None:
            line.cancel_button.setEnabled(False)
        tasks.change(self.session.reopen_unsent(outbox_id), self, self._compose, self._failed)

    def _compose(self, reopened: Reopened) -> None:
        navigator().compose(self.session, reopened.draft, draft_id=reopened.draft_id)
        self.refresh()

    def _failed(self, message: str) -> None:
        """Too late (the delay ended as the user clicked): the message went or is going."""
        self.refresh()
        box = plain_message_box(
            self.window(), QMessageBox.Icon.Warning, self.tr("Annuler l'envoi"), message
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.error_box = box
        box.destroyed.connect(lambda *_: setattr(self, "error_box", None))
        box.open()
