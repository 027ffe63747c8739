"""« Traces de la messagerie » (issue 14 §5) on the demo GP's real session: the dialog lists the
traces lazily, filters them by action, period and text, shows other people's text as plain text,
and exports what it shows as CSV through the real file dialog."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.records import Trace, TraceAction
from app.session import AccountSession
from app.store import traces
from tests.ui.conftest import run_sync
from tests.ui.file_dialog import SaveDialogAnswer
from ui.traces.dialog import TracesDialog
from ui.traces.model import PAGE, TracesModel

LONG = "Compte rendu opératoire " * 12
RICH = "<b>Résultat</b> <img src=x>"


def inject(qtbot: QtBot, session: AccountSession, rows: list[Trace]) -> None:
    run_sync(qtbot, session.account.cache.write(lambda c: traces.add(c, rows)))


def test_the_dialog_lists_filters_and_exports_the_traces(
    qtbot: QtBot, ui_session: AccountSession, tmp_path: Path
) -> None:
    # After the newest trace there is (the demo mailbox has messages dated ahead of the clock).
    newest = ui_session.trace_ids()[:1]
    now = max([datetime.now(UTC), *[t.at for t in ui_session.trace_rows(newest).values()]])
    now += timedelta(minutes=5)
    me = ui_session.account.ref.login
    inject(
        qtbot,
        ui_session,
        [
            Trace(now - timedelta(minutes=1), TraceAction.SENT, me, "<m1@x>", LONG, "a@b.fr"),
            Trace(now - timedelta(minutes=2), TraceAction.READ, me, "<m2@x>", RICH, "c@d.fr"),
            Trace(now - timedelta(days=60), TraceAction.MOVED, me, "<m3@x>", "Ancien", "e@f.fr"),
        ],
    )
    dialog = TracesDialog(ui_session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    model = dialog.model
    only_received = traces.TraceFilter(actions=frozenset({TraceAction.RECEIVED}))
    received = len(ui_session.trace_ids(only_received))
    assert received > 0  # the demo inbox's messages, traced by the first sync
    assert model.rowCount() == received + 3
    assert dialog.table.isVisible()
    # Newest first, plain text (the rich-looking subject is shown as its very characters).
    assert model.index(0, TracesModel.ACTION).data() == "Envoyé"
    assert model.index(0, TracesModel.SUBJECT).data() == LONG
    assert model.index(1, TracesModel.SUBJECT).data() == RICH
    assert model.index(1, TracesModel.SUBJECT).data(Qt.ItemDataRole.ToolTipRole) != RICH
    assert model.cached_rows() <= PAGE  # only the rows drawn were read

    dialog.action_combo.setCurrentIndex(dialog.action_combo.findData("moved"))
    assert model.rowCount() == 1
    assert model.index(0, TracesModel.SUBJECT).data() == "Ancien"
    run_sync(  # moved 60 days before now: outside the last 30 days
        qtbot,
        ui_session.account.cache.write(
            lambda c: c.execute(
                "UPDATE unsent.traces SET at = ? WHERE subject = 'Ancien'",
                (int((datetime.now(UTC) - timedelta(days=60)).timestamp() * 1000),),
            )
        ),
    )
    dialog.period_combo.setCurrentIndex(dialog.period_combo.findData(30))
    assert model.rowCount() == 0
    assert dialog.empty_label.isVisible()
    assert dialog.empty_label.text() == "Aucune trace ne correspond à ces critères."
    assert not dialog.export_button.isEnabled()

    dialog.action_combo.setCurrentIndex(0)
    dialog.search_edit.setText("opératoire compte rendu")  # only in the repeated subject
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=5_000)
    assert dialog.count_label.text() == "1 trace"

    chosen = tmp_path / "export.csv"
    answer = SaveDialogAnswer(chosen)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(chosen.exists, timeout=10_000)
    assert answer.proposed is not None
    assert answer.proposed.endswith(".csv")
    qtbot.waitUntil(lambda: "exportée" in dialog.feedback.text(), timeout=10_000)
    assert dialog.feedback.text() == "1 trace exportée dans export.csv."
    with chosen.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f, delimiter=";"))
    assert table[0] == [
        "Date",
        "Action",
        "Par",
        "Correspondants",
        "Objet",
        "Dossiers",
        "Message-ID",
    ]
    assert [row[1:] for row in table[1:]] == [["Envoyé", me, "a@b.fr", LONG, "", "<m1@x>"]]
    assert chosen.read_bytes().startswith(b"\xef\xbb\xbf")


def test_an_export_to_a_folder_that_cannot_be_written_says_so(
    qtbot: QtBot, ui_session: AccountSession, tmp_path: Path
) -> None:
    dialog = TracesDialog(ui_session)
    qtbot.addWidget(dialog)
    dialog.show()
    future = dialog.export(tmp_path / "absent" / "traces.csv")
    assert future is not None
    qtbot.waitUntil(future.done, timeout=10_000)
    assert dialog.feedback.text().startswith("Les traces n'ont pas pu être enregistrées")
    assert dialog.export_button.isEnabled()
