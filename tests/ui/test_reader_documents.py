"""Documents in the reader, with the names and types a hostile sender chooses: a program is shown
under the name it would be saved with, offers "Enregistrer…" only and says why; the save dialog
starts in the user's Documents with a safe name, whatever the name asks; odd names open."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.copies import MARKER
from app.session import AccountSession
from server.testing import ServerThread
from tests.ui import mail_helpers
from tests.ui.desktop_helpers import CARDIO, PDF, deliver_to_gp
from tests.ui.file_dialog import SaveDialogAnswer
from tests.ui.mail_helpers import UrlRecorder, open_message
from ui import file_dialogs, tasks
from ui.mail import saving
from ui.mail.documents import AttachmentChip
from ui.shell.main_window import MainWindow

window = mail_helpers.window  # fixtures
opened_urls = mail_helpers.opened_urls

PROGRAM = b"MZ\x90\x00\x03" + b"\x00" * 250  # what a Windows program starts with


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder of the test's own, where Qt looks for Documents and Téléchargements."""
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    (home / ".config" / "user-dirs.dirs").write_text(
        'XDG_DOCUMENTS_DIR="$HOME/Documents"\nXDG_DOWNLOAD_DIR="$HOME/Téléchargements"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    return home


def chips_of(
    qtbot: QtBot,
    window: MainWindow,
    server: ServerThread,
    subject: str,
    documents: list[tuple[str, str, bytes]],
) -> list[AttachmentChip]:
    """`documents` sent to the GP in one message, which is then selected: its chips."""
    deliver_to_gp(server, CARDIO, subject, documents=documents)
    open_message(qtbot, window, subject)
    qtbot.waitUntil(lambda: any(card.chips for card in window.reader.cards), timeout=10_000)
    return [chip for card in window.reader.cards for chip in card.chips]


def copies_made(session: AccountSession) -> list[str]:
    folder = session.copies.folder
    if folder is None:
        return []
    return sorted(p.name for p in folder.rglob("*") if p.is_file() and p.name != MARKER)


def test_a_program_shows_its_real_name_and_can_only_be_saved_while_a_pdf_opens(
    qtbot: QtBot,
    window: MainWindow,
    ui_session: AccountSession,
    demo_server: ServerThread,
    opened_urls: UrlRecorder,
    home: Path,
) -> None:
    (home / "Documents").mkdir()
    program, pdf = chips_of(
        qtbot,
        window,
        demo_server,
        "Ordonnance et compte rendu",
        [
            ("ordonnance\u202egpj.exe", "image/jpeg", PROGRAM),
            ("compte rendu.pdf", "application/pdf", PDF),
        ],
    )
    notices: list[str] = []
    program.notice.connect(notices.append)
    # Shown as it would be saved: no right-to-left trick left to make `.exe` look like `.jpg`.
    assert program.name == "ordonnancegpj.exe"
    assert program.title.text() == "ordonnancegpj.exe"
    assert program.title.toolTip() == "ordonnancegpj.exe"
    # Nothing to open: no button, and the reason, in French.
    assert program.open_button is None
    assert program.warning is not None
    assert program.warning.isVisible()
    assert program.warning.text().startswith("Ce type de fichier peut exécuter un programme")
    assert program.save_button.text() == "Enregistrer…"
    # A double-click says why, and a press (the start of a drag) prepares nothing to drag.
    qtbot.mouseDClick(program, Qt.MouseButton.LeftButton)
    assert notices == [program.warning.text()]
    qtbot.mousePress(program, Qt.MouseButton.LeftButton)
    qtbot.mouseRelease(program, Qt.MouseButton.LeftButton)
    assert program.mime_data() is None

    # "Enregistrer…": the dialog proposes Documents and the safe name; the user's choice is kept.
    chosen = home / "Documents" / "à vérifier.exe"
    answer = SaveDialogAnswer(chosen)
    qtbot.mouseClick(program.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(chosen.exists, timeout=10_000)
    assert answer.proposed == str(home / "Documents" / "ordonnancegpj.exe")
    assert chosen.read_bytes() == PROGRAM
    qtbot.waitUntil(lambda: len(notices) == 2)
    assert notices[1] == "Document enregistré : à vérifier.exe"

    # The PDF beside it opens with the system's viewer, from the session's private folder.
    assert pdf.open_button is not None
    assert pdf.warning is None
    qtbot.mouseClick(pdf.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(opened_urls.urls) == 1, timeout=15_000)
    handed = Path(opened_urls.urls[0].toLocalFile())
    assert handed.name == "compte rendu.pdf"
    assert ui_session.copies.folder in handed.parents
    assert handed.read_bytes() == PDF
    # The program never had a copy for the viewer.
    assert copies_made(ui_session) == ["compte rendu.pdf"]


def test_names_that_point_elsewhere_open_under_a_safe_name(
    qtbot: QtBot,
    window: MainWindow,
    ui_session: AccountSession,
    demo_server: ServerThread,
    opened_urls: UrlRecorder,
) -> None:
    names = {
        "..": "document",
        "../../.bashrc": "_.._.bashrc",
        "CON": "_CON",
        "résultats 12/03.pdf": "résultats 12_03.pdf",
        "x" * 300 + ".pdf": "x" * 116 + ".pdf",
    }
    chips = chips_of(
        qtbot,
        window,
        demo_server,
        "Noms étranges",
        [(name, "application/pdf", PDF) for name in names],
    )
    assert [chip.name for chip in chips] == list(names.values())
    for chip in chips:
        assert chip.open_button is not None
        before = len(opened_urls.urls)
        qtbot.mouseClick(chip.open_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda n=before: len(opened_urls.urls) == n + 1, timeout=15_000)
        handed = Path(opened_urls.urls[-1].toLocalFile())
        assert handed.name == chip.name
        assert ui_session.copies.folder in handed.parents
        assert handed.read_bytes() == PDF


@pytest.mark.parametrize(
    ("name", "proposed"),
    [
        ("/etc/passwd", "_etc_passwd"),
        ("../.config/autostart/x.desktop", "_.config_autostart_x.desktop"),
        ("..", "document"),
        ("ordonnance\u202egpj.exe", "ordonnancegpj.exe"),
    ],
)
def test_the_save_dialog_starts_in_a_standard_folder_whatever_the_name_says(
    qtbot: QtBot, home: Path, name: str, proposed: str
) -> None:
    file_dialogs.forget()
    (home / "Documents").mkdir()
    parent = QWidget()
    qtbot.addWidget(parent)
    answer = SaveDialogAnswer(None)
    assert saving.ask_save_path(parent, name) == ""  # cancelled
    assert answer.proposed == str(home / "Documents" / proposed)
    assert answer.title == "Enregistrer le document"


def test_without_the_first_folder_a_dialog_starts_in_documents_downloads_then_home(
    home: Path,
) -> None:
    file_dialogs.forget()
    assert file_dialogs.start_folder("text") == home
    (home / "Téléchargements").mkdir()
    assert file_dialogs.start_folder("text") == home / "Téléchargements"
    (home / "Documents").mkdir()
    assert file_dialogs.start_folder("text") == home / "Documents"
    assert file_dialogs.start_folder("document", file_dialogs.DOWNLOADS) == (
        home / "Téléchargements"
    )


def test_a_received_document_is_saved_from_downloads_then_where_the_user_chose_last(
    qtbot: QtBot, home: Path
) -> None:
    file_dialogs.forget()
    for folder in ("Documents", "Téléchargements", "Patients"):
        (home / folder).mkdir()
    parent = QWidget()
    qtbot.addWidget(parent)
    answer = SaveDialogAnswer(home / "Patients" / "cr.pdf")
    assert saving.ask_save_path(parent, "cr.pdf") == str(home / "Patients" / "cr.pdf")
    assert answer.proposed == str(home / "Téléchargements" / "cr.pdf")
    answer = SaveDialogAnswer(None)
    saving.ask_save_path(parent, "ordonnance.pdf")
    assert answer.proposed == str(home / "Patients" / "ordonnance.pdf")  # remembered
    answer = SaveDialogAnswer(None)
    saving.ask_text_path(parent, "Texte du message.txt")
    assert answer.proposed == str(home / "Documents" / "Texte du message.txt")  # its own use
    file_dialogs.forget()


def test_each_document_says_whether_it_opens_offline(
    qtbot: QtBot, window: MainWindow, ui_session: AccountSession, demo_server: ServerThread
) -> None:
    documents = [("gardé.pdf", "application/pdf", PDF)]
    (chip,) = chips_of(qtbot, window, demo_server, "Compte rendu gardé hors connexion", documents)
    blob = [chip.attachment.blob_id]
    # The sync keeps it ahead, nobody having opened it.
    qtbot.waitUntil(lambda: bool(ui_session.documents_offline(blob)), timeout=20_000)
    chip.show_availability()
    assert chip.available_offline
    assert chip.offline_mark.toolTip() == "Disponible hors connexion"
    tasks.change(ui_session.set_documents_budget(1), window)  # every document let go
    qtbot.waitUntil(lambda: not ui_session.documents_offline(blob), timeout=10_000)
    chip.show_availability()
    assert not chip.available_offline
    assert chip.offline_mark.toolTip() == "À télécharger (connexion nécessaire)"
