"""What the directory shows before anything is searched: the user's favorites and the
correspondents they wrote to lately, side by side. Both come from the encrypted cache (no network):
a favorite keeps the whole card it was starred from, and a recent correspondent who is also a
favorite shows that card rather than the bare address.

The favorites are a small indexed table, read on the UI thread (the results' stars follow at
once); the recents count the Sent mailbox (40-70 ms with 10,000 sent messages), so they are read
in a worker thread (`session.at_hand`, as the composer's completion does) and shown when they
arrive: a refresh (each time the page is shown) never stalls the UI."""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QHBoxLayout, QWidget

from app.records import AtHand
from app.session import AccountSession
from ui import tasks
from ui.cards import list_card
from ui.directory.lists import CorrespondentList
from ui.directory.model import CorrespondentModel, address_key, from_display, minimal
from ui.plain import PlainLabel

RECENTS = 20  # how many recent correspondents are listed


class HomeLists(QWidget):
    """The favorites and recents cards; `refresh()` reads both again from the cache (the recents
    in a worker thread: until they first arrive, neither their list nor their empty state shows)."""

    def __init__(self, session: AccountSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.favorite_addresses: set[str] = set()  # address_key of each favorite
        self.favorites_model = CorrespondentModel(self)
        self.favorites_list = CorrespondentList(self.favorites_model, self)
        self.recents_model = CorrespondentModel(self)
        self.recents_list = CorrespondentList(self.recents_model, self)
        columns = QHBoxLayout(self)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.setSpacing(16)
        self.favorites_empty = PlainLabel(
            self.tr(
                "Aucun favori pour l'instant. Cliquez sur l'étoile à côté d'un professionnel "
                "pour l'ajouter à vos favoris."
            )
        )
        self.recents_empty = PlainLabel(
            self.tr("Les correspondants à qui vous écrivez apparaîtront ici.")
        )
        for title, lst, empty in (
            (self.tr("Favoris"), self.favorites_list, self.favorites_empty),
            (self.tr("Correspondants récents"), self.recents_list, self.recents_empty),
        ):
            empty.setWordWrap(True)
            columns.addWidget(list_card(title, lst, empty), 1)
        self.recents_list.setVisible(False)

    def refresh(self) -> asyncio.Future[AtHand | None]:
        """Favorites first, now; the recents once read in a worker thread (they take their cards
        from the favorites shown then). A newer refresh replaces one still reading."""
        self._refresh_favorites()
        return tasks.run(self.session.at_hand(RECENTS), self, self._show_recents, key="recents")

    def _refresh_favorites(self) -> None:
        favorites = self.session.favorites()
        self.favorite_addresses = {address_key(f.address) for f in favorites}
        people = [from_display(f.address, f.display) for f in favorites]
        self.favorites_model.set_rows(people)
        self.favorites_model.set_favorites(self.favorite_addresses)
        self.favorites_list.setVisible(bool(people))
        self.favorites_empty.setVisible(not people)

    def _show_recents(self, at_hand: AtHand) -> None:
        recents = at_hand.recents
        favorites = {
            address_key(c.mailbox): c
            for c in (
                self.favorites_model.correspondent(r)
                for r in range(self.favorites_model.rowCount())
            )
            if c is not None and c.mailbox
        }
        people = [
            favorites.get(address_key(r.address)) or minimal(r.address, r.name) for r in recents
        ]
        self.recents_model.set_rows(people)
        self.recents_model.set_favorites(self.favorite_addresses)
        self.recents_list.setVisible(bool(people))
        self.recents_empty.setVisible(not people)


__all__ = ["HomeLists"]
