"""Paramètres: server (with a connection test), extra certificate authorities, documents kept
offline, notification privacy, signature, auto-lock, practice location, who may plan my
teleconsultations (ui/desktop/settings_delegation.py: kept on the server, changed at once).

Two columns of cards, everything visible at once on an ordinary screen; one column, scrolled
vertically, when two cards do not fit side by side (a narrow window): the scroll area never
scrolls sideways, so the cards are laid out to the width it shows. Each card owns its fields
and checks (ui/desktop/settings_server.py, settings_local.py, settings_location.py); this dialog
lays them out and saves. Nothing is written until OK, and only values the schema accepts
(app/settings.py) reach the file: a bad server address is refused inline, in French, with the
dialog left open. A lower document budget is applied at once when an account is open.

The dialog also opens from the login window (no account open), since a server refused for its
certificate is where one needs the extra authorities.
"""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app import settings as settings_mod
from app.about import window_title
from app.session import AccountSession
from app.settings import Settings
from app.units import MIB
from ui import browser, tasks, theme
from ui.desktop.settings_card import SettingsCard, hint
from ui.desktop.settings_delegation import DelegationCard
from ui.desktop.settings_local import DocumentsCard, NotificationsCard, SecurityCard
from ui.desktop.settings_location import LocationCard
from ui.desktop.settings_sending import SendingCard
from ui.desktop.settings_server import AccountCard, CertificatesCard
from ui.desktop.settings_signature import SignatureCard
from ui.plain import PlainLabel

log = logging.getLogger("monsisra.ui.settings")

COLUMN_WIDTH = 400  # a card narrower than this wraps its field labels on three lines or more


class SettingsDialog(QDialog):
    """The user's preferences, saved through app.settings.update() on OK (`changed` then gives
    the new Settings). "Oublier ce compte sur cet ordinateur…" closes it and emits
    `forgetRequested` (the main window asks for confirmation)."""

    changed = Signal(object)
    forgetRequested = Signal()

    def __init__(self, session: AccountSession | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._initial = settings_mod.current()

        self.setObjectName("settingsDialog")
        self.setWindowTitle(window_title(self.tr("Paramètres")))
        self.setWindowIcon(theme.app_icon())
        self.setMinimumSize(760, 480)
        self.resize(960, 720)
        current = self._initial
        self.certificates = CertificatesCard(current)
        login = session.account.ref.login if session is not None else None
        self.account = AccountCard(current, login, self.certificates.ca_bundle_path)
        self.account.forgetRequested.connect(self._forget)
        self.documents = DocumentsCard(current, session)
        self.notifications = NotificationsCard(current)
        self.signature = SignatureCard(current, session)
        self.sending = SendingCard(current)
        self.security = SecurityCard(current)
        self.practice = LocationCard(current, session)
        self.delegation = DelegationCard(session)
        self.cards: tuple[SettingsCard, ...] = (
            self.account,
            self.certificates,
            self.notifications,
            self.signature,
            self.delegation,
            self.documents,
            self.security,
            self.sending,
            self.practice,
        )
        self._build()
        self.fit_height()

    def _build(self) -> None:
        column = QWidget()
        column.setObjectName("settingsColumn")
        body = QVBoxLayout(column)
        body.setContentsMargins(24, 24, 24, 16)
        body.setSpacing(16)
        title = PlainLabel(self.tr("Paramètres"))
        title.setObjectName("settingsTitle")
        header = QHBoxLayout()
        header.addWidget(title, 1)
        header.addWidget(browser.HelpLink(self._session, "settings"))
        body.addLayout(header)
        columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)  # or TopToBottom: _arrange()
        columns.setSpacing(16)
        for cards in (
            (self.account, self.certificates, self.notifications, self.signature, self.delegation),
            (self.documents, self.security, self.sending, self.practice),
        ):
            column_layout = QVBoxLayout()
            column_layout.setSpacing(16)
            for card in cards:
                column_layout.addWidget(card)
            column_layout.addStretch(1)
            columns.addLayout(column_layout, 1)
        body.addLayout(columns)
        body.addStretch(1)

        scroll = QScrollArea()
        scroll.setObjectName("settingsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(column)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("OK"))
        self.ok_button.setProperty("primary", True)
        self.ok_button.setIcon(QIcon())  # some platforms add stock icons: not our look
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText(self.tr("Annuler"))
        self.cancel_button.setIcon(QIcon())
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.save_error = hint("", error=True)
        self.save_error.hide()
        footer = QFrame()
        footer.setObjectName("settingsFooter")
        footer_layout = QHBoxLayout(footer)
        footer_layout.setContentsMargins(24, 12, 24, 12)
        footer_layout.addWidget(self.save_error, 1)
        footer_layout.addWidget(self.buttons)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(scroll, 1)
        outer.addWidget(footer)
        self._column = column
        self._column_layout = body
        self._columns = columns
        self._scroll = scroll
        self._footer = footer
        self._arrange()

    def _arrange(self) -> None:
        """Two columns when two cards fit side by side in the dialog's width, else one.

        Measured on the dialog's width less the vertical scroll bar, shown or not: whether it
        shows depends on the arrangement, which must not flip back and forth because of it."""
        margins = self._column_layout.contentsMargins()
        room = (
            self.width()
            - margins.left()
            - margins.right()
            - self._scroll.verticalScrollBar().sizeHint().width()
        )
        card = max(COLUMN_WIDTH, *(card.minimumSizeHint().width() for card in self.cards))
        two = room >= 2 * card + self._columns.spacing()
        direction = QBoxLayout.Direction.LeftToRight if two else QBoxLayout.Direction.TopToBottom
        if self._columns.direction() != direction:
            self._columns.setDirection(direction)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._arrange()
        super().resizeEvent(event)

    def fit_height(self, limit: int | None = None) -> None:
        """As tall as the cards need (no scrolling), within `limit` (default: the screen)."""
        if limit is None:
            limit = self.screen().availableGeometry().height() - 80
        self._column_layout.invalidate()  # cards that just grew (commune results) count
        self._column_layout.activate()
        wanted = self._column.sizeHint().height() + self._footer.sizeHint().height()
        self.resize(self.width(), max(self.minimumHeight(), min(wanted, limit)))

    def _forget(self) -> None:
        self.reject()
        self.forgetRequested.emit()

    # OK / Annuler -------------------------------------------------------------------------------

    def values(self) -> dict[str, object]:
        """What the form says, as settings changes."""
        changes: dict[str, object] = {}
        for card in self.cards:
            changes.update(card.changes())
        return changes

    def accept(self) -> None:
        """Saves and closes; on a bad value, says why and stays open (nothing written)."""
        if self.account.refuse_bad_address():
            return
        changes = self.values()
        try:
            self._initial.with_(**changes)  # the schema's own checks, before anything is written
            saved = settings_mod.update(**changes)
        except ValueError:
            self._show_save_error(
                self.tr("Une valeur n'est pas acceptée : vérifiez le formulaire.")
            )
            return
        except OSError:
            self._show_save_error(
                self.tr(
                    "Les paramètres n'ont pas pu être enregistrés sur le disque. Vérifiez la "
                    "place disponible et réessayez."
                )
            )
            return
        self._apply_budget(saved)
        if self._session is not None:  # issue 14 §5: the next daily purge uses it
            self._session.traces_keep_days = saved.traces_keep_days
        log.info("settings saved")
        self.changed.emit(saved)
        super().accept()

    def _show_save_error(self, text: str) -> None:
        self.save_error.setText(text)
        self.save_error.show()

    def _apply_budget(self, saved: Settings) -> None:
        """A new budget reaches the open session at once (a change: it outlives the dialog)."""
        same_days = saved.offline_days == self._initial.offline_days
        if self._session is None or (
            saved.cache_budget_mb == self._initial.cache_budget_mb and same_days
        ):
            return
        tasks.change(
            self._session.set_documents_budget(saved.cache_budget_mb * MIB, saved.offline_days),
            self,
            None,
            lambda message_fr: log.warning("document budget not applied"),
        )

    def done(self, result: int) -> None:
        for card in self.cards:
            card.stop()
        super().done(result)


async def demo_screenshot(session: AccountSession) -> QWidget:
    """The settings of the demo GP: her practice proposed from the directory, and the communes
    found for what she typed."""
    dialog = SettingsDialog(session)
    dialog.show()  # shown first: the cards' sizes are known once laid out on screen
    dialog.practice.commune_edit.setText("Saint-G")
    dialog.practice.search_communes()
    await asyncio.gather(*tasks.pending(dialog.practice))
    await asyncio.sleep(0.1)  # the layout takes the results in
    dialog.fit_height()
    return dialog
