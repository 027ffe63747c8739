"""The directory search ("Rechercher un destinataire"): the criteria of the search form, results
painted by a delegate and fetched page by page as the list scrolls, favorites and recent
correspondents when nothing is searched, and the actions on a correspondent (write, copy the
address, copy a telephone number, ask for a téléexpertise: the composer and the form open through
the navigator; an équipe ressource found opens its card on the "Équipes ressources" page, through
`teamRequested`, which the main window wires). The same view is the "Annuaire" page of the main
window and, in a dialog (ui/directory/dialog.py), the recipient picker that the navigator opens for
the composer and the téléexpertise form."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from app.message.draft import Draft
from app.messages import Message
from app.records import Address, Correspondent, DirectoryPage, DirectoryQuery
from app.session import AccountSession
from app.units import french_number
from ui import browser, tasks, theme
from ui.bridge import EventBridge
from ui.directory.home import HomeLists
from ui.directory.lists import CorrespondentList
from ui.directory.location import PracticeLocation, practice_location
from ui.directory.model import (
    CorrespondentModel,
    CorrespondentRole,
    address_key,
    phone_text,
    to_display,
)
from ui.directory.search_form import RADII_KM, SearchForm
from ui.i18n import core_text
from ui.navigator import navigator
from ui.plain import PlainLabel, plain_caption, plain_text, plain_tooltip

SEARCH_DELAY_MS = 400
# "Écrire à …" shows as much of the name as the action bar has room for (the whole name in its
# tooltip when cut), and none below this: a long name widened the button, and the window, past
# the screen.
NAME_MIN_PX = 60


class DirectoryView(SearchForm):
    """The search page. `picking=True` (inside DirectoryDialog): no write/téléexpertise buttons,
    a double click chooses."""

    activated = Signal(object)  # a Correspondent double-clicked (the dialog chooses it)
    selection_changed = Signal()
    teamRequested = Signal(str)  # an équipe ressource's id: its card, on the teams page

    def __init__(
        self,
        session: AccountSession,
        parent: QWidget | None = None,
        *,
        picking: bool = False,
        location: PracticeLocation | None = None,
    ) -> None:
        super().__init__(location or practice_location(), parent)
        self.setObjectName("directoryView")
        self.session = session
        self.picking = picking
        self.searching = False  # a search is running (its first page not shown yet)
        self._search_task: asyncio.Future[Any] | None = None
        self._more_task: asyncio.Future[Any] | None = None
        self._active: CorrespondentList | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search)
        self.criteria_changed.connect(self._timer.start)
        self.search_requested.connect(self.search)

        self._build_lists()
        self._build_actions()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(16)
        title = PlainLabel(self.tr("Rechercher un correspondant"))
        title.setObjectName("pageTitle")
        header = QHBoxLayout()
        header.addWidget(title, 1)
        header.addWidget(browser.HelpLink(self.session, "directory"))
        layout.addLayout(header)
        layout.addWidget(self.criteria)
        layout.addWidget(self.status_label)
        layout.addWidget(self.pages, 1)
        layout.addLayout(self.action_bar)

        self.refresh_favorites()
        self._show_home()
        # Favorites starred or removed on the user's other computers (issue 13 §5).
        self.bridge = EventBridge(session.bus, self)
        self.bridge.favoritesChanged.connect(lambda _event: self.refresh_favorites())

    # Building -------------------------------------------------------------------------------------

    def _build_lists(self) -> None:
        self.status_label = PlainLabel()
        self.status_label.setObjectName("statusLine")

        self.results_model = CorrespondentModel(self)
        self.results_model.more_wanted.connect(self._fetch_more)
        self.results = CorrespondentList(self.results_model, self)

        self.home = HomeLists(self.session, self)

        results_card = QFrame()
        results_card.setObjectName("listCard")
        results_box = QVBoxLayout(results_card)
        results_box.setContentsMargins(0, 0, 0, 0)
        results_box.addWidget(self.results)

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.home)
        self.pages.addWidget(results_card)

        for lst in (self.results, self.home.favorites_list, self.home.recents_list):
            lst.delegate.star_clicked.connect(lambda row, lst=lst: self._star_clicked(lst, row))
            lst.delegate.phone_clicked.connect(lambda row, lst=lst: self._phone_clicked(lst, row))
            lst.selectionModel().selectionChanged.connect(
                lambda *_args, lst=lst: self._selection_moved(lst)
            )
            lst.doubleClicked.connect(lambda index, lst=lst: self._double_clicked(lst, index))

    def _build_actions(self) -> None:
        self.action_bar = QHBoxLayout()
        self.action_bar.setSpacing(8)
        self.write_button = QPushButton(theme.icon("pen-light"), self.tr("Écrire"))
        self.copy_button = QPushButton(theme.icon("copy"), self.tr("Copier l'adresse"))
        self.teleexpertise_button = QPushButton(
            theme.icon("expert"), self.tr("Demander une téléexpertise")
        )
        self.teleexpertise_button.setObjectName("expertButton")
        self.team_button = QPushButton(theme.icon("nav-teams"), self.tr("Voir l'équipe"))
        self.team_button.setVisible(False)
        self.write_button.setObjectName("primaryButton")
        self.feedback_label = PlainLabel()
        self.feedback_label.setObjectName("hint")
        for button in (
            self.write_button,
            self.copy_button,
            self.teleexpertise_button,
            self.team_button,
        ):
            button.setAutoDefault(False)
        self.action_bar.addWidget(self.feedback_label, 1)
        self.action_bar.addWidget(self.copy_button)
        self.action_bar.addWidget(self.teleexpertise_button)
        self.action_bar.addWidget(self.team_button)
        self.action_bar.addWidget(self.write_button)
        if self.picking:
            self.write_button.hide()
            self.teleexpertise_button.hide()
        self.write_button.clicked.connect(self.write_to_selected)
        self.copy_button.clicked.connect(self.copy_address)
        self.teleexpertise_button.clicked.connect(self.request_teleexpertise)
        self.team_button.clicked.connect(self.open_team)
        self._feedback_timer = QTimer(self)
        self._feedback_timer.setSingleShot(True)
        self._feedback_timer.setInterval(4000)
        self._feedback_timer.timeout.connect(self.feedback_label.clear)

    # Searching ------------------------------------------------------------------------------------

    def search(self) -> None:
        """Runs the search the criteria describe now (cancelling the one in flight, and the page
        of older results being fetched)."""
        self._timer.stop()
        for task in (self._search_task, self._more_task):
            if task is not None:
                task.cancel()
        query = self.query()
        if query is None:
            self.searching = False
            self._show_home()
            return
        self._set_status(self.tr("Recherche en cours…"))
        self.pages.setCurrentIndex(1)
        self.searching = True
        if self._directory_waiting not in self.session.directory_wait_listeners:
            self.session.directory_wait_listeners.append(self._directory_waiting)
        self._search_task = tasks.run(
            self.session.search_directory(query),
            self,
            self._show_results,
            self._search_failed,
            key="search",
        )

    def _directory_waiting(self, message: Message) -> None:
        """The directory answered 429: the search goes on after the wait, the status says so."""
        if self.searching:
            self._set_status(core_text(message))

    def _search_done(self) -> None:
        self.searching = False
        if self._directory_waiting in self.session.directory_wait_listeners:
            self.session.directory_wait_listeners.remove(self._directory_waiting)

    def _search_failed(self, message: str) -> None:
        self._search_done()
        self.results_model.set_rows([])
        self._set_status(message, error=True)

    def _show_results(self, page: DirectoryPage) -> None:
        self._search_done()
        self.results_model.set_rows(page.correspondents, page)
        self.results_model.set_favorites(self.home.favorite_addresses)
        self.results.scrollToTop()
        total = page.total if page.total is not None else len(page.correspondents)
        if total == 0:
            self._set_status(self.nothing_found())
        elif total == 1:
            self._set_status(self.tr("1 résultat"))
        else:
            self._set_status(self.tr("{n} résultats").format(n=french_number(total)))
        if page.near_fallback and total:
            self._set_status(
                self.tr(
                    "{count} dans les départements autour de votre lieu d'exercice (l'annuaire "
                    "ne propose pas la recherche par distance)"
                ).format(count=self.status_label.text())
            )
        self._update_actions()

    def _fetch_more(self, page: DirectoryPage) -> None:
        self._more_task = tasks.run(
            self.session.next_directory_page(page),
            self,
            self._more_shown,
            self._more_failed,
            key="more",
        )

    def _more_shown(self, next_page: DirectoryPage | None) -> None:
        if next_page is None:
            self.results_model.page_failed()
        else:
            self.results_model.append_page(next_page)

    def _more_failed(self, message: str) -> None:
        self.results_model.page_failed()
        self._set_status(message, error=True)

    def _show_home(self) -> None:
        self.pages.setCurrentIndex(0)
        self.results_model.set_rows([])
        self._set_status(self.tr("Vos favoris et vos correspondants récents"))
        self._update_actions()

    def _set_status(self, text: str, error: bool = False) -> None:
        self.status_label.setText(text)
        theme.restyle(self.status_label, error=error)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh_favorites()  # sent mail synced since: the recents changed

    def refresh(self) -> None:
        """Read again (the main window's page, back online or shown again): the favorites and
        recents from the cache, the search on screen from the directory."""
        self.refresh_favorites()
        if self.pages.currentIndex() == 1:
            self.search()

    # Favorites and recents ------------------------------------------------------------------------

    def refresh_favorites(self) -> None:
        """Favorites and recents read again (a star changed), and the results' stars follow."""
        self.home.refresh()
        self.results_model.set_favorites(self.home.favorite_addresses)

    def is_favorite(self, correspondent: Correspondent) -> bool:
        return correspondent.mailbox is not None and (
            address_key(correspondent.mailbox) in self.home.favorite_addresses
        )

    def toggle_favorite(self, correspondent: Correspondent) -> asyncio.Future[None] | None:
        """Adds or removes the favorite (by MSSanté address); the lists follow once it is saved."""
        if not correspondent.mailbox:
            return None
        on = not self.is_favorite(correspondent)

        def saved(_: None) -> None:
            self.refresh_favorites()
            self._flash(
                self.tr("Ajouté à vos favoris.") if on else self.tr("Retiré de vos favoris.")
            )

        return tasks.change(
            self.session.set_favorite(correspondent.mailbox, to_display(correspondent), on),
            self,
            saved,
            lambda message: self._flash(message, error=True),
        )

    @staticmethod
    def _at(lst: CorrespondentList, row: int) -> Correspondent | None:
        model = lst.model()
        assert isinstance(model, CorrespondentModel)
        return model.correspondent(row)

    def _star_clicked(self, lst: CorrespondentList, row: int) -> None:
        if (correspondent := self._at(lst, row)) is not None:
            self.toggle_favorite(correspondent)

    def _phone_clicked(self, lst: CorrespondentList, row: int) -> None:
        correspondent = self._at(lst, row)
        if correspondent is not None and correspondent.phone:
            number = phone_text(correspondent.phone)
            QGuiApplication.clipboard().setText(number)
            self._flash(self.tr("Numéro copié : {number}").format(number=number))

    # Selection and actions ------------------------------------------------------------------------

    def _selection_moved(self, lst: CorrespondentList) -> None:
        if lst.selectionModel().hasSelection():
            self._active = lst
            for other in (self.results, self.home.favorites_list, self.home.recents_list):
                if other is not lst:
                    other.clearSelection()
        self._update_actions()
        self.selection_changed.emit()

    def _double_clicked(self, lst: CorrespondentList, index: QModelIndex) -> None:
        correspondent = index.data(CorrespondentRole)
        if not isinstance(correspondent, Correspondent):
            return
        if self.picking:
            self.activated.emit(correspondent)
        elif correspondent.kind == "team":
            self.teamRequested.emit(correspondent.id)
        elif correspondent.mailbox:
            self._compose([correspondent])

    def selected(self) -> list[Correspondent]:
        """The selected correspondents of the list on screen that was used last."""
        lst = self._active
        if lst is None or (lst is self.results) != (self.pages.currentIndex() == 1):
            return []
        return lst.correspondents()

    def _update_actions(self) -> None:
        chosen = self.selected()
        reachable = [c for c in chosen if c.mailbox]
        self.write_button.setEnabled(bool(reachable))
        self.copy_button.setEnabled(bool(reachable))
        self.teleexpertise_button.setEnabled(len(chosen) == 1 and chosen[0].expert)
        self.teleexpertise_button.setVisible(
            not self.picking and len(chosen) == 1 and chosen[0].expert
        )
        self.team_button.setVisible(
            not self.picking and len(chosen) == 1 and chosen[0].kind == "team"
        )
        name = plain_text(reachable[0].display_name) if len(reachable) == 1 else ""
        self.write_button.setText(self.tr("Écrire à {name}").format(name=""))
        room = self._name_room()
        shown = self.write_button.fontMetrics().elidedText(name, Qt.TextElideMode.ElideRight, room)
        if name and room >= NAME_MIN_PX:
            self.write_button.setText(self.tr("Écrire à {name}").format(name=plain_caption(shown)))
        else:
            self.write_button.setText(self.tr("Écrire"))
        self.write_button.setToolTip(plain_tooltip(name if shown != name else ""))

    def _name_room(self) -> int:
        """The width left for a name on the write button (its text without one now): the view's
        width less its margins and what the action bar shows."""
        room = self.contentsRect().width()
        layout = self.layout()
        if layout is not None:
            margins = layout.contentsMargins()
            room -= margins.left() + margins.right()
        bar = self.action_bar
        for i in range(bar.count()):
            item = bar.itemAt(i)
            if item is not None and not item.isEmpty():
                room -= item.sizeHint().width() + bar.spacing()
        return room

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_actions()  # the name on the write button, to the new width

    def copy_address(self) -> None:
        addresses = [c.mailbox for c in self.selected() if c.mailbox]
        if not addresses:
            return
        QGuiApplication.clipboard().setText(", ".join(addresses))
        self._flash(
            self.tr("Adresse copiée.") if len(addresses) == 1 else self.tr("Adresses copiées.")
        )

    def write_to_selected(self) -> None:
        people = [c for c in self.selected() if c.mailbox]
        if people:
            self._compose(people)

    def request_teleexpertise(self) -> None:
        chosen = self.selected()
        if len(chosen) == 1 and chosen[0].expert and chosen[0].mailbox:
            # A request (the téléexpertise form), not a mail.
            navigator().request_teleexpertise(self.session, chosen[0], self.window())

    def open_team(self) -> None:
        """The selected équipe ressource's card (activity, prerequisites, templates)."""
        chosen = self.selected()
        if len(chosen) == 1 and chosen[0].kind == "team":
            self.teamRequested.emit(chosen[0].id)

    def _compose(self, people: list[Correspondent]) -> None:
        to = tuple(Address(c.display_name, c.mailbox) for c in people if c.mailbox)
        navigator().compose(self.session, Draft(to=to), self.window())

    def _flash(self, text: str, error: bool = False) -> None:
        self.feedback_label.setText(text)
        theme.restyle(self.feedback_label, error=error)
        self._feedback_timer.start()


async def demo_screenshot(session: AccountSession) -> DirectoryView:
    """The directory page showing cardiologists around the practice, the nearest selected (for
    the screenshot driver)."""
    view = DirectoryView(session)
    view.resize(1040, 720)
    view.specialty_combo.setCurrentIndex(view.specialty_combo.findData("SM04"))
    view.near_check.setChecked(True)
    view.radius_combo.setCurrentIndex(RADII_KM.index(100))
    view.search()
    for _ in range(200):  # at most 10 s
        if not view.searching:
            break
        await asyncio.sleep(0.05)
    if view.results_model.rowCount():
        view.results.setCurrentIndex(view.results_model.index(0))
    return view


async def demo_favorites_screenshot(session: AccountSession) -> DirectoryView:
    """The page with nothing searched: the favorites (three cardiologists starred, kept on the
    server by the favorites' sync) beside the recent correspondents (for the screenshot
    driver)."""
    found = await session.search_directory(DirectoryQuery(specialty="SM04", postal_code="69"))
    for correspondent in found.correspondents[:3]:
        if correspondent.mailbox:
            await session.set_favorite(correspondent.mailbox, to_display(correspondent), True)
    await session.sync_favorites()
    view = DirectoryView(session)
    view.resize(1040, 720)
    return view
