"""The settings dialog on the demo GP's account: every setting changed and saved with OK (and
announced), a bad server address refused in French with nothing saved, Annuler saving nothing,
the space documents take, communes found in the sandbox's directory with their positions."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QScrollArea,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app import settings as settings_mod
from app.session import AccountSession
from app.settings import PracticeLocation, Settings
from app.store import attachments as content
from app.sync.prefetch import DAY_MS, DEFAULT_DAYS
from app.units import MIB, file_size
from server.directory.communes import load_communes
from server.directory.search import haversine_km
from ui.desktop.settings_dialog import SettingsDialog
from ui.server_address import server_url_error


@pytest.fixture
def settings_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Fresh settings saved in a folder of this test (the app's are never touched)."""
    monkeypatch.setattr(settings_mod, "_state", settings_mod.State())
    root = tmp_path / "réglages"
    settings_mod.use(root)
    return root


def saved_file(root: Path) -> dict[str, object] | None:
    path = settings_mod.path_in(root)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def open_dialog(qtbot: QtBot, session: AccountSession | None) -> SettingsDialog:
    dialog = SettingsDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def click(qtbot: QtBot, widget: object) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def click_row(qtbot: QtBot, view: QListWidget, row: int) -> None:
    rect = view.visualItemRect(view.item(row))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def commune_position(insee: str) -> tuple[float, float]:
    found = next(c for c in load_communes() if c.insee == insee)
    return found.lat, found.lon


def test_every_setting_changed_is_saved_with_ok_and_announced(
    qtbot: QtBot, ui_session: AccountSession, settings_root: Path
) -> None:
    dialog = open_dialog(qtbot, ui_session)
    assert dialog.account.login_value.text() == "helene.garnier"
    assert dialog.security.autolock_combo.currentText() == "2 h"  # the default
    assert not dialog.notifications.patient_names_check.isChecked()  # off by default
    assert dialog.sending.delay_spin.text() == "10 s"  # the undo delay's default
    # No practice location yet: her practice, as the directory lists it, is proposed.
    qtbot.waitUntil(lambda: dialog.practice.location() is not None, timeout=15_000)
    assert dialog.practice.location_label.text() == "Lyon (69003)"
    assert "Cabinet médical Garnier-Vasseur" in dialog.practice.location_note.text()

    dialog.account.server_edit.setText("https://mss.example.fr/")
    dialog.documents.budget_spin.setValue(800)
    dialog.sending.delay_spin.setValue(0)
    assert dialog.sending.delay_spin.text() == "Désactivé"
    click(qtbot, dialog.notifications.patient_names_check)
    dialog.security.autolock_combo.setCurrentIndex(
        dialog.security.autolock_combo.findText("30 min")
    )
    qtbot.keyClicks(dialog.practice.commune_edit, "Villeurb")
    qtbot.waitUntil(lambda: bool(dialog.practice.communes_shown()), timeout=15_000)
    assert dialog.practice.communes_shown()[0].commune == "Villeurbanne"
    click_row(qtbot, dialog.practice.commune_list, 0)
    assert dialog.practice.location_label.text().startswith("Villeurbanne (69")
    assert dialog.practice.location_note.text() == "Choisi par vous."
    assert saved_file(settings_root) is None  # nothing written before OK

    with qtbot.waitSignal(dialog.changed, timeout=5_000) as announced:
        click(qtbot, dialog.ok_button)
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = settings_mod.load(settings_root)
    assert announced.args == [saved]
    assert saved == settings_mod.current()
    assert saved.server_url == "https://mss.example.fr"
    assert saved.cache_budget_mb == 800
    assert saved.notify_patient_names is True
    assert saved.autolock_minutes == 30
    assert saved.send_delay_s == 0
    place = saved.practice_location
    assert place is not None
    assert place.commune is not None
    assert place.commune.startswith("Villeurbanne (69")
    assert haversine_km(place.lat, place.lon, *commune_position("69266")) < 2
    # The budget reached the session at once.
    qtbot.waitUntil(lambda: ui_session.attachments.budget_bytes == 800 * MIB, timeout=5_000)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("http://sante-ara.fr", "doit commencer par https://"),
        ("ftp://sante-ara.fr", "(pas ftp://)"),
        ("https://", "n'est pas valide"),
        ("https://exa mple.fr", "contient une espace"),
        ("https://example.fr:99999", "n'est pas valide"),
        ("", "Indiquez l'adresse du serveur"),
    ],
)
def test_bad_server_addresses_are_explained_in_french(typed: str, said: str) -> None:
    message = server_url_error(typed)
    assert message is not None
    assert said in message


@pytest.mark.parametrize(
    "good",
    [
        "https://sante-ara.fr",
        "sante-ara.fr",
        "https://mss.example.fr:8443/base/",
        "http://127.0.0.1:8123",
        "http://localhost:8000",
        "http://[::1]:8000",
    ],
)
def test_good_server_addresses_pass(good: str) -> None:
    assert server_url_error(good) is None


def test_a_bad_server_address_is_refused_inline_and_nothing_is_saved(
    qtbot: QtBot, qloop: object, settings_root: Path
) -> None:
    dialog = open_dialog(qtbot, None)
    announced: list[Settings] = []
    dialog.changed.connect(announced.append)
    dialog.account.server_edit.setText("http://sante-ara.fr")
    dialog.security.autolock_combo.setCurrentIndex(
        dialog.security.autolock_combo.findText("15 min")
    )
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible()  # still open, to be corrected
    assert dialog.account.server_error.isVisible()
    assert "https://" in dialog.account.server_error.text()
    assert "127.0.0.1" in dialog.account.server_error.text()
    assert saved_file(settings_root) is None
    assert settings_mod.current() == Settings()
    assert announced == []
    # Corrected, the error goes as soon as the address is good, and OK saves.
    dialog.account.server_edit.setText("http://127.0.0.1:8123")
    assert not dialog.account.server_error.isVisible()
    click(qtbot, dialog.ok_button)
    assert not dialog.isVisible()
    assert settings_mod.load(settings_root).server_url == "http://127.0.0.1:8123"
    assert settings_mod.load(settings_root).autolock_minutes == 15
    assert len(announced) == 1


def test_annuler_saves_nothing(qtbot: QtBot, qloop: object, settings_root: Path) -> None:
    settings_mod.update(autolock_minutes=45)  # a value off the presets is kept and shown
    before = settings_mod.current()
    dialog = open_dialog(qtbot, None)
    assert dialog.security.autolock_combo.currentText() == "45 min"
    announced: list[Settings] = []
    dialog.changed.connect(announced.append)
    dialog.account.server_edit.setText("https://autre.example.fr")
    dialog.documents.budget_spin.setValue(2000)
    click(qtbot, dialog.notifications.patient_names_check)
    click(qtbot, dialog.cancel_button)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert settings_mod.current() == before
    assert settings_mod.load(settings_root) == before
    assert announced == []


def test_without_an_account_the_dialog_says_what_needs_one(
    qtbot: QtBot, qloop: object, settings_root: Path
) -> None:
    settings_mod.update(practice_location=PracticeLocation(45.7, 4.9, "Bron (69500)"))
    dialog = open_dialog(qtbot, None)
    assert dialog.account.login_value.text() == "aucun compte ouvert"
    assert not dialog.documents.usage_label.isVisible()
    assert dialog.practice.location_label.text() == "Bron (69500)"
    qtbot.keyClicks(dialog.practice.commune_edit, "Lyon")
    qtbot.waitUntil(dialog.practice.commune_status.isVisible, timeout=5_000)
    assert "Connectez-vous" in dialog.practice.commune_status.text()
    # "Retirer" forgets the place; OK saves that.
    click(qtbot, dialog.practice.clear_location_button)
    assert dialog.practice.location() is None
    assert dialog.practice.location_label.text() == "Aucun lieu choisi"
    assert "centre de Lyon" in dialog.practice.location_note.text()
    click(qtbot, dialog.ok_button)
    assert settings_mod.load(settings_root).practice_location is None


def test_the_space_documents_take_is_shown_and_communes_are_found_by_postal_code(
    qtbot: QtBot, ui_session: AccountSession, settings_root: Path
) -> None:
    # The sync keeps the documents of the last 30 days (issue 12, defect 5): the line says so.
    since = int(time.time() * 1000) - DEFAULT_DAYS * DAY_MS
    with ui_session.account.cache.read() as conn:
        recent = sum(c.size for c in content.offline_candidates(conn, since_ms=since))
    assert recent > 0
    qtbot.waitUntil(lambda: ui_session.documents_used_bytes() == recent, timeout=30_000)

    dialog = open_dialog(qtbot, ui_session)
    assert dialog.documents.usage_label.isVisible()
    assert dialog.documents.usage_label.text() == (
        f"Utilisé actuellement : {file_size(recent)} sur 500 Mo."
    )
    dialog.documents.budget_spin.setValue(650)
    assert dialog.documents.usage_label.text().endswith("sur 650 Mo.")

    # Entrée looks the commune up and picks it: it never presses OK.
    qtbot.keyClicks(dialog.practice.commune_edit, "69003")
    qtbot.keyClick(dialog.practice.commune_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: bool(dialog.practice.communes_shown()), timeout=15_000)
    assert [p.label for p in dialog.practice.communes_shown()] == ["Lyon (69003)"]
    qtbot.waitUntil(lambda: dialog.practice.location_note.text() != "", timeout=15_000)
    dialog.practice.commune_list.setFocus()
    dialog.practice.commune_list.setCurrentRow(0)
    qtbot.keyClick(dialog.practice.commune_list, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.practice.location_label.text() == "Lyon (69003)"
    assert dialog.practice.location_note.text() == "Choisi par vous."

    qtbot.keyClicks(dialog.practice.commune_edit, "Zzyzx")
    qtbot.waitUntil(
        lambda: (
            "Aucune commune" in dialog.practice.commune_status.text()
            and dialog.practice.commune_status.isVisible()
        ),
        timeout=15_000,
    )
    assert not dialog.practice.commune_list.isVisible()
    click(qtbot, dialog.ok_button)
    place = settings_mod.load(settings_root).practice_location
    assert place is not None
    assert place.commune == "Lyon (69003)"
    assert haversine_km(place.lat, place.lon, *commune_position("69383")) < 2
    qtbot.waitUntil(lambda: ui_session.attachments.budget_bytes == 650 * MIB, timeout=5_000)


def widgets_beyond_the_viewport(dialog: SettingsDialog) -> list[str]:
    """Every label, field and button of the cards whose right edge lies beyond the width the
    scroll area shows (it never scrolls sideways: what is beyond is cut off)."""
    viewport = dialog.findChild(QScrollArea, "settingsScroll").viewport()
    kinds = (QLabel, QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QListWidget)
    cut = [
        f"{type(widget).__name__} {widget.objectName() or getattr(widget, 'text', str)()!r}"
        for widget in viewport.findChildren(QWidget)
        if isinstance(widget, kinds)
        and widget.isVisibleTo(dialog)
        and widget.mapTo(viewport, widget.rect().topRight()).x() >= viewport.width()
    ]
    if dialog.findChild(QWidget, "settingsColumn").width() > viewport.width():
        cut.append("the column itself")
    return cut


@pytest.mark.parametrize("size", [(960, 720), (800, 600), None])  # None: the smallest allowed
def test_every_card_fits_the_width_of_the_dialog(
    qtbot: QtBot, ui_session: AccountSession, settings_root: Path, size: tuple[int, int] | None
) -> None:
    dialog = open_dialog(qtbot, ui_session)
    qtbot.waitUntil(lambda: dialog.practice.location() is not None, timeout=15_000)
    width, height = size or (dialog.minimumWidth(), dialog.minimumHeight())
    dialog.resize(width, height)
    qtbot.waitUntil(lambda: dialog.width() == width)
    qtbot.wait(50)  # the layouts take the new width in
    assert widgets_beyond_the_viewport(dialog) == []
    # Two columns at the default size; one when two do not fit (the cards then one under another).
    side_by_side = dialog.documents.x() > dialog.account.x()
    assert side_by_side == (size == (960, 720))


def test_a_click_on_the_wrapping_text_of_the_notifications_check_toggles_it(
    qtbot: QtBot, qloop: object, settings_root: Path
) -> None:
    dialog = open_dialog(qtbot, None)
    check = dialog.notifications.patient_names_check
    text = next(
        label
        for label in dialog.notifications.findChildren(QLabel)
        if label.text().startswith("Afficher le nom des patients")
    )
    assert text.wordWrap()
    assert check.accessibleName() == text.text()
    click(qtbot, text)
    assert check.isChecked()
    click(qtbot, text)
    assert not check.isChecked()
