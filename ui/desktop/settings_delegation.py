"""The settings' card "Délégation de la planification": the people who may plan my
teleconsultations in my name (a secretary, a colleague), adding one from the directory or by
MSSanté address (a secretary has no directory entry), and taking one away after asking.

The server keeps the list and enforces it (it refuses anyone else's planning in my name), so a
change is sent at once, not on OK, and the card says so. Names and addresses come from the server:
they are shown as plain text."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QWidget,
)

from app.records import Correspondent
from app.regional.records import Delegate
from app.session import AccountSession
from app.text import strip_bidi
from ui import tasks
from ui.desktop.settings_card import SettingsCard, hint, say
from ui.navigator import navigator
from ui.plain import VisibleOnly, plain_message_box, plain_tooltip

ROWS_SHOWN = 4


def delegate_text(delegate: Delegate) -> str:
    return f"{strip_bidi(delegate.name)} — {strip_bidi(delegate.mssante_address)}"


class DelegationCard(SettingsCard):
    def __init__(self, session: AccountSession | None) -> None:
        super().__init__("nav-teleconsultation", self.tr("Délégation de la planification"))
        self._session = session
        self.confirm_box: QMessageBox | None = None
        self.directory_dialog: QDialog | None = None
        self.body.addWidget(
            hint(
                self.tr(
                    "Les personnes qui peuvent planifier, modifier et annuler vos "
                    "téléconsultations en votre nom (un secrétariat, un confrère). Chaque "
                    "changement est enregistré aussitôt sur le serveur."
                )
            )
        )
        self.delegate_list = QListWidget()
        self.delegate_list.setObjectName("delegateList")
        self.delegate_list.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # whole in the tooltip
        self.delegate_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.delegate_list.setFixedHeight(
            self.delegate_list.fontMetrics().lineSpacing() * ROWS_SHOWN + 24
        )
        self.body.addWidget(self.delegate_list)
        self.status_label = hint("")
        self.status_label.setObjectName("delegationStatus")
        self.status_label.hide()
        self.body.addWidget(self.status_label)
        self.address_edit = QLineEdit()
        self.address_edit.setObjectName("delegateAddress")
        self.address_edit.setPlaceholderText(self.tr("ou son adresse MSSanté"))
        self.address_edit.setValidator(VisibleOnly(self.address_edit))
        self.address_edit.setAccessibleName(self.tr("Adresse MSSanté de la personne à ajouter"))
        self.address_edit.installEventFilter(self)  # Entrée adds; it does not press OK
        self.address_edit.textChanged.connect(self._update)
        self.add_button = QPushButton(self.tr("Ajouter…"))
        self.add_button.setObjectName("addDelegate")
        self.add_button.setToolTip(self.tr("Choisir la personne dans l'annuaire"))
        self.add_address_button = QPushButton(self.tr("Ajouter cette adresse"))
        self.add_address_button.setObjectName("addDelegateAddress")
        self.remove_button = QPushButton(self.tr("Retirer"))
        self.remove_button.setObjectName("removeDelegate")
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        for button in (self.add_button, self.remove_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        by_address = QHBoxLayout()
        by_address.setSpacing(8)
        by_address.addWidget(self.address_edit, 1)
        self.add_address_button.setAutoDefault(False)
        by_address.addWidget(self.add_address_button)
        self.body.addLayout(buttons)
        self.body.addLayout(by_address)
        self.add_button.clicked.connect(self.choose)
        self.add_address_button.clicked.connect(self.add_address)
        self.remove_button.clicked.connect(self.ask_remove)
        self.delegate_list.itemSelectionChanged.connect(self._update)
        self._delegates: list[Delegate] = []
        if session is None:
            say(self.status_label, self.tr("Connectez-vous pour gérer votre délégation."))
            for widget in (self.add_button, self.address_edit, self.delegate_list):
                widget.setEnabled(False)
        else:
            self.reload()
        self._update()

    def changes(self) -> dict[str, object]:
        return {}  # nothing local: the server keeps the delegation

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Entrée in the address field adds that address; it does not press the dialog's OK."""
        if (
            watched is self.address_edit
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.add_address()
            return True
        return super().eventFilter(watched, event)

    # Reading ------------------------------------------------------------------------------------

    def reload(self) -> None:
        if self._session is not None:
            tasks.run(self._session.delegations.list(), self, self.show_delegates, self.failed)

    def show_delegates(self, delegates: list[Delegate]) -> None:
        self._delegates = delegates
        self.delegate_list.clear()
        for delegate in delegates:
            item = QListWidgetItem(delegate_text(delegate))
            item.setToolTip(plain_tooltip(delegate_text(delegate)))  # a long address is cut
            item.setData(Qt.ItemDataRole.UserRole, delegate.account_id)
            self.delegate_list.addItem(item)
        if delegates:
            self.status_label.hide()
        else:
            say(
                self.status_label,
                self.tr("Personne ne planifie vos téléconsultations à votre place."),
            )
        self._update()

    def failed(self, message: str) -> None:
        say(self.status_label, message, error=True)
        self._update()

    # Changing -----------------------------------------------------------------------------------

    def choose(self) -> QDialog | None:
        """The directory as a picker; the person chosen is added at once."""
        if self._session is None:
            return None
        self.directory_dialog = navigator().choose_correspondents(
            self._session,
            self,
            self.add_correspondent,
            title=self.tr("Qui peut planifier pour vous ?"),
        )
        return self.directory_dialog

    def add_correspondent(self, people: list[Correspondent]) -> None:
        if people:
            self.add(people[0].mailbox, people[0].practitioner_id)

    def add_address(self) -> None:
        address = self.address_edit.text().strip()
        if address:
            self.add(address, None)

    def add(self, address: str | None, practitioner_id: str | None) -> None:
        if self._session is None:
            return

        def added(delegate: Delegate) -> None:
            self.address_edit.clear()
            self.reload()

        tasks.change(
            self._session.delegations.add(address, practitioner_id), self, added, self.failed
        )

    def ask_remove(self) -> QMessageBox | None:
        delegate = self.selected()
        if delegate is None:
            return None
        box = plain_message_box(
            self,
            QMessageBox.Icon.Question,
            self.tr("Retirer"),
            self.tr("Retirer à {name} la planification de vos téléconsultations ?").format(
                name=strip_bidi(delegate.name)
            ),
            self.tr(
                "Cette personne ne pourra plus planifier, modifier ni annuler de "
                "téléconsultation en votre nom."
            ),
        )
        box.setObjectName("removeDelegateBox")
        confirm = box.addButton(self.tr("Retirer"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Annuler"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(confirm)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(
            lambda button: self.remove(delegate) if button is confirm else None
        )
        self.confirm_box = box
        box.destroyed.connect(lambda *_: setattr(self, "confirm_box", None))
        box.open()
        return box

    def remove(self, delegate: Delegate) -> None:
        if self._session is not None:
            tasks.change(
                self._session.delegations.remove(delegate.account_id),
                self,
                lambda _: self.reload(),
                self.failed,
            )

    def selected(self) -> Delegate | None:
        row = self.delegate_list.currentRow()
        items = self.delegate_list.selectedItems()
        return self._delegates[row] if items and 0 <= row < len(self._delegates) else None

    def _update(self) -> None:
        online = self._session is not None
        self.remove_button.setEnabled(online and self.selected() is not None)
        self.add_address_button.setEnabled(online and bool(self.address_edit.text().strip()))


async def _demo_card(session: AccountSession) -> DelegationCard:
    card = DelegationCard(session)
    card.setFixedWidth(460)
    card.show()
    await asyncio.gather(*tasks.pending(card))
    card.adjustSize()
    return card


async def demo_screenshot(session: AccountSession) -> QWidget:
    """The demo GP's card: her secretary plans for her."""
    card = await _demo_card(session)
    card.delegate_list.setCurrentRow(0)
    return card


async def demo_empty_screenshot(session: AccountSession) -> QWidget:
    """The card as it shows when nobody plans for me (the demo GP has her secretary: the list
    the server gave is shown empty, as it would be after "Retirer")."""
    card = await _demo_card(session)
    card.show_delegates([])
    card.adjustSize()
    return card


async def demo_error_screenshot(session: AccountSession) -> QWidget:
    """The server's sentence for an address that has no account."""
    card = await _demo_card(session)
    card.address_edit.setText("inconnu@sisra-demo.mssante.fr")
    card.add_address()
    await asyncio.gather(*tasks.pending(card))
    card.adjustSize()
    return card
