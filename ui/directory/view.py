"""The directory search ("Rechercher un destinataire"): every criterion of DESIGN §2.3, results
painted by a delegate and fetched page by page as the list scrolls, favorites and recent
correspondents when nothing is searched, and the actions on a correspondent (write, copy the
address, ask for a téléexpertise). The same view serves as a page of the main window and, in a
dialog, as the composer's recipient picker."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import QModelIndex, QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.remote.directory import CATEGORY_LABELS, Correspondent, DirectoryPage, DirectoryQuery, Near
from app.session import AccountSession
from ui import tasks, theme
from ui.directory import actions
from ui.directory.actions import PracticeLocation
from ui.directory.model import (
    CorrespondentDelegate,
    CorrespondentModel,
    CorrespondentRole,
    address_key,
    from_display,
    minimal,
    to_display,
)
from ui.directory.specialties import options as specialty_options
from ui.plain import PlainLabel, plain_tooltip

SEARCH_DELAY_MS = 400
PAGE_SIZE = 50
DEFAULT_RADIUS_KM = 10
RADII_KM = (1, 2, 5, 10, 20, 50, 100)


def french_count(n: int) -> str:
    """1234 → '1 234' (a narrow no-break space, as French typography wants)."""
    return f"{n:,}".replace(",", "\u202f")


class _CorrespondentList(QListView):
    """A list of correspondents: uniform rows painted by the delegate, no widget per row."""

    def __init__(self, model: CorrespondentModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("directoryList")
        self.setModel(model)
        self.delegate = CorrespondentDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setUniformItemSizes(True)
        self.setMouseTracking(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)

    def correspondents(self) -> list[Correspondent]:
        rows = sorted(i.row() for i in self.selectionModel().selectedRows())
        found = [self.model().index(r, 0).data(CorrespondentRole) for r in rows]
        return [c for c in found if isinstance(c, Correspondent)]


class DirectoryView(QWidget):
    """The search page. `picking=True` (inside DirectoryDialog): no write/téléexpertise buttons,
    a double click chooses."""

    activated = Signal(object)  # a Correspondent double-clicked (the dialog chooses it)
    selection_changed = Signal()

    def __init__(
        self,
        session: AccountSession,
        parent: QWidget | None = None,
        *,
        picking: bool = False,
        location: PracticeLocation | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("directoryView")
        self.session = session
        self.picking = picking
        self.location = location or actions.practice_location()
        # Replaceable (tests, or a main window that manages its composers).
        self.open_composer: actions.ComposerOpener = actions.open_composer
        self._generation = 0
        self.searching = False  # a search is running (its first page not shown yet)
        self._search_task: asyncio.Future[Any] | None = None
        self._more_task: asyncio.Future[Any] | None = None
        self._favorite_addresses: set[str] = set()
        self._active: _CorrespondentList | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search)

        self._build_criteria()
        self._build_lists()
        self._build_actions()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(16)
        title = PlainLabel(self.tr("Rechercher un correspondant"))
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        layout.addWidget(self.criteria)
        layout.addWidget(self.status_label)
        layout.addWidget(self.pages, 1)
        layout.addLayout(self.action_bar)

        self.refresh_favorites()
        self.refresh_recents()
        self._show_home()
        self._update_actions()

    # Building -------------------------------------------------------------------------------------

    def _build_criteria(self) -> None:
        self.criteria = QFrame(self)
        self.criteria.setObjectName("searchCard")
        grid = QGridLayout(self.criteria)
        grid.setContentsMargins(16, 16, 16, 16)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(8)

        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("Nom, prénom"))
        self.name_edit.setClearButtonEnabled(True)
        self.name_edit.addAction(theme.icon("search"), QLineEdit.ActionPosition.LeadingPosition)

        self.specialty_combo = QComboBox()
        self.specialty_combo.setEditable(True)
        self.specialty_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.specialty_combo.addItem(self.tr("Toutes les spécialités"), None)
        for code, label in specialty_options():
            self.specialty_combo.addItem(label, code)
        # Typing "cardio" finds "Cardiologie et Maladies vasculaires": matches anywhere.
        completer = QCompleter(self.specialty_combo.model(), self.specialty_combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.specialty_combo.setCompleter(completer)
        line = self.specialty_combo.lineEdit()
        assert line is not None  # an editable combo has one
        line.setPlaceholderText(self.tr("Spécialité"))
        self.specialty_combo.setCurrentIndex(0)

        self.text_edit = QLineEdit()
        self.text_edit.setPlaceholderText(self.tr("Service ou compétence"))
        self.text_edit.setClearButtonEnabled(True)

        self.postal_edit = QLineEdit()
        self.postal_edit.setPlaceholderText(self.tr("Code postal"))
        self.postal_edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"[0-9]{0,5}"), self.postal_edit)
        )
        self.postal_edit.setFixedWidth(112)

        self.departement_edit = QLineEdit()
        self.departement_edit.setPlaceholderText(self.tr("Département"))
        self.departement_edit.setValidator(
            QRegularExpressionValidator(
                QRegularExpression(r"(2[AaBb]|[0-9]{0,3})"), self.departement_edit
            )
        )
        self.departement_edit.setFixedWidth(132)

        self.near_check = QCheckBox(self.tr("Autour de moi"))
        self.near_check.setIcon(theme.icon("location"))
        self.radius_combo = QComboBox()
        for km in RADII_KM:
            self.radius_combo.addItem(self.tr("{km} km").format(km=km), km)
        self.radius_combo.setCurrentIndex(RADII_KM.index(DEFAULT_RADIUS_KM))
        self.radius_combo.setEnabled(False)
        self.radius_combo.setToolTip(self.tr("Rayon autour de votre lieu d'exercice"))

        self.category_combo = QComboBox()
        self.category_combo.addItem(self.tr("Toutes les catégories"), None)
        for key, label in CATEGORY_LABELS.items():
            self.category_combo.addItem(label, key)

        self.experts_check = QCheckBox(self.tr("Experts seulement"))

        self.search_button = QPushButton(self.tr("Rechercher"))
        self.search_button.setObjectName("primaryButton")
        self.search_button.setIcon(theme.icon("search-light"))
        self.clear_button = QPushButton(self.tr("Effacer"))
        self.clear_button.setObjectName("flatButton")
        for button in (self.search_button, self.clear_button):
            button.setAutoDefault(False)

        self.location_label = PlainLabel()
        self.location_label.setObjectName("hint")
        self.location_label.setWordWrap(True)
        self._describe_location()
        self.location_label.setVisible(False)

        grid.addWidget(self.name_edit, 0, 0)
        grid.addWidget(self.specialty_combo, 0, 1)
        grid.addWidget(self.text_edit, 0, 2)
        second = QHBoxLayout()
        second.setSpacing(8)
        second.addWidget(self.postal_edit)
        second.addWidget(self.departement_edit)
        second.addSpacing(8)
        second.addWidget(self.near_check)
        second.addWidget(self.radius_combo)
        second.addSpacing(8)
        second.addWidget(self.category_combo, 1)
        second.addSpacing(8)
        second.addWidget(self.experts_check)
        second.addStretch(1)
        second.addWidget(self.clear_button)
        second.addWidget(self.search_button)
        grid.addLayout(second, 1, 0, 1, 3)
        grid.addWidget(self.location_label, 2, 0, 1, 3)
        for column in range(3):
            grid.setColumnStretch(column, 1)

        for edit in (self.name_edit, self.text_edit, self.postal_edit, self.departement_edit):
            edit.textEdited.connect(self._criteria_changed)
            edit.returnPressed.connect(self.search)
        line.textEdited.connect(self._criteria_changed)
        line.returnPressed.connect(self.search)
        self.specialty_combo.activated.connect(self._criteria_changed)
        self.category_combo.currentIndexChanged.connect(self._criteria_changed)
        self.experts_check.toggled.connect(self._criteria_changed)
        self.near_check.toggled.connect(self._near_toggled)
        self.radius_combo.currentIndexChanged.connect(self._criteria_changed)
        self.search_button.clicked.connect(self.search)
        self.clear_button.clicked.connect(self.clear)

    def _build_lists(self) -> None:
        self.status_label = PlainLabel()
        self.status_label.setObjectName("statusLine")

        self.results_model = CorrespondentModel(self)
        self.results_model.more_wanted.connect(self._fetch_more)
        self.results = _CorrespondentList(self.results_model, self)

        self.favorites_model = CorrespondentModel(self)
        self.favorites_list = _CorrespondentList(self.favorites_model, self)
        self.recents_model = CorrespondentModel(self)
        self.recents_list = _CorrespondentList(self.recents_model, self)

        home = QWidget()
        columns = QHBoxLayout(home)
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
            card = QFrame()
            card.setObjectName("listCard")
            box = QVBoxLayout(card)
            box.setContentsMargins(0, 8, 0, 0)
            box.setSpacing(0)
            heading = PlainLabel(title)
            heading.setObjectName("sectionTitle")
            box.addWidget(heading)
            empty.setObjectName("emptyState")
            empty.setWordWrap(True)
            empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            box.addWidget(lst, 1)
            box.addWidget(empty, 1)
            columns.addWidget(card, 1)

        results_card = QFrame()
        results_card.setObjectName("listCard")
        results_box = QVBoxLayout(results_card)
        results_box.setContentsMargins(0, 0, 0, 0)
        results_box.addWidget(self.results)

        self.pages = QStackedWidget(self)
        self.pages.addWidget(home)
        self.pages.addWidget(results_card)

        for lst in (self.results, self.favorites_list, self.recents_list):
            lst.delegate.star_clicked.connect(lambda row, lst=lst: self._star_clicked(lst, row))
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
        self.write_button.setObjectName("primaryButton")
        self.feedback_label = PlainLabel()
        self.feedback_label.setObjectName("hint")
        for button in (self.write_button, self.copy_button, self.teleexpertise_button):
            button.setAutoDefault(False)
        self.action_bar.addWidget(self.feedback_label, 1)
        self.action_bar.addWidget(self.copy_button)
        self.action_bar.addWidget(self.teleexpertise_button)
        self.action_bar.addWidget(self.write_button)
        if self.picking:
            self.write_button.hide()
            self.teleexpertise_button.hide()
        self.write_button.clicked.connect(self.write_to_selected)
        self.copy_button.clicked.connect(self.copy_address)
        self.teleexpertise_button.clicked.connect(self.request_teleexpertise)
        self._feedback_timer = QTimer(self)
        self._feedback_timer.setSingleShot(True)
        self._feedback_timer.setInterval(4000)
        self._feedback_timer.timeout.connect(self.feedback_label.clear)

    def _describe_location(self) -> None:
        if self.location.is_default:
            text = self.tr(
                "Autour de moi : depuis {place}, lieu par défaut. Indiquez votre lieu d'exercice "
                "dans les Paramètres pour chercher autour de votre cabinet."
            ).format(place=self.location.label)
        else:
            text = self.tr("Autour de moi : depuis {place}.").format(place=self.location.label)
        self.location_label.setText(text)
        self.near_check.setToolTip(plain_tooltip(text))

    # Criteria → query ---------------------------------------------------------------------------

    def specialty_code(self) -> str | None:
        combo = self.specialty_combo
        text = combo.currentText().strip()
        if not text:
            return None
        index = combo.findText(text, Qt.MatchFlag.MatchFixedString)
        data = combo.itemData(index) if index >= 0 else None
        return data if isinstance(data, str) else None

    def query(self) -> DirectoryQuery | None:
        """The query the criteria describe; None when nothing is asked (home page)."""
        name = self.name_edit.text().strip() or None
        text = self.text_edit.text().strip() or None
        postal = self.postal_edit.text().strip() or None
        departement = self.departement_edit.text().strip().upper() or None
        if departement is not None and len(departement) < 2:
            departement = None
        category = self.category_combo.currentData()
        near = (
            Near(self.location.lat, self.location.lon, float(self.radius_combo.currentData()))
            if self.near_check.isChecked()
            else None
        )
        query = DirectoryQuery(
            name=name,
            specialty=self.specialty_code(),
            category=category if isinstance(category, str) else None,
            text=text,
            postal_code=postal,
            departement=departement,
            near=near,
            experts_only=self.experts_check.isChecked(),
            count=PAGE_SIZE,
        )
        if query == DirectoryQuery(count=PAGE_SIZE):
            return None
        return query

    def _criteria_changed(self, *_args: Any) -> None:
        self._timer.start()

    def _near_toggled(self, on: bool) -> None:
        self.radius_combo.setEnabled(on)
        self.location_label.setVisible(on)
        self._criteria_changed()

    def clear(self) -> None:
        for edit in (self.name_edit, self.text_edit, self.postal_edit, self.departement_edit):
            edit.clear()
        self.specialty_combo.setCurrentIndex(0)
        self.category_combo.setCurrentIndex(0)
        self.experts_check.setChecked(False)
        self.near_check.setChecked(False)
        self.search()

    # Searching ------------------------------------------------------------------------------------

    def search(self) -> None:
        """Runs the search the criteria describe now (cancelling the one in flight)."""
        self._timer.stop()
        self._generation += 1
        generation = self._generation
        for task in (self._search_task, self._more_task):
            if task is not None and not task.done():
                task.cancel()
        query = self.query()
        if query is None:
            self.searching = False
            self._show_home()
            return
        self._set_status(self.tr("Recherche en cours…"))
        self.pages.setCurrentIndex(1)
        self.searching = True

        def done(page: DirectoryPage) -> None:
            if generation == self._generation:
                self.searching = False
                self._show_results(page)

        def failed(message: str) -> None:
            if generation == self._generation:
                self.searching = False
                self.results_model.set_rows([])
                self._set_status(message, error=True)

        self._search_task = tasks.run(
            self.session.search_directory(query), self, done, failed, key="search"
        )

    def _show_results(self, page: DirectoryPage) -> None:
        self.results_model.set_rows(page.correspondents, page)
        self.results_model.set_favorites(self._favorite_addresses)
        self.results.scrollToTop()
        total = page.total if page.total is not None else len(page.correspondents)
        if total == 0:
            self._set_status(self.tr("Aucun résultat. Élargissez la recherche."))
        elif total == 1:
            self._set_status(self.tr("1 résultat"))
        else:
            self._set_status(self.tr("{n} résultats").format(n=french_count(total)))
        self._update_actions()

    def _fetch_more(self, page: DirectoryPage) -> None:
        generation = self._generation

        def done(next_page: DirectoryPage | None) -> None:
            if generation != self._generation:
                return
            if next_page is None:
                self.results_model.page_failed()
            else:
                self.results_model.append_page(next_page)

        def failed(message: str) -> None:
            if generation == self._generation:
                self.results_model.page_failed()
                self._set_status(message, error=True)

        self._more_task = tasks.run(
            self.session.next_directory_page(page), self, done, failed, key="more"
        )

    def _show_home(self) -> None:
        self.pages.setCurrentIndex(0)
        self.results_model.set_rows([])
        self._set_status(self.tr("Vos favoris et vos correspondants récents"))
        self._update_actions()

    def _set_status(self, text: str, error: bool = False) -> None:
        self.status_label.setText(text)
        theme.restyle(self.status_label, error=error)

    # Favorites and recents ------------------------------------------------------------------------

    def refresh_favorites(self) -> None:
        favorites = self.session.favorites()
        self._favorite_addresses = {address_key(f.address) for f in favorites}
        people = [from_display(f.address, f.display) for f in favorites]
        self.favorites_model.set_rows(people)
        self.favorites_list.setVisible(bool(people))
        self.favorites_empty.setVisible(not people)
        for model in (self.results_model, self.favorites_model, self.recents_model):
            model.set_favorites(self._favorite_addresses)

    def refresh_recents(self) -> None:
        recents = self.session.recents(20)
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
        self.recents_model.set_favorites(self._favorite_addresses)
        self.recents_list.setVisible(bool(people))
        self.recents_empty.setVisible(not people)

    def is_favorite(self, correspondent: Correspondent) -> bool:
        return correspondent.mailbox is not None and (
            address_key(correspondent.mailbox) in self._favorite_addresses
        )

    def toggle_favorite(self, correspondent: Correspondent) -> asyncio.Future[None] | None:
        """Adds or removes the favorite (by MSSanté address); the lists follow once it is saved."""
        if not correspondent.mailbox:
            return None
        on = not self.is_favorite(correspondent)

        def saved(_: None) -> None:
            self.refresh_favorites()
            self.refresh_recents()
            self._flash(
                self.tr("Ajouté à vos favoris.") if on else self.tr("Retiré de vos favoris.")
            )

        return tasks.change(
            self.session.set_favorite(correspondent.mailbox, to_display(correspondent), on),
            self,
            saved,
            lambda message: self._flash(message, error=True),
        )

    def _star_clicked(self, lst: _CorrespondentList, row: int) -> None:
        model = lst.model()
        assert isinstance(model, CorrespondentModel)
        correspondent = model.correspondent(row)
        if correspondent is not None:
            self.toggle_favorite(correspondent)

    # Selection and actions ------------------------------------------------------------------------

    def _selection_moved(self, lst: _CorrespondentList) -> None:
        if lst.selectionModel().hasSelection():
            self._active = lst
            for other in (self.results, self.favorites_list, self.recents_list):
                if other is not lst:
                    other.clearSelection()
        self._update_actions()
        self.selection_changed.emit()

    def _double_clicked(self, lst: _CorrespondentList, index: QModelIndex) -> None:
        correspondent = index.data(CorrespondentRole)
        if not isinstance(correspondent, Correspondent):
            return
        if self.picking:
            self.activated.emit(correspondent)
        elif correspondent.mailbox:
            self._compose([correspondent], "")

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
            self._compose(people, "")

    def request_teleexpertise(self) -> None:
        chosen = self.selected()
        if len(chosen) == 1 and chosen[0].expert and chosen[0].mailbox:
            # A request (the téléexpertise form), not a mail.
            actions.open_teleexpertise_request(self.session, chosen[0], self.window())

    def _compose(self, people: list[Correspondent], subject: str) -> None:
        self.open_composer(self.session, people, subject, self.window())

    def _flash(self, text: str, error: bool = False) -> None:
        self.feedback_label.setText(text)
        theme.restyle(self.feedback_label, error=error)
        self._feedback_timer.start()


class DirectoryDialog(QDialog):
    """The directory as the composer's recipient picker: "Choisir" → chosen(list[Correspondent])."""

    chosen = Signal(list)

    def __init__(self, session: AccountSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("directoryDialog")
        self.setWindowTitle(self.tr("Rechercher un destinataire"))
        self.resize(980, 680)
        self.view = DirectoryView(session, self, picking=True)
        self.choose_button = QPushButton(theme.icon("check-light"), self.tr("Choisir"))
        self.choose_button.setObjectName("primaryButton")
        self.cancel_button = QPushButton(self.tr("Annuler"))
        for button in (self.choose_button, self.cancel_button):
            button.setAutoDefault(False)
        self.view.action_bar.addWidget(self.cancel_button)
        self.view.action_bar.addWidget(self.choose_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.choose_button.clicked.connect(self._choose_clicked)
        self.cancel_button.clicked.connect(self.reject)
        self.view.selection_changed.connect(self._update)
        self.view.activated.connect(lambda c: self.choose([c]))
        self._update()

    def _update(self) -> None:
        self.choose_button.setEnabled(any(c.mailbox for c in self.view.selected()))

    def _choose_clicked(self) -> None:
        self.choose()

    def choose(self, people: list[Correspondent] | None = None) -> None:
        picked = [c for c in (people if people is not None else self.view.selected()) if c.mailbox]
        if not picked:
            return
        self.chosen.emit(picked)
        self.accept()


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
