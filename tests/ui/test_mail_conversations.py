"""One row per conversation in the mail window, on the demo GP's synced cache and the sandbox:
replies join their conversation's row (counted, unread if any is, moved to the top, never a
second row), filters and search keep a conversation when any message matches, and the actions of
a row apply to its whole conversation."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.session import AccountSession
from server.testing import ServerThread
from tests.ui import mail_helpers
from tests.ui.desktop_helpers import CARDIO, PATIENT, PHARMA, deliver_to_gp
from ui.shell.main_window import MainWindow

window = mail_helpers.window  # fixture


def _rows_about(window: MainWindow, marker: str) -> list[int]:
    """The rows (of the pages loaded) whose subject carries `marker`."""
    model = window.conversations.model
    return [
        row
        for row in range(model.rowCount())
        if (s := model.summary(row)) is not None and marker in s.subject
    ]


@pytest.fixture
def conversation(
    qtbot: QtBot, window: MainWindow, demo_server: ServerThread, tmp_path: Path
) -> str:
    """A question about PATIENT and two replies (the second from the pharmacist) delivered one
    after the other; once the list shows all three, the word of the test's own in their
    subjects."""
    marker = uuid.uuid4().hex[:8]
    question = deliver_to_gp(demo_server, CARDIO, f"Avis {marker}", PATIENT, tmp_path)
    qtbot.waitUntil(lambda: len(_rows_about(window, marker)) == 1, timeout=20_000)
    deliver_to_gp(demo_server, CARDIO, f"Re: Avis {marker}", in_reply_to=question)
    deliver_to_gp(demo_server, PHARMA, f"Re: Avis {marker}", in_reply_to=question)
    model = window.conversations.model
    qtbot.waitUntil(
        lambda: (s := model.summary(0)) is not None and marker in s.subject and s.count == 3,
        timeout=20_000,
    )
    return marker


def test_two_replies_make_one_row_counting_three_and_its_reader_shows_them_in_order(
    qtbot: QtBot, window: MainWindow, ui_session: AccountSession, conversation: str
) -> None:
    marker = conversation
    model = window.conversations.model
    assert _rows_about(window, marker) == [0]  # one row, not three
    row = model.summary(0)
    assert row is not None
    assert row.unread
    assert row.has_attachment  # the question's report
    assert row.subject == f"Re: Avis {marker}"  # the newest message's
    assert [a.email for a in row.senders] == [CARDIO.email, PHARMA.email]
    assert [p.ins for p in row.patients] == [PATIENT.ins]  # the question's, for the whole row
    # A search finds the three messages: one conversation.
    window.conversations.search(marker)
    assert model.rowCount() == 1
    hit = model.summary(0)
    assert hit is not None
    assert hit.count == 3
    window.conversations.search("")
    # Opening the row shows every message in order, the newest chosen; all are marked read.
    window.conversations.select_row(0)
    reader = window.reader
    qtbot.waitUntil(lambda: len(reader.cards) == 3)
    assert [c.record.subject for c in reader.cards] == [
        f"Avis {marker}",
        f"Re: Avis {marker}",
        f"Re: Avis {marker}",
    ]
    assert reader.email_id == row.id == reader.cards[-1].record.id
    qtbot.waitUntil(lambda: not model.summary(0).unread, timeout=5_000)  # type: ignore[union-attr]
    assert not any(s.unread for s in ui_session.summaries(window.conversations.selected_ids()))


def test_a_reply_moves_its_conversation_up_without_a_second_row_keeping_the_selection(
    qtbot: QtBot,
    window: MainWindow,
    ui_session: AccountSession,
    demo_server: ServerThread,
    tmp_path: Path,
) -> None:
    marker = uuid.uuid4().hex[:8]
    question = deliver_to_gp(demo_server, CARDIO, f"Question {marker}")
    qtbot.waitUntil(lambda: _rows_about(window, marker) == [0], timeout=20_000)
    later = uuid.uuid4().hex[:8]
    deliver_to_gp(demo_server, PHARMA, f"Autre sujet {later}")
    qtbot.waitUntil(lambda: _rows_about(window, later) == [0], timeout=20_000)
    model = window.conversations.model
    assert _rows_about(window, marker) == [1]
    window.conversations.select_row(0)  # the other subject, read meanwhile
    chosen = model.id_at(0)
    rows_before, total_before = model.rowCount(), model.total
    deliver_to_gp(demo_server, CARDIO, f"Re: Question {marker}", in_reply_to=question)
    qtbot.waitUntil(lambda: _rows_about(window, marker) == [0], timeout=20_000)
    assert (model.rowCount(), model.total) == (rows_before, total_before)  # no duplicate
    summary = model.summary(0)
    assert summary is not None
    assert (summary.count, summary.unread) == (2, True)
    assert window.conversations.selected_threads() == [chosen]  # the selection followed its row
    assert model.row_of(chosen) == 1  # type: ignore[arg-type]


@pytest.mark.usefixtures("conversation")
def test_filters_and_actions_take_the_whole_conversation(
    qtbot: QtBot, window: MainWindow, ui_session: AccountSession
) -> None:
    model = window.conversations.model
    page = window.mail_page
    thread_id = model.id_at(0)
    assert thread_id is not None
    # The patient is named by the question only; the unread mark, the replies only.
    page.filter_patient(PATIENT.ins or "")
    assert model.row_of(thread_id) == 0
    assert model.summary(0).count == 3  # type: ignore[union-attr]
    window.conversations.set_patient_filter(None)
    messages = ui_session.conversation_email_ids(model.mailbox_id, [thread_id])
    assert len(messages) == 3
    window.conversations.select_row(model.row_of(thread_id))
    qtbot.waitUntil(lambda: not model.summary(model.row_of(thread_id)).unread, timeout=5_000)  # type: ignore[union-attr]
    window.conversations.unread_filter.setChecked(True)
    assert model.row_of(thread_id) == -1
    window.conversations.unread_filter.setChecked(False)
    window.conversations.select_row(model.row_of(thread_id))

    window.act_unread.trigger()  # every message of the conversation
    qtbot.waitUntil(lambda: all(s.unread for s in ui_session.summaries(messages)))
    window.conversations.unread_filter.setChecked(True)
    assert model.row_of(thread_id) >= 0
    window.conversations.unread_filter.setChecked(False)

    window.conversations.select_row(model.row_of(thread_id))
    window.act_flag.trigger()  # the newest message, Gmail's star
    qtbot.waitUntil(
        lambda: [s.flagged for s in ui_session.summaries(messages)] == [False, False, True]
    )
    qtbot.waitUntil(lambda: window.act_flag.text() == "Ne plus suivre")
    window.act_flag.trigger()
    qtbot.waitUntil(lambda: not any(s.flagged for s in ui_session.summaries(messages)))

    trash = ui_session.mailbox_by_role("trash")
    assert trash is not None
    window.conversations.select_row(model.row_of(thread_id))
    window.act_delete.trigger()
    qtbot.waitUntil(lambda: model.row_of(thread_id) == -1)
    assert ui_session.conversation_email_ids(trash.id, [thread_id]) == messages
    (in_trash,) = ui_session.conversation_summaries(trash.id, [thread_id])
    assert in_trash.count == 3
