"""The request form against the demo sandbox (issue 13 §3): once the expert is chosen, the
documents they ask for and their delay show; a file dropped on the form joins the request typed,
with the composer's list and inserter, and arrives with it: the expert sees it in the detail card,
named and typed, to open (the MIME part itself: tests/server/test_regional_expert_profile.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.session import AccountSession
from tests.ui.composer_helpers import drop_files
from tests.ui.conftest import run_sync
from tests.ui.test_teleexpertise_view import (
    WAIT,
    a_patient,
    client_of,
    expert_session,
    make_view,
    the_expert,
)
from ui.teleexpertise.request import TeleexpertiseRequestDialog
from ui.teleexpertise.view import TeleexpertiseView

__all__ = ["expert_session", "make_view"]


def declared_with_prerequisites(qtbot: QtBot, expert: AccountSession) -> None:
    run_sync(
        qtbot,
        expert.expertise.set_profile(
            "Avis dermatologiques sur photographies",
            ["Photographies de la lésion", "Dernier bilan biologique"],
            specialties=["SM15"],
            response_delay_days=2,
        ),
    )


def test_the_request_form_shows_the_experts_prerequisites_and_delay(
    qtbot: QtBot, ui_session: AccountSession, expert_session: AccountSession
) -> None:
    declared_with_prerequisites(qtbot, expert_session)
    form = TeleexpertiseRequestDialog(ui_session)
    qtbot.addWidget(form)
    assert form.prerequisites_label.text() == ""
    form.set_expert(the_expert(qtbot, ui_session))
    qtbot.waitUntil(lambda: "Photographies" in form.prerequisites_label.text(), timeout=WAIT)
    assert form.prerequisites_label.text() == (
        "Documents demandés par l'expert :\n • Photographies de la lésion\n"
        " • Dernier bilan biologique\nDélai de réponse annoncé : 2 jours."
    )
    # The expert's specialty as people say it, without its register code ("(SM)").
    assert "(SM)" not in form.expert_label.text()
    assert "Dermatologie" in form.expert_label.text()
    form.set_expert(None)
    assert form.prerequisites_label.text() == ""


def test_a_dropped_document_travels_with_the_request_and_the_expert_sees_it(
    qtbot: QtBot,
    ui_session: AccountSession,
    expert_session: AccountSession,
    make_view: Callable[[AccountSession], TeleexpertiseView],
    tmp_path: Path,
) -> None:
    declared_with_prerequisites(qtbot, expert_session)
    form = TeleexpertiseRequestDialog(ui_session, the_expert(qtbot, ui_session))
    qtbot.addWidget(form)
    form.show()
    form.set_patient(a_patient(qtbot, client_of(qtbot, ui_session), 1))
    form.question_edit.setPlainText("Lésion pigmentée du dos : avis ?")
    bilan = tmp_path / "bilan-2026-11.pdf"
    bilan.write_bytes(b"%PDF-1.4 bilan biologique")
    asked: list[str] = []
    form.inserter.choose_type = lambda path: asked.append(path.name) or "11502-2"
    # Dropped on the question, as in the composer: a document, not its path as text.
    assert drop_files(form.question_edit.viewport(), [bilan]) == (True, True)
    qtbot.waitUntil(lambda: len(form.documents.documents) == 1, timeout=WAIT)
    assert asked == ["bilan-2026-11.pdf"]
    assert form.question_edit.toPlainText() == "Lésion pigmentée du dos : avis ?"
    [document] = form.documents.documents
    assert document.type_label == "CR d'examens biologiques"
    # Dropped anywhere else on the form: its type asked too (here the question is cancelled).
    photo = tmp_path / "photo-du-dos.jpg"
    photo.write_bytes(b"\xff\xd8\xff photo")
    form.inserter.choose_type = lambda path: asked.append(path.name) and None
    assert drop_files(form, [photo]) == (True, True)
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=WAIT)
    assert asked[1] == "photo-du-dos.jpg"
    assert len(form.documents.documents) == 1

    with qtbot.waitSignal(form.requested, timeout=WAIT) as sent:
        qtbot.mouseClick(form.send_button, Qt.MouseButton.LeftButton)
    te = sent.args[0]
    assert [(d.name, d.type_label) for d in te.documents] == [
        ("bilan-2026-11.pdf", "CR d'examens biologiques")
    ]

    # The expert, in her own session: the detail card lists it (the server's record says so).
    expert_view = make_view(expert_session)
    received = expert_view.received_model.rows()
    row = next(i for i, t in enumerate(received) if t.id == te.id)
    expert_view.received_list.setCurrentIndex(expert_view.received_model.index(row))
    head, _hint = expert_view.sections["documents"]
    assert head.isVisibleTo(expert_view)
    # One button each, which opens it (tests/ui/test_patient_documents.py).
    assert [b.text() for b in expert_view.detail.document_buttons] == [
        "bilan-2026-11.pdf — CR d'examens biologiques"
    ]
    client = client_of(qtbot, expert_session)
    assert [d.name for d in run_sync(qtbot, client.get_teleexpertise(te.id)).documents] == [
        "bilan-2026-11.pdf"
    ]
