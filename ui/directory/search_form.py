"""The directory's search form: every criterion of DESIGN §2.3 (name, specialty, service or
competence, postal code, département, "autour de moi" with a radius, category, experts only) and
the `DirectoryQuery` they describe. The directory page (view.py) derives from it and runs the
searches; the form only says when its criteria changed (`criteria_changed`: the page waits for
the typing to pause) and when a search is asked for now (`search_requested`: Entrée, Rechercher,
Effacer)."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.records import CATEGORY_LABELS, DirectoryQuery, Near, mailbox_in
from ui import theme
from ui.directory.location import PracticeLocation
from ui.plain import PlainLabel, plain_tooltip
from ui.specialties import options as specialty_options

PAGE_SIZE = 50
DEFAULT_RADIUS_KM = 10
RADII_KM = (1, 2, 5, 10, 20, 50, 100)
# A choice list asks room for this many characters, not for its longest choice (a specialty has
# 75: "Biologie médicale option médecine moléculaire…"); wider when the window is, elided below.
CHOICE_CHARACTERS = 16


class SearchForm(QWidget):
    """The criteria card (`self.criteria`, laid out by the page) and the query it describes."""

    criteria_changed = Signal()
    search_requested = Signal()

    def __init__(self, location: PracticeLocation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.location = location
        self._build_criteria()

    def _build_criteria(self) -> None:
        self.criteria = QFrame(self)
        self.criteria.setObjectName("searchCard")
        grid = QGridLayout(self.criteria)
        grid.setContentsMargins(16, 16, 16, 16)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(8)

        self.name_edit = QLineEdit()
        # An MSSanté address pasted here is searched as one (query()): the field the user is in,
        # rather than one more field in a card that must fit a 1024-pixel window.
        self.name_edit.setPlaceholderText(self.tr("Nom, prénom ou adresse MSSanté"))
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
        for combo in (self.specialty_combo, self.category_combo):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(CHOICE_CHARACTERS)

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
        # Where, then who and the buttons: on one line, these filters asked 1,170 px and the
        # Annuaire widened a 1024-pixel window past the screen.
        where = QHBoxLayout()
        where.setSpacing(8)
        where.addWidget(self.postal_edit)
        where.addWidget(self.departement_edit)
        where.addSpacing(8)
        where.addWidget(self.near_check)
        where.addWidget(self.radius_combo)
        where.addStretch(1)
        who = QHBoxLayout()
        who.setSpacing(8)
        who.addWidget(self.category_combo, 1)
        who.addSpacing(8)
        who.addWidget(self.experts_check)
        who.addStretch(1)
        who.addWidget(self.clear_button)
        who.addWidget(self.search_button)
        grid.addLayout(where, 1, 0, 1, 3)
        grid.addWidget(self.location_label, 2, 0, 1, 3)
        grid.addLayout(who, 3, 0, 1, 3)
        for column in range(3):
            grid.setColumnStretch(column, 1)

        changed = self.criteria_changed  # signal to signal: the edit's argument is dropped
        for edit in (self.name_edit, self.text_edit, self.postal_edit, self.departement_edit):
            edit.textEdited.connect(changed)
            edit.returnPressed.connect(self.search_requested)
        line.textEdited.connect(changed)
        line.returnPressed.connect(self.search_requested)
        self.specialty_combo.activated.connect(changed)
        self.category_combo.currentIndexChanged.connect(changed)
        self.experts_check.toggled.connect(changed)
        self.near_check.toggled.connect(self._near_toggled)
        self.radius_combo.currentIndexChanged.connect(changed)
        self.search_button.clicked.connect(self.search_requested)
        self.clear_button.clicked.connect(self.clear)

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
        mailbox = mailbox_in(name) if name else None
        if mailbox is not None:
            name = None
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
            mailbox=mailbox,
            experts_only=self.experts_check.isChecked(),
            count=PAGE_SIZE,
        )
        if query == DirectoryQuery(count=PAGE_SIZE):
            return None
        return query

    def nothing_found(self) -> str:
        """What a search that found no one says: an address's search names the address."""
        query = self.query()
        if query is not None and query.mailbox:
            return self.tr(
                "Aucun professionnel ni service n'a l'adresse {address} dans l'annuaire."
            ).format(address=query.mailbox)
        return self.tr("Aucun résultat. Élargissez la recherche.")

    def _near_toggled(self, on: bool) -> None:
        self.radius_combo.setEnabled(on)
        self.location_label.setVisible(on)
        self.criteria_changed.emit()

    def clear(self) -> None:
        """Every criterion emptied, and the page back to favorites and recents."""
        for edit in (self.name_edit, self.text_edit, self.postal_edit, self.departement_edit):
            edit.clear()
        self.specialty_combo.setCurrentIndex(0)
        self.category_combo.setCurrentIndex(0)
        self.experts_check.setChecked(False)
        self.near_check.setChecked(False)
        self.search_requested.emit()


__all__ = ["DEFAULT_RADIUS_KM", "PAGE_SIZE", "RADII_KM", "SearchForm"]
