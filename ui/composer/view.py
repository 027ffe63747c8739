"""The composer's window as the user sees it: the bar of actions, the fields (À, Cc, Patient,
Objet), the text, the documents and the progress of a send, and how each looks in each state
(sending, a notice above the text, the patient's chip). No session logic here: `Composer`
(composer.py) derives from this view and says what the buttons do, the way a Qt Designer form
is set up under the class that drives it.

The keyboard belongs to the text: one keystroke once sent an empty reply, because "Envoyer",
first in the window, had the focus and Space pressed it. So the focus opens where the user
writes, no button takes it unless reached by Tab, and a message without subject or text is
sent only after a question whose default answer is to go back to it."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.about import window_title
from app.message.draft import ChosenPatient
from app.message.patient import format_ins
from app.session import AccountSession
from ui import theme
from ui.composer import trust
from ui.composer.chips import Chip
from ui.composer.recipients import RecipientField
from ui.composer.replies import written_end
from ui.documents import DocumentList
from ui.plain import ElidedLabel, PlainLabel, plain_message_box, plain_text


class ComposerView(QWidget):
    """The widgets of a composer window; `Composer` connects them."""

    def __init__(self, session: AccountSession, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("composer")
        self.setWindowTitle(window_title(self.tr("Nouveau message")))
        self.resize(860, 720)
        self.placed = False  # put beside the window it was opened from, once, on first show
        self.notice_text = ""
        self.notice_box: QMessageBox | None = None
        self.patient_chip: Chip | None = None
        self.question: QMessageBox | None = None  # "L'envoyer quand même ?", while asked
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        root.addWidget(self._build_bar())
        root.addWidget(self._build_page(session), 1)
        self._keys_for_typing()

    def _build_bar(self) -> QFrame:
        bar = QFrame()
        bar.setObjectName("composerBar")
        bar_layout = QHBoxLayout(bar)
        bar_layout.setContentsMargins(16, 8, 16, 8)
        bar_layout.setSpacing(8)
        self.send_button = QPushButton(theme.icon("send"), self.tr("Envoyer"))
        self.send_button.setObjectName("primaryButton")
        self.send_button.setToolTip(self.tr("Envoyer (Ctrl+Entrée)"))
        self.insert_button = QPushButton(
            theme.icon("mail-attachment"), self.tr("Insérer un document")
        )
        self.patient_button = QPushButton(theme.icon("nav-patients"), self.tr("Patient…"))
        self.patient_button.setToolTip(self.tr("Choisir le patient concerné"))
        self.directory_button = QPushButton(
            theme.icon("search"), self.tr("Rechercher un destinataire")
        )
        self.discard_button = QPushButton(theme.icon("action-delete"), self.tr("Supprimer"))
        self.discard_button.setObjectName("quietButton")
        self.discard_button.setToolTip(self.tr("Supprimer ce brouillon et fermer"))
        for button in (
            self.send_button,
            self.insert_button,
            self.patient_button,
            self.directory_button,
        ):
            bar_layout.addWidget(button)
        bar_layout.addStretch(1)
        bar_layout.addWidget(self.discard_button)
        return bar

    def _keys_for_typing(self) -> None:
        """A key meant for the text never presses a button: no button is the default one (Enter)
        nor takes the focus on open or on a click (Space); Tab reaches them, in the order the
        user reads the window — the fields, the text, then the actions."""
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.body.setTabChangesFocus(True)
        chain: list[QWidget] = [
            self.to_field.line_edit,
            self.cc_field.line_edit,
            self.patient_empty,
            self.subject_edit,
            self.body,
            self.send_button,
            self.insert_button,
            self.patient_button,
            self.directory_button,
            self.discard_button,
        ]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    def _build_page(self, session: AccountSession) -> QFrame:
        page = QFrame()
        page.setObjectName("composerPage")
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(24, 16, 24, 16)
        page_layout.setSpacing(8)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)
        self.to_field = RecipientField(session)
        self.cc_field = RecipientField(session)
        self.patient_box = QFrame()
        self.patient_box.setObjectName("patientBox")
        self.patient_layout = QHBoxLayout(self.patient_box)
        self.patient_layout.setContentsMargins(0, 0, 0, 0)
        self.patient_empty = QPushButton(self.tr("Aucun patient — choisir…"))
        self.patient_empty.setObjectName("linkButton")
        self.patient_layout.addWidget(self.patient_empty)
        self.patient_layout.addStretch(1)
        self.subject_edit = QLineEdit()
        self.subject_edit.setObjectName("subjectEdit")
        self.subject_edit.setPlaceholderText(self.tr("Objet du message"))
        for row, (label, widget) in enumerate(
            (
                (self.tr("À"), self.to_field),
                (self.tr("Cc"), self.cc_field),
                (self.tr("Patient"), self.patient_box),
                (self.tr("Objet"), self.subject_edit),
            )
        ):
            caption = PlainLabel(label)
            caption.setObjectName("fieldLabel")
            grid.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
            grid.addWidget(widget, row, 1)
        # Issue 14 §1: shown only when a recipient is a patient's mailbox (Mon espace santé).
        self.no_reply_check = QCheckBox(self.tr("Le patient ne peut pas répondre"))
        self.no_reply_check.setObjectName("patientNoReply")
        self.no_reply_check.setToolTip(
            self.tr("Mon espace santé ne proposera pas au patient de répondre à ce message.")
        )
        self.no_reply_check.hide()
        # Issue 14 §2: a read receipt (RFC 8098), which the recipient may send or not.
        self.read_receipt_box = QCheckBox(self.tr("Demander un accusé de lecture"))
        self.read_receipt_box.setObjectName("readReceiptBox")
        options = QHBoxLayout()
        options.setContentsMargins(0, 0, 0, 0)
        options.setSpacing(24)  # two options side by side, each label clear of the next box
        options.addWidget(self.read_receipt_box)
        options.addWidget(self.no_reply_check)
        options.addStretch(1)
        grid.addLayout(options, 4, 1)
        grid.setColumnStretch(1, 1)
        page_layout.addLayout(grid)

        self.notice = PlainLabel()
        self.notice.setObjectName("composerNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        page_layout.addWidget(self.notice)

        self.body = QPlainTextEdit()
        self.body.setObjectName("messageBody")
        self.body.setPlaceholderText(self.tr("Votre message…"))
        page_layout.addWidget(self.body, 1)

        self.documents = DocumentList()
        page_layout.addWidget(self.documents)

        progress_row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setObjectName("sendProgress")
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(6)
        self.progress_label = ElidedLabel()
        self.progress_label.setObjectName("hint")
        progress_row.addWidget(self.progress_label)
        progress_row.addWidget(self.progress, 1)
        # The draft's state at the bottom, not in the button bar: there it took the room of the
        # buttons, or widened the window past the screen's edge when it appeared.
        self.draft_label = ElidedLabel()
        self.draft_label.setObjectName("draftState")
        progress_row.addStretch(0)
        progress_row.addWidget(self.draft_label)
        self.progress.hide()
        self.progress_label.hide()
        page_layout.addLayout(progress_row)
        return page

    def focus_on_open(self, answering: bool) -> None:
        """The keyboard where the user writes first: the text of an answer (above the original
        message) and of a draft already addressed (where they stopped), À otherwise."""
        if answering or self.to_field.recipients():
            self.body.setFocus(Qt.FocusReason.OtherFocusReason)
            self.put_cursor(written_end(self.body.toPlainText()))
        else:
            self.to_field.line_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def put_cursor(self, position: int) -> None:
        """The text cursor at `position` in the text, in view."""
        cursor = self.body.textCursor()
        cursor.setPosition(position)
        self.body.setTextCursor(cursor)
        self.body.ensureCursorVisible()

    def add_send_shortcuts(self) -> list[QShortcut]:
        """Ctrl+Entrée (either key) sends."""
        return [QShortcut(QKeySequence(keys), self) for keys in ("Ctrl+Return", "Ctrl+Enter")]

    def add_close_shortcut(self) -> QShortcut:
        """Escape closes the window. Its context is this window: while the recipients'
        proposals are open (a popup, a window of its own), Escape closes them only."""
        return QShortcut(QKeySequence(Qt.Key.Key_Escape), self)

    def retitle(self) -> None:
        """The window's title: the subject, once there is one."""
        subject = self.subject_edit.text().strip()
        self.setWindowTitle(window_title(plain_text(subject) or self.tr("Nouveau message")))

    def show_patient(self, patient: ChosenPatient | None) -> Chip | None:
        """The patient's chip (name, then birth, sex and INS), or "Aucun patient — choisir…"."""
        if self.patient_chip is not None:
            self.patient_chip.deleteLater()
            self.patient_chip = None
        self.patient_empty.setVisible(patient is None)
        if patient is None:
            return None
        identity = patient.identity
        name = " ".join(p for p in (identity.family.upper(), identity.given) if p)
        detail = identity.display().removeprefix(name).lstrip(", ")
        if identity.ins:
            ins = f"INS {format_ins(identity.ins)}"
            detail = f"{detail} · {ins}" if detail else ins
        self.patient_chip = Chip(name, detail, kind="patient")
        self.patient_layout.insertWidget(0, self.patient_chip)
        self.patient_chip.tab_before(self.subject_edit)
        return self.patient_chip

    def show_patient_mailbox(self, on: bool) -> None:
        """The option « Le patient ne peut pas répondre », while a patient's mailbox is among
        the recipients (unchecked once there is none: it would mean nothing)."""
        self.no_reply_check.setVisible(on)
        if not on:
            self.no_reply_check.setChecked(False)

    def show_sending(self, on: bool) -> None:
        """While sending, nothing can be changed and the progress shows."""
        for widget in (
            self.send_button,
            self.insert_button,
            self.patient_button,
            self.directory_button,
            self.discard_button,
            self.to_field,
            self.cc_field,
            self.subject_edit,
            self.body,
            self.documents,
            self.patient_box,
            self.no_reply_check,
        ):
            widget.setEnabled(not on)
        self.progress.setVisible(on)
        self.progress_label.setVisible(on)
        self.progress_label.setText(self.tr("Envoi en cours…"))

    def can_go(self) -> bool:
        """Whether the fields can be sent as they are: recipients that are addresses (at least
        one in À) and documents still on disk. If not, the notice says what to change."""
        for field in (self.to_field, self.cc_field):
            field.commit_typed()
            if field.pending_text():
                self.notify(
                    self.tr(
                        "« %1 » n'est pas une adresse : choisissez un destinataire proposé."
                    ).replace("%1", field.pending_text()),
                    error=True,
                )
                return False
        if not self.to_field.recipients():
            self.notify(self.tr("Ajoutez au moins un destinataire."), error=True)
            return False
        outside = self.to_field.outside_trust_space() + self.cc_field.outside_trust_space()
        if outside:  # issue 14 §3
            self.notify(trust.refusal(outside), error=True)
            return False
        missing = [d.name for d in self.documents.documents if not d.path.is_file()]
        if missing:
            self.notify(self.tr("Document introuvable : ") + ", ".join(missing), error=True)
            return False
        return True

    def ask_send_anyway(
        self, no_subject: bool, no_text: bool, send: Callable[[], None]
    ) -> QMessageBox:
        """Asks before sending a message without subject or text (one question naming what is
        missing); `send()` when confirmed. Going back is the default: Enter or Escape in the
        question returns to the missing field, only a deliberate choice sends."""
        if no_subject and no_text:
            text = self.tr("Ce message n'a ni objet ni texte. L'envoyer quand même\u00a0?")
        elif no_subject:
            text = self.tr("Ce message n'a pas d'objet. L'envoyer quand même\u00a0?")
        else:
            text = self.tr("Vous n'avez rien écrit dans ce message. L'envoyer quand même\u00a0?")
        box = plain_message_box(self, QMessageBox.Icon.Question, self.tr("Envoyer"), text)
        box.setObjectName("sendAnywayQuestion")
        go = box.addButton(self.tr("Envoyer quand même"), QMessageBox.ButtonRole.AcceptRole)
        back = box.addButton(self.tr("Revenir au message"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        box.setEscapeButton(back)
        go.clicked.connect(send)
        missing = self.subject_edit if no_subject else self.body
        back.clicked.connect(lambda: missing.setFocus(Qt.FocusReason.OtherFocusReason))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        self.question = box
        box.finished.connect(self._answered)
        box.open()
        return box

    def _answered(self) -> None:
        self.question = None

    def place(self) -> None:
        """Centred on the window the user works in (the main window when drafts are reopened
        after login), within its screen: never at the screen's corner, never past its edge."""
        if self.placed:
            return
        self.placed = True
        anchor = QApplication.activeWindow()
        if anchor is None or isinstance(anchor, ComposerView):
            anchor = next(
                (
                    w
                    for w in QApplication.topLevelWidgets()
                    if isinstance(w, QMainWindow) and w.isVisible()
                ),
                None,
            )
        screen = (anchor or self).screen().availableGeometry()
        border = self.frameGeometry().size() - self.size()  # the window manager's frame
        self.resize(
            min(self.width(), screen.width() - border.width()),
            min(self.height(), screen.height() - border.height()),
        )
        frame = self.frameGeometry()
        frame.moveCenter(anchor.frameGeometry().center() if anchor is not None else screen.center())
        frame.moveRight(min(frame.right(), screen.right()))
        frame.moveBottom(min(frame.bottom(), screen.bottom()))
        frame.moveLeft(max(frame.left(), screen.left()))
        frame.moveTop(max(frame.top(), screen.top()))
        self.move(frame.topLeft())

    def notify(self, text: str, error: bool = False) -> None:
        """A line above the text (not a dialog: the user keeps writing)."""
        self.notice_text = text
        self.notice.setText(text)
        theme.restyle(self.notice, error=error)
        self.notice.show()

    def notify_after_close(self, text: str) -> None:
        """A notice that outlives the window (it closes once the message is in the outbox)."""
        self.notice_text = text
        self.notice_box = show_notice(self.parentWidget(), text)


_shown: set[QMessageBox] = set()  # notices without a parent, kept until closed


def show_notice(parent: QWidget | None, text: str) -> QMessageBox:
    """A message box that does not block: the user reads it when they like. It stays until closed
    even with no parent and no reference kept by the caller (Python would collect it)."""
    box = plain_message_box(
        parent,
        QMessageBox.Icon.Information,
        QCoreApplication.translate("ComposerView", "Message"),
        text,
        buttons=QMessageBox.StandardButton.Ok,
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.NonModal)
    _shown.add(box)
    box.finished.connect(lambda _result: _shown.discard(box))
    box.show()
    return box


__all__ = ["ComposerView", "show_notice"]
