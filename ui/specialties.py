"""Ordinal specialties (ANS nomenclature TRE_R38, dated 2022-08), for the directory's specialty
filter and the specialties a téléexpert offers (`SpecialtyChecklist`): the client must offer the
list before any search, and the core carries no copy of it."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.records import specialty_label
from app.text import fold
from ui import theme
from ui.plain import PlainLabel

SPECIALTIES: tuple[tuple[str, str], ...] = (
    ("SCD01", "Orthopédie dento-faciale (SCD)"),
    ("SCD02", "Chirurgie orale (SCD)"),
    ("SCD03", "Médecine bucco-dentaire (SCD)"),
    ("SI01", "Exercice infirmier en pratique avancée pathologies chroniques stabilisées (SI)"),
    ("SI02", "Exercice infirmier en pratique avancée oncologie et hémato-oncologie (SI)"),
    ("SI03", "Exercice infirmier en pratique avancée maladie rénale chronique (SI)"),
    ("SI04", "Exercice infirmier en pratique avancée santé mentale (SI)"),
    ("SI05", "Exercice infirmier en pratique avancée urgences"),
    ("SM01", "Anatomie et Cytologie pathologiques (SM)"),
    ("SM02", "Anesthésie-réanimation (SM)"),
    ("SM03", "Biologie médicale (SM)"),
    ("SM04", "Cardiologie et Maladies vasculaires (SM)"),
    ("SM05", "Chirurgie générale (SM)"),
    ("SM06", "Chirurgie maxillo-faciale (SM)"),
    ("SM07", "Chirurgie maxillo-faciale et Stomatologie (SM)"),
    ("SM08", "Chirurgie orthopédique et Traumatologie (SM)"),
    ("SM09", "Chirurgie infantile (SM)"),
    ("SM10", "Chirurgie plastique reconstructrice et esthétique (SM)"),
    ("SM11", "Chirurgie thoracique et cardio-vasculaire (SM)"),
    ("SM12", "Chirurgie urologique (SM)"),
    ("SM13", "Chirurgie vasculaire (SM)"),
    ("SM14", "Chirurgie viscérale et digestive (SM)"),
    ("SM15", "Dermatologie et Vénéréologie (SM)"),
    ("SM16", "Endocrinologie et Métabolisme (SM)"),
    ("SM17", "Génétique médicale (SM)"),
    ("SM18", "Gériatrie (SM)"),
    ("SM19", "Gynécologie médicale (SM)"),
    ("SM20", "Gynécologie-obstétrique (SM)"),
    ("SM21", "Hématologie (SM)"),
    ("SM22", "Hématologie, option Maladie du sang (SM)"),
    ("SM23", "Hématologie, option Onco-hématologie (SM)"),
    ("SM24", "Gastro-entérologie et Hépatologie (SM)"),
    ("SM25", "Médecine du travail (SM)"),
    ("SM26", "Qualifié en Médecine générale (SM)"),
    ("SM27", "Médecine interne (SM)"),
    ("SM28", "Médecine nucléaire (SM)"),
    ("SM29", "Médecine physique et de réadaptation (SM)"),
    ("SM30", "Néphrologie (SM)"),
    ("SM31", "Neuro-chirurgie (SM)"),
    ("SM32", "Neurologie (SM)"),
    ("SM33", "Neuro-psychiatrie (SM)"),
    ("SM34", "ORL et Chirurgie cervico-faciale (SM)"),
    ("SM35", "Oncologie, option Onco-hématologie (SM)"),
    ("SM36", "Oncologie, option médicale (SM)"),
    ("SM37", "Oncologie, option radiothérapie (SM)"),
    ("SM38", "Ophtalmologie (SM)"),
    ("SM39", "Oto-rhino-laryngologie (SM)"),
    ("SM40", "Pédiatrie (SM)"),
    ("SM41", "Pneumologie (SM)"),
    ("SM42", "Psychiatrie (SM)"),
    ("SM43", "Psychiatrie, option enfant et adolescent (SM)"),
    ("SM44", "Radio-diagnostic (SM)"),
    ("SM45", "Radio-thérapie (SM)"),
    ("SM46", "Médecine intensive-réanimation (SM)"),
    ("SM47", "Recherche médicale (SM)"),
    ("SM48", "Rhumatologie (SM)"),
    ("SM49", "Santé publique et Médecine sociale (SM)"),
    ("SM50", "Stomatologie (SM)"),
    ("SM51", "Gynéco-obstétrique et Gynéco-médicale, option Gynéco-obstétrique (SM)"),
    ("SM52", "Gynéco-obstétrique et Gynéco-médicale, option Gynéco-médicale (SM)"),
    ("SM53", "Spécialiste en Médecine générale (SM)"),
    ("SM54", "Médecine générale (SM)"),
    ("SM55", "Radio-diagnostic et Radio-thérapie (SM)"),
    ("SM56", "Chirurgie orale (SM)"),
    ("SM57", "Allergologie (SM)"),
    ("SM58", "Maladies infectieuses et tropicales (SM)"),
    ("SM59", "Médecine d'urgence (SM)"),
    ("SM60", "Médecine légale et expertises médicales (SM)"),
    ("SM61", "Médecine vasculaire (SM)"),
    ("SM62", "Endocrinologie, diabétologie, nutrition (SM)"),
    ("SM63", "Biologie médicale option biologie générale (SM)"),
    ("SM64", "Biologie médicale option médecine moléculaire, génétique et pharmacologie (SM)"),
    ("SM65", "Biologie médicale option hématologie et immunologie (SM)"),
    ("SM66", "Biologie médicale option agents infectieux (SM)"),
    ("SM67", "Biologie médicale option biologie de la reproduction (SM)"),
    ("SM68", "Chirurgie maxillo-faciale (réforme 2017) (SM)"),
    ("SM69", "Chirurgie pédiatrique option chirurgie viscérale pédiatrique (SM)"),
    ("SM70", "Chirurgie pédiatrique option orthopédie pédiatrique (SM)"),
    ("SM71", "Hématologie (réforme 2017) (SM)"),
    ("SM72", "Médecine interne et immunologie clinique (SM)"),
    ("SP01", "Radio-pharmacie (SP)"),
    ("SP02", "Hygiène (SP)"),
    ("SP03", "Pharmacovigilance (SP)"),
    ("SP04", "Hémovigilance (SP)"),
)


def short_label(label: str) -> str:
    """'Cardiologie et Maladies vasculaires (SM)' without its register suffix, as people say it
    (app.records.specialty_label)."""
    return specialty_label(label) or label


def options() -> list[tuple[str, str]]:
    """(code, label) in alphabetical order; the suffix is kept only where two labels would clash."""
    shorts = [short_label(label) for _, label in SPECIALTIES]
    clashing = {s for s in shorts if shorts.count(s) > 1}
    shown = [
        (code, label if short in clashing else short)
        for (code, label), short in zip(SPECIALTIES, shorts, strict=True)
    ]
    return sorted(shown, key=lambda item: fold(item[1]))


def _searchable(text: str) -> str:
    """`fold` without hyphens: "neurochirurgie" and "neuro chirurgie" find "Neuro-chirurgie"."""
    return fold(text).replace("-", "")


def matches(label: str, query: str) -> bool:
    """Every word typed is somewhere in `label`, whatever the accents and capitals."""
    words = _searchable(query).split()
    shown = _searchable(label)
    return all(word in shown for word in words)


class SpecialtyChecklist(QWidget):
    """The specialties to tick (over 80), with « Rechercher une spécialité » above them: the
    field only narrows the list, so a ticked specialty stays ticked, and shown, whatever is
    typed."""

    changed = Signal()  # a specialty ticked or unticked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("specialtyChecklist")
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Rechercher une spécialité"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.addAction(theme.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.list = QListWidget()
        self.list.setObjectName("specialtyList")
        self.list.setMinimumHeight(120)
        # Long names ("Biologie médicale option médecine moléculaire…") wrap, never cut.
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for code, label in options():
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.none_label = PlainLabel()
        self.none_label.setObjectName("hint")
        self.none_label.setWordWrap(True)
        self.none_label.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.list)
        layout.addWidget(self.none_label)
        self.filter_edit.textChanged.connect(self.filter)
        self.list.itemChanged.connect(lambda _item: self.changed.emit())

    def items(self) -> list[QListWidgetItem]:
        return [self.list.item(row) for row in range(self.list.count())]

    def checked(self) -> list[str]:
        """The codes ticked, shown or not, in the list's order."""
        return [
            str(item.data(Qt.ItemDataRole.UserRole))
            for item in self.items()
            if item.checkState() == Qt.CheckState.Checked
        ]

    def set_checked(self, codes: Iterable[str]) -> None:
        wanted = set(codes)
        for item in self.items():
            ticked = item.data(Qt.ItemDataRole.UserRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self.filter(self.filter_edit.text())

    def filter(self, query: str) -> None:
        """Shows the specialties whose name has every word of `query`, and the ticked ones."""
        found = 0
        for item in self.items():
            hit = matches(item.text(), query)
            found += hit
            item.setHidden(not hit and item.checkState() != Qt.CheckState.Checked)
        self.none_label.setVisible(not found)
        if not found:
            self.none_label.setText(
                self.tr("Aucune spécialité ne correspond à « {query} ».").format(
                    query=query.strip()
                )
            )


__all__ = ["SPECIALTIES", "SpecialtyChecklist", "matches", "options", "short_label"]
