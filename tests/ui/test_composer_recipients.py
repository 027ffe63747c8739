"""Recipients: as-you-type completion from the directory (debounced, the previous search
cancelled), typed addresses accepted when they look like one, chips removable, and the patient's
care team proposed once a patient is chosen."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from app.message.draft import ChosenPatient
from app.session import AccountSession
from app.store.records import Address
from tests.ui.conftest import OFFSCREEN_ONLY, run_sync
from ui.composer.composer import Composer
from ui.composer.recipients import CARE_TEAM, DIRECTORY, Candidate, looks_like_address, matches

# The proposals are a popup window, which the offscreen test platform can neither raise nor give
# the keyboard to (it says so); on a desktop both work.
POPUP_OFFSCREEN = pytest.mark.qt_log_ignore(
    OFFSCREEN_ONLY,
    r"This plugin does not support raise\(\)",
    r"This plugin does not support grabbing the keyboard",
)


@POPUP_OFFSCREEN
def test_typing_three_letters_proposes_people_from_the_directory(
    qtbot: QtBot, ui_session: AccountSession
) -> None:
    composer = Composer(ui_session)
    qtbot.addWidget(composer)
    composer.show()
    field = composer.to_field
    qtbot.keyClicks(field.line_edit, "Ben")
    qtbot.waitUntil(lambda: any(c.source == DIRECTORY for c in field.candidates), timeout=20_000)
    proposed = [c for c in field.candidates if c.source == DIRECTORY]
    assert all(matches(c, "Ben") for c in proposed)
    assert all("@" in c.email for c in proposed)
    assert field.popup.isVisible()
    assert field.model.rowCount() == len(field.candidates)

    chosen = proposed[0]
    field.accept_candidate(chosen)
    assert field.recipients() == [Address(chosen.name, chosen.email)]
    assert field.line_edit.text() == ""
    assert not field.popup.isVisible()

    # A typed address becomes a chip; a word that is not one stays text.
    qtbot.keyClicks(field.line_edit, "secretariat@chu-lyon.mssante.fr,")
    assert [a.email for a in field.recipients()][-1] == "secretariat@chu-lyon.mssante.fr"
    qtbot.keyClicks(field.line_edit, "pas-une-adresse")
    assert not field.commit_typed()
    assert len(field.recipients()) == 2
    field.remove(chosen.email)
    assert [a.email for a in field.recipients()] == ["secretariat@chu-lyon.mssante.fr"]


@POPUP_OFFSCREEN
def test_a_new_keystroke_cancels_the_search_for_the_previous_text(
    qtbot: QtBot, ui_session: AccountSession
) -> None:
    composer = Composer(ui_session)
    qtbot.addWidget(composer)
    composer.show()
    field = composer.to_field
    qtbot.keyClicks(field.line_edit, "Be")
    qtbot.waitUntil(lambda: field._search is not None, timeout=5_000)
    first = field._search
    assert first is not None
    qtbot.keyClicks(field.line_edit, "nali")
    assert first.cancelling()  # the search for "Be" is called off at once
    qtbot.waitUntil(first.done)
    assert first.cancelled()
    qtbot.waitUntil(lambda: any(c.source == DIRECTORY for c in field.candidates), timeout=20_000)
    assert all(matches(c, "Benali") for c in field.candidates)


def test_the_care_team_of_the_chosen_patient_is_proposed(
    qtbot: QtBot, ui_session: AccountSession
) -> None:
    regional = run_sync(qtbot, ui_session.regional())
    patients = run_sync(qtbot, regional.file_active())
    composer = Composer(ui_session)
    qtbot.addWidget(composer)
    composer.set_patient(ChosenPatient.of(patients[0]))
    qtbot.waitUntil(lambda: bool(composer.to_field.care_team), timeout=20_000)
    member: Candidate = next(
        c
        for c in composer.to_field.care_team
        if "garnier" not in c.email  # not myself
    )
    assert member.source == CARE_TEAM
    word = (member.name or "").split()[-1]
    assert member in composer.to_field.local_candidates(word)
    composer.set_patient(None)
    assert composer.to_field.care_team == []
    assert composer.patient_chip is None


def test_what_looks_like_an_address() -> None:
    assert looks_like_address("karim.benali@sisra-demo.mssante.fr")
    assert looks_like_address(" dr.o'neil@pro.mssante.fr ")
    assert not looks_like_address("karim")
    assert not looks_like_address("karim@")
    assert not looks_like_address("a b@pro.mssante.fr")
    helene = Candidate("Dr Hélène Garnier", "helene.garnier@x.fr", "", "Favori")
    assert matches(helene, "helene")
    assert matches(helene, "gar hel")
    assert not matches(helene, "ben")


def test_a_recipient_is_found_by_the_letters_a_keyboard_types() -> None:
    someone = Candidate("Dr Lætitia Bœuf", "l.boeuf@x.fr", "", "Annuaire")
    assert matches(someone, "laetitia")
    assert matches(someone, "boeuf lae")
