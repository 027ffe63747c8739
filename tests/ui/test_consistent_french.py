"""Consistent French (issue 12, defect 11): one way to write a patient ("née le" from the sex,
never "né(e)"), specialties by their label without the register's code, real plurals, and Qt's
own dialogs in French (its translations loaded at start-up, as the app does)."""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QMessageBox, QPushButton

from app.about import window_title
from app.message.patient import born_on, identity_text, sex_of_ins
from app.records import PatientRef, specialty_label
from ui import i18n
from ui.login.form import LoginForm
from ui.mail.reader import patient_line
from ui.plain import plain_message_box

BORN = dt.date(1960, 3, 2)


@pytest.mark.parametrize(
    ("sex", "text"),
    [
        ("female", "DUPONT Marie, née le 02/03/1960"),
        ("male", "DUPONT Marie, né le 02/03/1960"),
        ("unknown", "DUPONT Marie, date de naissance : 02/03/1960"),
    ],
)
def test_a_patient_is_written_one_way_with_the_participle_of_the_sex(sex: str, text: str) -> None:
    assert identity_text("Dupont", "Marie", BORN, sex) == text


def test_the_reader_banner_takes_the_sex_its_ins_records_and_groups_the_ins() -> None:
    woman = PatientRef("260037512345685", None, "Marie", "Dupont", BORN)
    man = PatientRef("160037512345685", None, "Paul", "Dupont", BORN)
    assert patient_line(woman) == (
        "DUPONT Marie",
        ", née le 02/03/1960 — INS 2 60 03 75 123 456 85",
    )
    assert patient_line(man)[1].startswith(", né le 02/03/1960")
    assert sex_of_ins("8 60 03 75 123 456 85") == "female"  # a NIA
    assert sex_of_ins("12") == "unknown"
    assert born_on("other", BORN) == "date de naissance : 02/03/1960"


def test_a_specialty_is_its_label_without_the_registers_code() -> None:
    assert specialty_label("Cardiologie et Maladies vasculaires (SM)") == (
        "Cardiologie et Maladies vasculaires"
    )
    assert specialty_label("Maladies infectieuses (SCD)") == "Maladies infectieuses"
    assert specialty_label(None) is None


def test_plurals_follow_the_french_rule_zero_and_one_singular(french_qt: None) -> None:
    one, many = "{n} résultat", "{n} résultats"
    assert [i18n.plural(n, one, many).format(n=n) for n in (0, 1, 2)] == [
        "0 résultat",
        "1 résultat",
        "2 résultats",
    ]


@pytest.fixture
def french_qt(qapp: QApplication) -> Iterator[None]:
    translators = i18n.install(qapp, "fr")
    yield
    i18n.uninstall(qapp, translators)
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))


def test_qts_own_message_box_buttons_are_in_french(french_qt: None) -> None:
    box = QMessageBox(QMessageBox.Icon.Question, "Titre", "Texte")
    box.setStandardButtons(
        QMessageBox.StandardButton.Yes
        | QMessageBox.StandardButton.No
        | QMessageBox.StandardButton.Cancel
    )
    shown = sorted(b.text().replace("&", "") for b in box.findChildren(QPushButton))
    assert shown == ["Annuler", "Non", "Oui"]


def test_qts_own_file_dialog_is_in_french(french_qt: None) -> None:
    dialog = QFileDialog(None, "Enregistrer")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    texts = {b.text().replace("&", "") for b in buttons.buttons()}
    assert "Annuler" in texts
    assert "Enregistrer" in texts
    dialog.deleteLater()


def _title_calls() -> list[tuple[str, ast.Call]]:
    ui = Path(__file__).resolve().parents[2] / "ui"
    calls = []
    for path in sorted(ui.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "setWindowTitle"
            ):
                calls.append((f"{path.relative_to(ui.parent)}:{node.lineno}", node))
    return calls


def test_every_window_title_is_made_by_the_one_format() -> None:
    calls = _title_calls()
    assert len(calls) >= 15  # the scan sees the windows
    wrong = [
        where
        for where, call in calls
        if not (
            len(call.args) == 1
            and isinstance(call.args[0], ast.Call)
            and isinstance(call.args[0].func, ast.Name)
            and call.args[0].func.id in ("window_title", "unread_title")
        )
    ]
    assert wrong == []


def test_a_window_title_says_what_then_the_app_name_once(qapp: QApplication) -> None:
    assert window_title("Paramètres") == "Paramètres — MonSisra bureau"
    assert window_title() == "MonSisra bureau"
    box = plain_message_box(None, QMessageBox.Icon.Warning, "Ouvrir le document", "Texte")
    assert box.windowTitle() == "Ouvrir le document — MonSisra bureau"
    form = LoginForm()
    assert form.windowTitle() == "Connexion — MonSisra bureau"
    form.deleteLater()
    box.deleteLater()
