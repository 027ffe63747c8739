"""Recipients: as-you-type completion from the directory (debounced, the previous search
cancelled), typed addresses accepted when they look like one, chips removable, and the patient's
care team proposed once a patient is chosen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from app.message.draft import ChosenPatient
from app.session import AccountSession
from app.store.records import Address
from tests.ui.conftest import OFFSCREEN_ONLY, run_sync
from ui.composer.candidates import FAVORITE, RECENT, merge
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
    assert member in composer.to_field.local_candidates(word)  # before the rest is read too
    composer.set_patient(None)
    assert composer.to_field.care_team == []
    assert composer.patient_chip is None


@POPUP_OFFSCREEN
def test_an_address_pasted_with_invisible_characters_becomes_the_address(
    qtbot: QtBot, ui_session: AccountSession
) -> None:
    # Copied from a label's break points, a web page (soft hyphen, byte-order mark, joiners).
    composer = Composer(ui_session)
    qtbot.addWidget(composer)
    composer.show()
    field = composer.to_field
    address = "thierry.da-silva@ch-villefontaine.mssante.fr"
    pasted = "\ufeff" + "\u200b".join(address[:20]) + "\u00ad\u200d" + address[20:] + "\u2060"
    QGuiApplication.clipboard().setText(pasted)
    field.line_edit.setFocus()
    qtbot.keyClicks(field.line_edit, "x")
    field.line_edit.setCursorPosition(0)
    qtbot.keyClick(field.line_edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert field.line_edit.text() == address + "x"
    assert field.line_edit.cursorPosition() == len(address)  # just after what was pasted
    qtbot.keyClick(field.line_edit, Qt.Key.Key_Backspace)  # nothing invisible left to erase
    assert field.line_edit.text() == address[:-1] + "x"
    field.line_edit.setText("")
    qtbot.keyClick(field.line_edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(field.line_edit, Qt.Key.Key_Comma)
    assert [a.email for a in field.recipients()] == [address]


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


@POPUP_OFFSCREEN
@pytest.mark.parametrize("typed", ["benali cardio", "Cardio BENALI", "karim benali"])
def test_several_words_in_any_order_complete_to_the_person(
    qtbot: QtBot, ui_session: AccountSession, typed: str
) -> None:
    """A word may be a name or a specialty, in any order, in any case."""
    composer = Composer(ui_session)
    qtbot.addWidget(composer)
    composer.show()
    field = composer.to_field
    qtbot.keyClicks(field.line_edit, typed)
    # Dr Benali is one of the demo GP's recent correspondents: proposed from there or from the
    # directory, whichever knows him first, always first.
    qtbot.waitUntil(
        lambda: bool(field.candidates) and field.candidates[0].name == "Dr Karim Benali",
        timeout=20_000,
    )
    assert field.candidates[0].email.startswith("karim.benali@")
    assert all(matches(c, typed) for c in field.candidates if c.source != DIRECTORY)


def test_the_most_written_to_come_first_then_the_nearest() -> None:
    near = Candidate("Dr Bernard Proche", "proche@x.fr", "", DIRECTORY, distance_km=1.5)
    far = Candidate("Dr Bernard Loin", "loin@x.fr", "", DIRECTORY, distance_km=40.0)
    unknown = Candidate("Dr Bernard Ailleurs", "ailleurs@x.fr", "", DIRECTORY)
    often = Candidate("Dr Bernard Souvent", "Souvent@x.fr", "", RECENT)
    favorite = Candidate("Dr Bernard Favori", "favori@x.fr", "", FAVORITE)
    counts = {"souvent@x.fr": 7, "loin@x.fr": 2}
    ranked = merge([favorite, often], [unknown, far, near], counts=counts)
    assert [c.email for c in ranked] == [
        "Souvent@x.fr",  # 7 messages
        "loin@x.fr",  # 2 messages, although 40 km away
        "favori@x.fr",  # never written to: a favorite first
        "proche@x.fr",  # then by distance
        "ailleurs@x.fr",  # distance unknown: last
    ]


def test_local_proposals_rank_by_the_messages_written_to_each(
    qtbot: QtBot, ui_session: AccountSession
) -> None:
    from functools import partial

    from app.store import contacts

    def noted(address: str, name: str) -> None:
        run_sync(
            qtbot,
            ui_session.account.cache.write(partial(contacts.note_used, address=address, name=name)),
        )

    run_sync(
        qtbot,
        ui_session.set_favorite(
            "zephyrin.c@x.mssante.fr", {"name": "Dr Zéphyrin Chevalier"}, on=True
        ),
    )
    noted("zephyrin.a@x.mssante.fr", "Dr Zéphyrin Arnaud")
    for _ in range(3):
        noted("zephyrin.b@x.mssante.fr", "Dr Zéphyrin Barbier")
    composer = Composer(ui_session)
    qtbot.addWidget(composer)
    qtbot.waitUntil(composer.to_field.load_at_hand().done, timeout=10_000)
    found = composer.to_field.local_candidates("zephyrin")
    # Written to 3 times, once, never (a favorite never written to comes after).
    assert [c.email for c in found] == [
        "zephyrin.b@x.mssante.fr",
        "zephyrin.a@x.mssante.fr",
        "zephyrin.c@x.mssante.fr",
    ]


@POPUP_OFFSCREEN
def test_the_sent_mailbox_is_counted_in_a_worker_thread_not_at_each_keystroke(
    qtbot: QtBot, ui_session: AccountSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counting the Sent mailbox takes tens of milliseconds with 10,000 sent messages: the UI
    thread never runs it, and a field counts once however much is typed; the recents it finds
    are still proposed, first."""
    import threading

    from app.store import contacts

    counted_on: list[threading.Thread] = []
    written_to = contacts._written_to

    def watched(conn: object) -> object:
        counted_on.append(threading.current_thread())
        return written_to(conn)  # type: ignore[arg-type]

    monkeypatch.setattr(contacts, "_written_to", watched)
    composer = Composer(ui_session)
    qtbot.addWidget(composer)
    composer.show()
    field = composer.to_field
    qtbot.keyClicks(field.line_edit, "ben")
    qtbot.waitUntil(lambda: any(c.source == RECENT for c in field.candidates), timeout=20_000)
    qtbot.keyClicks(field.line_edit, "a")
    qtbot.waitUntil(lambda: any(c.source == DIRECTORY for c in field.candidates), timeout=20_000)
    assert counted_on, "the Sent mailbox was counted"
    assert threading.main_thread() not in counted_on
    assert len(counted_on) == 1  # once per field
    assert field.candidates[0].name == "Dr Karim Benali"  # written to most: first
    assert field.candidates[0].source == RECENT


def test_a_suggestion_names_the_specialty_as_people_say_it_without_its_register_code() -> None:
    from app.records import Correspondent
    from ui.composer.candidates import from_correspondent, from_favorite

    person = Correspondent(
        kind="practitioner",
        id="role-1",
        display_name="Dr Karim Benali",
        specialty_label="Cardiologie et Maladies vasculaires (SM)",
        city="Lyon",
        mailboxes=("karim.benali@ch-lyon.mssante.fr",),
    )
    suggested = from_correspondent(person)
    assert suggested is not None
    assert suggested.detail == "Cardiologie et Maladies vasculaires · Lyon"
    starred = from_favorite(
        "karim.benali@ch-lyon.mssante.fr",
        {"name": "Dr Karim Benali", "specialty_label": "Cardiologie et Maladies vasculaires (SM)"},
    )
    assert starred.detail == "Cardiologie et Maladies vasculaires"
