"""The Pro Santé Connect part of the login card (issue 15 §1): a view with its steps, one at a
time — the two ways in (the browser, the e-CPS push), the wait for the browser, the RPPS, the
binding code with its countdown, the local passphrase, the practice. LoginWindow drives it
(ui/login/window.py); every step has « Annuler », which brings back the two buttons.

Shown only when the server offers PSC. Text from the server (practice labels, its refusals) is
plain text."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ui.login.banners import WrappedText
from ui.plain import PlainLabel, plain_text

__all__ = ["PscPanel"]


class _ChoiceText(WrappedText):
    """A practice's label beside its radio button: a radio button's own text does not wrap, and
    a practice's name (« Maison de santé pluriprofessionnelle des Pentes — Lyon 1er ») is often
    longer than the card; the town that tells two practices apart is at its end. A click on it
    picks the practice, as a click on a radio button's text would."""

    def __init__(self, text: str, button: QRadioButton) -> None:
        super().__init__(text)
        self.setWordWrap(True)
        self._button = button

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._button.setChecked(True)
            self._button.setFocus()
        super().mouseReleaseEvent(event)


class _Steps(QWidget):
    """One page shown at a time, like QStackedWidget, but each page with its own height: the
    stack sizes every page to the tallest and squeezes word-wrapped sentences over each other."""

    currentChanged = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._pages: list[QWidget] = []
        self._current: QWidget | None = None

    def addWidget(self, page: QWidget) -> None:
        self._pages.append(page)
        self._layout.addWidget(page)
        page.setVisible(len(self._pages) == 1)
        if self._current is None:
            self._current = page

    def currentWidget(self) -> QWidget | None:
        return self._current

    def setCurrentWidget(self, page: QWidget) -> None:
        for other in self._pages:
            other.setVisible(other is page)
        layout = page.layout()
        if layout is not None:
            layout.activate()
        for label in page.findChildren(WrappedText):  # their height for the width they now have
            label.setText(label.text())
        if page is not self._current:
            self._current = page
            self.currentChanged.emit(self._pages.index(page))


class PscPanel(QFrame):
    """The steps of a PSC login, as pages of a stack."""

    browserRequested = Signal()
    pushRequested = Signal()  # "Recevoir une notification e-CPS": the RPPS page
    rppsGiven = Signal(str)
    passphraseGiven = Signal(str)
    practiceChosen = Signal(int)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pscPanel")
        self.stack = _Steps()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self._deadline_s = 0
        self.countdown = QTimer(self)
        self.countdown.setInterval(1000)
        self.countdown.timeout.connect(self._tick)
        self._build_start()
        self._build_waiting()
        self._build_rpps()
        self._build_code()
        self._build_passphrase()
        self._build_practice()
        self.show_start()

    # Pages ---------------------------------------------------------------------------------------

    def _page(self) -> tuple[QWidget, QVBoxLayout]:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.stack.addWidget(page)
        return page, layout

    def _cancel_button(self) -> QPushButton:
        button = QPushButton(self.tr("Annuler"))
        button.setObjectName("pscCancel")
        button.setAutoDefault(False)
        button.clicked.connect(self.cancel)
        return button

    def _build_start(self) -> None:
        self.start_page, layout = self._page()
        or_label = PlainLabel(self.tr("ou"))
        or_label.setObjectName("loginSubtitle")
        or_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.browser_button = QPushButton(self.tr("Se connecter avec Pro Santé Connect"))
        self.browser_button.setObjectName("pscButton")
        self.browser_button.setProperty("primary", True)
        self.browser_button.setMinimumHeight(40)
        self.browser_button.setAutoDefault(False)
        self.browser_button.clicked.connect(self.browserRequested)
        hint = PlainLabel(self.tr("Carte CPS ou e-CPS, dans votre navigateur"))
        hint.setObjectName("loginSubtitle")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.push_button = QPushButton(self.tr("Recevoir une notification e-CPS"))
        self.push_button.setObjectName("pscPushButton")
        self.push_button.setProperty("link", True)
        self.push_button.setAutoDefault(False)
        self.push_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.push_button.clicked.connect(self.pushRequested)
        layout.addWidget(or_label)
        layout.addWidget(self.browser_button)
        layout.addWidget(hint)
        layout.addWidget(self.push_button, 0, Qt.AlignmentFlag.AlignHCenter)

    def _build_waiting(self) -> None:
        self.waiting_page, layout = self._page()
        self.waiting_label = self._wrapped(
            self.tr(
                "Terminez la connexion dans votre navigateur… Insérez votre carte CPS ou "
                "validez sur votre téléphone (e-CPS), puis revenez ici."
            )
        )
        self.waiting_label.setObjectName("pscWaiting")
        layout.addWidget(self.waiting_label)
        layout.addWidget(self._cancel_button())

    def _build_rpps(self) -> None:
        self.rpps_page, layout = self._page()
        caption = PlainLabel(self.tr("Votre numéro RPPS (11 chiffres, sur votre carte CPS)"))
        caption.setObjectName("fieldLabel")
        self.rpps_edit = QLineEdit()
        self.rpps_edit.setObjectName("rppsEdit")
        self.rpps_edit.setMaxLength(14)
        self.rpps_edit.setMinimumHeight(36)
        self.rpps_edit.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        caption.setBuddy(self.rpps_edit)
        self.rpps_error = self._error_label()
        self.send_button = QPushButton(self.tr("Envoyer la notification"))
        self.send_button.setObjectName("pscSend")
        self.send_button.setProperty("primary", True)
        self.send_button.setAutoDefault(False)
        self.send_button.clicked.connect(lambda: self.rppsGiven.emit(self.rpps_edit.text()))
        self.rpps_edit.returnPressed.connect(self.send_button.click)
        for widget in (caption, self.rpps_edit, self.rpps_error, self.send_button):
            layout.addWidget(widget)
        layout.addWidget(self._cancel_button())

    def _build_code(self) -> None:
        self.code_page, layout = self._page()
        self.code_label = PlainLabel()
        self.code_label.setObjectName("pscBindingCode")
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_label.setStyleSheet("font-size: 32px; font-weight: 600; letter-spacing: 6px;")
        check = self._wrapped(
            self.tr("Vérifiez que votre téléphone affiche ce code, puis validez.")
        )
        self.countdown_label = PlainLabel()
        self.countdown_label.setObjectName("pscCountdown")
        self.countdown_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for widget in (self.code_label, check, self.countdown_label):
            layout.addWidget(widget)
        layout.addWidget(self._cancel_button())

    def _build_passphrase(self) -> None:
        self.passphrase_page, layout = self._page()
        self.passphrase_intro = self._wrapped("")
        caption = PlainLabel(self.tr("Phrase de déverrouillage"))
        caption.setObjectName("fieldLabel")
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setObjectName("passphraseEdit")
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setMinimumHeight(36)
        caption.setBuddy(self.passphrase_edit)
        self.confirm_caption = PlainLabel(self.tr("Confirmez la phrase"))
        self.confirm_caption.setObjectName("fieldLabel")
        self.confirm_edit = QLineEdit()
        self.confirm_edit.setObjectName("passphraseConfirm")
        self.confirm_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm_edit.setMinimumHeight(36)
        self.confirm_caption.setBuddy(self.confirm_edit)
        self.passphrase_rule = self._wrapped(
            self.tr(
                "Au moins 12 caractères, avec au moins deux sortes de caractères (lettres, "
                "chiffres, espaces ou signes). Une courte phrase se retient mieux qu'un mot de "
                "passe : « ma salle d'attente 2e étage »."
            )
        )
        self.passphrase_rule.setObjectName("passphraseRule")
        self.passphrase_error = self._error_label()
        self.passphrase_button = QPushButton(self.tr("Continuer"))
        self.passphrase_button.setObjectName("passphraseOk")
        self.passphrase_button.setProperty("primary", True)
        self.passphrase_button.setAutoDefault(False)
        self.passphrase_button.clicked.connect(self._give_passphrase)
        self.passphrase_edit.returnPressed.connect(self.passphrase_button.click)
        self.confirm_edit.returnPressed.connect(self.passphrase_button.click)
        for widget in (
            self.passphrase_intro,
            caption,
            self.passphrase_edit,
            self.confirm_caption,
            self.confirm_edit,
            self.passphrase_rule,
            self.passphrase_error,
            self.passphrase_button,
        ):
            layout.addWidget(widget)
        layout.addWidget(self._cancel_button())

    def _build_practice(self) -> None:
        self.practice_page, layout = self._page()
        intro = self._wrapped(
            self.tr("Vous exercez à plusieurs endroits : choisissez celui d'où vous écrivez.")
        )
        layout.addWidget(intro)
        self.practice_box = QVBoxLayout()
        layout.addLayout(self.practice_box)
        self.practice_group = QButtonGroup(self)
        self.practice_button = QPushButton(self.tr("Continuer"))
        self.practice_button.setObjectName("practiceOk")
        self.practice_button.setProperty("primary", True)
        self.practice_button.setAutoDefault(False)
        self.practice_button.clicked.connect(
            lambda: self.practiceChosen.emit(self.practice_group.checkedId())
        )
        layout.addWidget(self.practice_button)
        layout.addWidget(self._cancel_button())

    @staticmethod
    def _wrapped(text: str) -> WrappedText:
        label = WrappedText(text)
        label.setWordWrap(True)
        return label

    def _error_label(self) -> PlainLabel:
        label = PlainLabel()
        label.setObjectName("fieldError")
        label.setWordWrap(True)
        label.hide()
        return label

    # What the window shows -----------------------------------------------------------------------

    def show_start(self) -> None:
        self.countdown.stop()
        self.stack.setCurrentWidget(self.start_page)

    def show_waiting(self) -> None:
        self.stack.setCurrentWidget(self.waiting_page)

    def show_rpps(self, error: str = "") -> None:
        self._say(self.rpps_error, error)
        self.stack.setCurrentWidget(self.rpps_page)
        self.rpps_edit.setFocus()

    def show_code(self, code: str, seconds: int) -> None:
        """The binding code, big, and the time left to validate it on the phone."""
        self.code_label.setText(code)
        self._deadline_s = seconds
        self._say_left()
        self.countdown.start()
        self.stack.setCurrentWidget(self.code_page)

    def show_passphrase(self, creating: bool, error: str = "") -> None:
        """At the first PSC login here: create it (twice); later: the one chosen then."""
        self.passphrase_intro.setText(
            self.tr(
                "Première connexion sur cet ordinateur : choisissez une phrase de "
                "déverrouillage. Elle protège vos messages enregistrés ici et vous permettra de "
                "les consulter hors connexion. Elle n'est jamais envoyée."
            )
            if creating
            else self.tr("Saisissez votre phrase de déverrouillage de cet ordinateur.")
        )
        for widget in (self.confirm_caption, self.confirm_edit, self.passphrase_rule):
            widget.setVisible(creating)
        self._say(self.passphrase_error, error)
        self.stack.setCurrentWidget(self.passphrase_page)
        self.passphrase_edit.setFocus()

    def show_practices(self, labels: list[str]) -> None:
        for button in self.practice_group.buttons():
            self.practice_group.removeButton(button)
        while (item := self.practice_box.takeAt(0)) is not None:
            if (row := item.widget()) is not None:
                row.deleteLater()
        for index, label in enumerate(labels):
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            button = QRadioButton()
            button.setObjectName("practiceChoice")
            button.setAccessibleName(plain_text(label))  # the server's text, read as it is
            text = _ChoiceText(label, button)
            text.setObjectName("practiceLabel")
            line.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            line.addWidget(text, 1)
            self.practice_group.addButton(button, index)
            self.practice_box.addWidget(row)
        if labels:
            self.practice_group.button(0).setChecked(True)
        self.stack.setCurrentWidget(self.practice_page)

    def cancel(self) -> None:
        self.show_start()
        self.cancelled.emit()

    @property
    def seconds_left(self) -> int:
        return self._deadline_s

    def _tick(self) -> None:
        self._deadline_s = max(0, self._deadline_s - 1)
        self._say_left()
        if self._deadline_s == 0:
            self.countdown.stop()

    def _say_left(self) -> None:
        minutes, seconds = divmod(self._deadline_s, 60)
        self.countdown_label.setText(
            self.tr("Temps restant : {time}").format(time=f"{minutes}:{seconds:02d}")
        )

    def _give_passphrase(self) -> None:
        text = self.passphrase_edit.text()
        if self.confirm_edit.isVisible() and text != self.confirm_edit.text():
            self._say(self.passphrase_error, self.tr("Les deux phrases ne sont pas identiques."))
            return
        self.passphraseGiven.emit(text)

    @staticmethod
    def _say(label: PlainLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))
