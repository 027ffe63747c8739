"""« Rechercher une spécialité » above the specialties a téléexpert offers (ui/specialties.py):
the field narrows the list whatever the accents, capitals and hyphens typed, and never loses a
ticked specialty."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ui.specialties import SpecialtyChecklist


def shown(checklist: SpecialtyChecklist) -> list[str]:
    return [item.text() for item in checklist.items() if not item.isHidden()]


def tick(checklist: SpecialtyChecklist, label: str) -> None:
    (item,) = (i for i in checklist.items() if i.text() == label)
    item.setCheckState(Qt.CheckState.Checked)


def test_the_filter_ignores_accents_capitals_and_hyphens(qtbot: QtBot) -> None:
    checklist = SpecialtyChecklist()
    qtbot.addWidget(checklist)
    every = shown(checklist)
    assert len(every) > 80
    assert checklist.filter_edit.placeholderText() == "Rechercher une spécialité"
    qtbot.keyClicks(checklist.filter_edit, "VENEREO")
    assert shown(checklist) == ["Dermatologie et Vénéréologie"]
    checklist.filter_edit.setText("cardio")
    assert shown(checklist) == [
        "Cardiologie et Maladies vasculaires",
        "Chirurgie thoracique et cardio-vasculaire",
    ]
    checklist.filter_edit.setText("neurochirurgie")
    assert shown(checklist) == ["Neuro-chirurgie"]
    checklist.filter_edit.setText("  gyneco   obstétrique ")  # each word, anywhere
    assert all("obstétrique" in label for label in shown(checklist))
    assert len(shown(checklist)) == 3
    assert not checklist.none_label.isVisibleTo(checklist)
    checklist.filter_edit.clear()
    assert shown(checklist) == every


def test_a_ticked_specialty_stays_ticked_and_shown_whatever_is_typed(qtbot: QtBot) -> None:
    checklist = SpecialtyChecklist()
    qtbot.addWidget(checklist)
    with qtbot.waitSignal(checklist.changed, timeout=1_000):
        checklist.filter_edit.setText("dermato")
        tick(checklist, "Dermatologie et Vénéréologie")
    checklist.filter_edit.setText("PEDIATRI")
    tick(checklist, "Pédiatrie")
    assert shown(checklist) == [
        "Chirurgie pédiatrique option chirurgie viscérale pédiatrique",
        "Chirurgie pédiatrique option orthopédie pédiatrique",
        "Dermatologie et Vénéréologie",  # ticked before: still there, in its place
        "Pédiatrie",
    ]
    checklist.filter_edit.setText("xylophone")
    assert shown(checklist) == ["Dermatologie et Vénéréologie", "Pédiatrie"]
    assert checklist.none_label.isVisibleTo(checklist)
    assert checklist.none_label.text() == "Aucune spécialité ne correspond à « xylophone »."
    assert sorted(checklist.checked()) == ["SM15", "SM40"]
    checklist.filter_edit.clear()
    assert not checklist.none_label.isVisibleTo(checklist)
    assert sorted(checklist.checked()) == ["SM15", "SM40"]


def test_set_checked_ticks_those_codes_only(qtbot: QtBot) -> None:
    checklist = SpecialtyChecklist()
    qtbot.addWidget(checklist)
    checklist.set_checked(["SM04", "SM15"])
    checklist.set_checked(["SM15"])
    assert checklist.checked() == ["SM15"]
