"""The compte rendu filed in the patient's record, through the real app against the demo sandbox
(issue 13 §3): the GP closes her answered téléexpertise with a report in the Téléexpertise page;
the detail says where it was filed and opens the PDF; Mes patients lists it among the patient's
documents (once, though the conversation carries it too) and opens it; offline, the documents
received by message still list and open from the cache; the expert opens the request's joined
documents from his own detail card. The system's viewer is the one thing stood in for (a
QDesktopServices URL handler): what it receives is a real file, read back here."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import Qt, QUrl
from pytestqt.qtbot import QtBot

from app.regional.documents import DocumentAbout
from app.regional.records import Teleexpertise
from app.session import AccountSession
from server.testing import ServerThread
from tests.ui import page_helpers
from tests.ui.mail_helpers import UrlRecorder, opened_urls
from tests.ui.test_teleexpertise_documents import declared_with_prerequisites
from tests.ui.test_teleexpertise_view import (
    WAIT,
    a_patient,
    client_of,
    expert_session,
    items,
    make_view,
    the_expert,
)
from ui.documents import Document
from ui.patients.view import PatientsView
from ui.teleexpertise.request import TeleexpertiseRequestDialog
from ui.teleexpertise.view import TeleexpertiseView

__all__ = ["expert_session", "make_view", "opened_urls"]

REPORT = "Psoriasis en plaques du coude confirmé. Dermocorticoïde fort, contrôle à un mois."


def pdf_text(path: Path) -> str:
    document = pdfium.PdfDocument(path.read_bytes())
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def opened_file(qtbot: QtBot, opened: UrlRecorder, count: int) -> Path:
    """The file the app handed to the system's viewer (the `count`-th URL opened)."""
    qtbot.waitUntil(lambda: len(opened.urls) >= count, timeout=WAIT)
    url: QUrl = opened.urls[count - 1]
    assert url.isLocalFile()
    return Path(url.toLocalFile())


def close_with_report(
    qtbot: QtBot, session: AccountSession, make: Callable[[AccountSession], TeleexpertiseView]
) -> tuple[TeleexpertiseView, Teleexpertise]:
    """The GP closes her answered demo téléexpertise with REPORT, in the app."""
    view = make(session)
    te = next(t for t in items(view) if t.status == "answered")
    assert view.select(te.id)
    view.action_edit.setPlainText(REPORT)
    view.confirm = lambda _parent, _title, _text: True
    qtbot.mouseClick(view.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Téléexpertise clôturée" in view.feedback_label.text(), timeout=WAIT)
    qtbot.waitUntil(lambda: not view.loading, timeout=WAIT)
    closed = view.selected()
    assert closed is not None
    assert closed.status == "closed"
    return view, closed


def cached_report(qtbot: QtBot, session: AccountSession, te: Teleexpertise) -> None:
    """Waits for the compte rendu's message in the cache, with its patient read from its
    IHE_XDM.ZIP (the sync's work after the message itself)."""
    session.sync_now()

    def there() -> bool:
        found = session._documents_about(te.patient.ins or "")
        return any(d.doc_type == "CR de télémédecine" for d in found)

    qtbot.waitUntil(there, timeout=WAIT)


def patients_page(qtbot: QtBot, session: AccountSession) -> PatientsView:
    view = page_helpers.shown(qtbot, PatientsView(session), "patients.qss", (1100, 760))
    qtbot.waitUntil(lambda: not view.loading, timeout=WAIT)
    return view


def documents_of(qtbot: QtBot, view: PatientsView, patient_id: str) -> list[DocumentAbout]:
    assert view.select_patient(patient_id)
    # The care team's read (or its failure, offline) goes first: both reads are in the
    # patient's journal, in the order they happened.
    team = view.care_team.team_task
    assert team is not None
    qtbot.waitUntil(team.done, timeout=WAIT)
    task = view.show_documents()
    assert task is not None
    qtbot.waitUntil(task.done, timeout=WAIT)
    return view.documents.model.rows()


def test_the_closed_report_is_filed_and_opens_in_mes_patients(
    qtbot: QtBot,
    ui_session: AccountSession,
    make_view: Callable[[AccountSession], TeleexpertiseView],
    opened_urls: UrlRecorder,
) -> None:
    view, te = close_with_report(qtbot, ui_session, make_view)
    # The detail card says where the compte rendu went, and opens it.
    assert view.detail.report_filed.isVisibleTo(view)
    assert "Déposé dans le dossier du patient" in view.detail.report_filed.text()
    assert "85208-7" in view.detail.report_filed.text()
    assert view.detail.report_button.isVisibleTo(view)
    qtbot.mouseClick(view.detail.report_button, Qt.MouseButton.LeftButton)
    report = opened_file(qtbot, opened_urls, 1)
    assert report.read_bytes().startswith(b"%PDF-1.4")
    text = pdf_text(report)
    assert "Compte rendu de téléexpertise" in text
    assert "Psoriasis en plaques du coude confirmé." in text

    # Mes patients: the patient's documents, the filed compte rendu first.
    cached_report(qtbot, ui_session, te)
    page = patients_page(qtbot, ui_session)
    documents = documents_of(qtbot, page, te.patient.id)
    first = documents[0]
    assert first.in_record
    assert first.filed is not None
    assert (first.title, first.type_label) == (
        "Compte rendu de téléexpertise",
        "CR de télémédecine",
    )
    assert first.author == "Dr Hélène Garnier"
    assert first.filed.source_id == te.id
    # Sent in the conversation too (and in the cache): listed once, as the record's.
    assert [d.file_name for d in documents].count(first.file_name) == 1
    assert page.documents.list.isVisible()
    assert page.documents.status.text() == ""
    # Opened from the list (Entrée on the selected row, as a double click).
    page.documents.list.setCurrentIndex(page.documents.model.index(0))
    page.documents.list.setFocus()
    qtbot.keyClick(page.documents.list, Qt.Key.Key_Return)
    filed = opened_file(qtbot, opened_urls, 2)
    assert filed != report  # downloaded from the record, its own private copy
    assert filed.read_bytes() == report.read_bytes()
    assert "Psoriasis en plaques du coude confirmé." in pdf_text(filed)
    # The listing and the download are in the patient's journal.
    page.panel.journal_tab.click()
    selected = page.selected()
    assert selected is not None
    journal = page.access_log.load(selected)  # read again: the page read it before
    assert journal is not None
    qtbot.waitUntil(journal.done, timeout=WAIT)
    actions = [e.action for e in page.access_log.model.rows()]
    assert actions[:2] == ["document", "documents"]


def test_offline_the_documents_received_by_message_still_list_and_open(
    qtbot: QtBot,
    ui_session: AccountSession,
    demo_server: ServerThread,
    make_view: Callable[[AccountSession], TeleexpertiseView],
    opened_urls: UrlRecorder,
) -> None:
    view, te = close_with_report(qtbot, ui_session, make_view)
    qtbot.mouseClick(view.detail.report_button, Qt.MouseButton.LeftButton)
    opened_file(qtbot, opened_urls, 1)  # opened once: its content is in the cache
    cached_report(qtbot, ui_session, te)
    page = patients_page(qtbot, ui_session)

    demo_server.stop()
    ui_session.sync_now()
    qtbot.waitUntil(lambda: not ui_session.online, timeout=WAIT)
    documents = documents_of(qtbot, page, te.patient.id)
    assert "Hors connexion" in page.documents.status.text()
    assert not page.documents.status.property("error")
    assert documents
    assert not any(d.in_record for d in documents)
    [sent] = [d for d in documents if d.type_label == "CR de télémédecine"]
    assert sent.offline
    assert sent.author == "Dr Hélène Garnier"
    page.documents.open(sent)
    copy = opened_file(qtbot, opened_urls, 2)
    assert "Psoriasis en plaques du coude confirmé." in pdf_text(copy)


def test_a_patient_without_documents_says_so(
    qtbot: QtBot, ui_session: AccountSession, demo_server: ServerThread
) -> None:
    page = patients_page(qtbot, ui_session)
    with_ins = {p.ins for p in page.file_active.followed if p.ins}
    with ui_session.account.cache.read() as conn:
        about = {
            row[0]
            for row in conn.execute("SELECT DISTINCT patient_ins FROM emails WHERE patient_ins")
        }
    bare = next(p for p in page.file_active.followed if p.ins in with_ins - about)
    assert documents_of(qtbot, page, bare.id) == []
    assert not page.documents.list.isVisible()
    assert page.documents.status.text() == (
        "Aucun document pour ce patient : ni déposé dans son dossier, ni reçu par message."
    )


def test_the_expert_opens_the_requests_joined_document(
    qtbot: QtBot,
    ui_session: AccountSession,
    expert_session: AccountSession,
    make_view: Callable[[AccountSession], TeleexpertiseView],
    opened_urls: UrlRecorder,
    tmp_path: Path,
) -> None:
    declared_with_prerequisites(qtbot, expert_session)
    form = TeleexpertiseRequestDialog(ui_session, the_expert(qtbot, ui_session))
    qtbot.addWidget(form)
    form.set_patient(a_patient(qtbot, client_of(qtbot, ui_session), 0))
    form.question_edit.setPlainText("Lésion pigmentée du dos : avis ?")
    bilan = tmp_path / "bilan-2026-11.pdf"
    bilan.write_bytes(b"%PDF-1.4\n% bilan biologique du 12/11\n%%EOF\n")
    form.documents.add(Document.of(bilan, "11502-2"))
    with qtbot.waitSignal(form.requested, timeout=WAIT) as sent:
        qtbot.mouseClick(form.send_button, Qt.MouseButton.LeftButton)
    te = sent.args[0]

    expert_view = make_view(expert_session)
    assert expert_view.select(te.id)
    [button] = expert_view.detail.document_buttons
    assert button.text() == "bilan-2026-11.pdf — CR d'examens biologiques"
    qtbot.waitUntil(lambda: button.isVisibleTo(expert_view))  # shown by Qt's next turn
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    copy = opened_file(qtbot, opened_urls, 1)
    assert copy.name == "bilan-2026-11.pdf"
    assert copy.read_bytes() == bilan.read_bytes()
