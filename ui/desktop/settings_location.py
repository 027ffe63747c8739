"""The settings' "Lieu d'exercice": where the directory's "autour de moi" starts from.

The place comes from the directory — a commune typed by name or postal code, or by default the
user's own practice as the directory lists it — never from invented coordinates. The search waits
for a pause in typing; a newer search replaces the one in flight (`tasks.run` with a key). Entrée in
the field looks up (or, in the list, picks) a commune: it never presses the dialog's OK."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from app.records import Place
from app.session import AccountSession
from app.settings import PracticeLocation, Settings
from ui import tasks, theme
from ui.desktop.settings_card import SettingsCard, field_label, hint, say
from ui.plain import PlainLabel, plain_text

log = logging.getLogger("monsisra.ui.settings")

SEARCH_DELAY_MS = 300
MIN_SEARCH_CHARS = 2
COMMUNE_ROW_PX = 32
COMMUNE_ROWS_SHOWN = 4


@dataclass(frozen=True)
class _Location:
    """The practice location shown, and where it came from."""

    place: PracticeLocation | None
    proposed_from: str | None = None  # the directory entry it was proposed from (not chosen)


class LocationCard(SettingsCard):
    def __init__(self, current: Settings, session: AccountSession | None) -> None:
        super().__init__("settings-location", self.tr("Lieu d'exercice"))
        self._session = session
        self._location = _Location(current.practice_location)
        self._search: asyncio.Future[list[Place] | None] | None = None  # cancelled when outdated
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.search_communes)
        self._build()
        self._describe_location()
        self._propose_own_practice()

    def _build(self) -> None:
        layout = self.body
        layout.addWidget(
            hint(self.tr("Point de départ de la recherche « autour de moi » dans l'annuaire."))
        )
        layout.addSpacing(4)
        shown = QHBoxLayout()
        shown.setSpacing(8)
        place_box = QVBoxLayout()
        place_box.setSpacing(2)
        self.location_label = PlainLabel()
        self.location_label.setObjectName("locationValue")
        self.location_label.setWordWrap(True)
        self.location_note = hint("")
        place_box.addWidget(self.location_label)
        place_box.addWidget(self.location_note)
        self.clear_location_button = QPushButton(self.tr("Retirer"))
        self.clear_location_button.setProperty("link", True)
        self.clear_location_button.setAutoDefault(False)
        self.clear_location_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.clear_location_button.clicked.connect(self.clear_location)
        shown.addLayout(place_box, 1)
        shown.addWidget(self.clear_location_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(shown)
        layout.addSpacing(4)
        self.commune_edit = QLineEdit()
        self.commune_edit.setObjectName("communeEdit")
        self.commune_edit.setPlaceholderText(self.tr("Code postal ou commune"))
        self.commune_edit.addAction(theme.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.commune_edit.setClearButtonEnabled(True)
        self.commune_edit.textEdited.connect(self._search_timer.start)
        layout.addWidget(field_label(self.tr("Changer de lieu"), self.commune_edit))
        layout.addWidget(self.commune_edit)
        self.commune_status = hint("")
        self.commune_status.hide()
        layout.addWidget(self.commune_status)
        self.commune_list = QListWidget()
        self.commune_list.setObjectName("communeList")
        self.commune_list.setUniformItemSizes(True)
        self.commune_list.itemClicked.connect(self._commune_chosen)
        self.commune_list.hide()
        layout.addWidget(self.commune_list)
        self.commune_edit.installEventFilter(self)
        self.commune_list.installEventFilter(self)

    def changes(self) -> dict[str, object]:
        return {"practice_location": self.location()}

    def stop(self) -> None:
        self._search_timer.stop()
        super().stop()

    def location(self) -> PracticeLocation | None:
        """The practice location OK will save."""
        return self._location.place

    def _describe_location(self) -> None:
        place, source = self._location.place, self._location.proposed_from
        if place is None:
            self.location_label.setText(self.tr("Aucun lieu choisi"))
            self.location_note.setText(
                self.tr(
                    "L'annuaire cherche alors autour du centre de Lyon. Tapez un code postal ou "
                    "une commune ci-dessous."
                )
            )
        else:
            self.location_label.setText(place.commune or self.tr("Lieu sans nom"))
            if source is not None:
                note = self.tr("Proposé d'après votre fiche de l'annuaire : {source}.").format(
                    source=source
                )
            else:
                note = self.tr("Choisi par vous.")
            self.location_note.setText(note)
        self.clear_location_button.setVisible(place is not None)

    def clear_location(self) -> None:
        self._location = _Location(None)
        self._describe_location()

    def _choose(self, place: Place, proposed_from: str | None = None) -> None:
        self._location = _Location(
            PracticeLocation(place.lat, place.lon, place.label), proposed_from
        )
        self._describe_location()

    def _propose_own_practice(self) -> None:
        """No location yet: the user's own practice, as the directory lists it, is proposed."""
        session = self._session
        if self._location.place is not None or session is None or not session.online:
            return

        def found(place: Place | None) -> None:
            if place is not None and self._location.place is None:
                self._choose(place, place.organization or self.tr("votre cabinet"))

        def failed(_message_fr: str) -> None:
            log.info("own practice not found in the directory")

        tasks.run(session.own_practice(), self, found, failed)

    def search_communes(self) -> None:
        """Looks up what is typed now (the search in flight, if any, is outdated)."""
        self._search_timer.stop()
        if self._search is not None:
            self._search.cancel()
        text = self.commune_edit.text().strip()
        self.commune_list.clear()
        self.commune_list.hide()
        if len(text) < MIN_SEARCH_CHARS:
            self.commune_status.hide()
            return
        if self._session is None:
            say(
                self.commune_status,
                self.tr("Connectez-vous pour chercher une commune dans l'annuaire."),
            )
            return
        if not self._session.online:
            say(
                self.commune_status,
                self.tr("La recherche d'une commune a besoin de la connexion au serveur."),
            )
            return
        say(self.commune_status, self.tr("Recherche…"))

        def failed(message_fr: str) -> None:
            say(self.commune_status, message_fr, error=True)

        self._search = tasks.run(
            self._session.find_communes(text), self, self._show_communes, failed
        )

    def _show_communes(self, places: list[Place]) -> None:
        self.commune_list.clear()
        if not places:
            say(self.commune_status, self.tr("Aucune commune de l'annuaire ne correspond."))
            return
        self.commune_status.hide()
        for place in places:
            item = QListWidgetItem(theme.icon("location"), plain_text(place.label))
            item.setData(Qt.ItemDataRole.UserRole, place)
            item.setSizeHint(QSize(0, COMMUNE_ROW_PX))
            self.commune_list.addItem(item)
        # As tall as its rows (up to four): no empty box under a single commune.
        rows = min(len(places), COMMUNE_ROWS_SHOWN)
        frame = 2 * self.commune_list.frameWidth()  # with a style sheet: border and padding
        self.commune_list.setFixedHeight(rows * COMMUNE_ROW_PX + frame)
        self.commune_list.show()

    def communes_shown(self) -> list[Place]:
        return [
            self.commune_list.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.commune_list.count())
        ]

    def _commune_chosen(self, item: QListWidgetItem) -> None:
        place = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(place, Place):
            self._choose(place)
            self.commune_list.clear()
            self.commune_list.hide()
            self.commune_edit.clear()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Entrée in the commune search looks up (or picks) a commune; it does not press OK."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            if watched is self.commune_edit:
                self.search_communes()
                return True
            if watched is self.commune_list:
                item = self.commune_list.currentItem()
                if item is not None:
                    self._commune_chosen(item)
                return True
        return super().eventFilter(watched, event)
