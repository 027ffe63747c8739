"""The hostile fixture (tests/hostile.py) in every main screen: the inbox, the reader with its
documents and patient banner, reply and forward, the directory (results, favorites, the picker,
the téléexpertise form it opens), Mes patients (file active, identity, care team, the
unfollow question), Téléexpertise (sent and received, detail), Téléconsultations, the status bar,
the tray's notification.

In each screen, every visible label, button, tooltip, window title and item of a list is read:
- no bidirectional control is left in what is shown;
- a label or tooltip that Qt renders as rich text is rendered again in a document that records
  the resources it asks for: none may be asked, and none of the hostile markup may be in it
  unescaped;
- the hostile markup is on screen as characters (the check is not vacuous).
The canary (a FIFO named in the markup) must never be opened, and the process's memory must stay
flat (a rich-text `<img src="/dev/zero">` reads until memory runs out).

Not collected by pytest on its own (its name does not start with test_): on code that renders
rich text, /dev/zero would take the whole test run down, so tests/ui/test_hostile_screens.py runs
this module in a child process with a memory limit and a timeout. Run it alone to debug:
`PYTHONPATH=$PWD python -m pytest -q -p no:cacheprovider tests/ui/hostile_screens.py`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6 import QtGui
from PySide6.QtCore import QModelIndex, Qt, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app import settings as settings_mod
from app.session import AccountSession
from app.text import BIDI_CONTROLS
from server.demo.users import DEMO_PASSWORD
from server.testing import ServerThread
from tests.hostile import DEV_ZERO, RAW_MARKUP, Canary, Hostile, World, deliver, seed
from tests.ui import page_helpers
from tests.ui.conftest import GP_LOGIN, run_sync
from tests.ui.mail_helpers import row_where, synced
from ui.composer.composer import Composer
from ui.desktop.notifications import notification_for
from ui.desktop.tray import Tray
from ui.directory.dialog import DirectoryDialog
from ui.directory.view import DirectoryView
from ui.patients.view import PatientsView
from ui.shell.main_window import MainWindow
from ui.teleconsultations.view import TeleconsultationsView
from ui.teleexpertise.request import TeleexpertiseRequestDialog
from ui.teleexpertise.view import TeleexpertiseView

WAIT = 30_000
MEMORY_BOUND = 150 * 1024 * 1024  # generous: the screens themselves, not an unbounded read
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support raise\(\)")


class _Recording(QTextDocument):
    """Renders markup and records every resource (image, style sheet) it would load."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.requested: list[str] = []
        self.setHtml(html)
        self.size()  # lays it out: images are asked for now

    def loadResource(self, kind: int, url: QUrl | str) -> Any:
        self.requested.append(QUrl(url).toString())
        return None


class Screen:
    """What a walk over one screen found."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[str] = []
        self.shown: list[str] = []  # every text read, to check the hostile one is there

    def text(self, where: str, text: str, rich: bool) -> None:
        self.shown.append(text)
        if set(text) & BIDI_CONTROLS:
            self.problems.append(f"{where}: bidirectional control in {text[:80]!r}")
        if not rich:
            return
        document = _Recording(text)
        if document.requested:
            self.problems.append(f"{where}: rich text asks for {document.requested}")
        raw = [m for m in RAW_MARKUP if m in text]
        if raw:
            self.problems.append(f"{where}: rich text holds their markup {raw}: {text[:120]!r}")

    def tooltip(self, where: str, tip: str | None) -> None:
        if tip:
            self.text(f"{where} (tooltip)", tip, QtGui.Qt.mightBeRichText(tip))


def _label_is_rich(label: QLabel) -> bool:
    fmt = label.textFormat()
    return fmt == Qt.TextFormat.RichText or (
        fmt == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(label.text())
    )


def walk(root: QWidget, name: str, rows: int = 30) -> Screen:
    """Reads what `root` and its visible children show."""
    screen = Screen(name)
    for widget in [root, *root.findChildren(QWidget)]:
        if widget is not root and not widget.isVisibleTo(root):
            continue
        where = f"{name}/{type(widget).__name__}#{widget.objectName()}"
        if widget.isWindow():
            screen.text(f"{where} (title)", widget.windowTitle(), False)
        if isinstance(widget, QLabel):
            screen.text(where, widget.text(), _label_is_rich(widget))
        if isinstance(widget, QAbstractButton):
            screen.text(where, widget.text(), False)
        screen.tooltip(where, widget.toolTip())
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            for row in range(min(rows, model.rowCount(QModelIndex()))):
                index = model.index(row, 0)
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                    value = index.data(role)
                    if isinstance(value, str):
                        screen.text(f"{where}[{row}]", value, False)
                screen.tooltip(f"{where}[{row}]", index.data(Qt.ItemDataRole.ToolTipRole))
        for action in widget.actions():
            screen.text(f"{where} (action)", action.text(), False)
            screen.tooltip(f"{where} (action)", action.toolTip())
    return screen


def rss() -> int:
    """Resident memory of this process, in bytes (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


# Fixtures ---------------------------------------------------------------------------------------


@pytest.fixture
def canary() -> Iterator[Canary]:
    with Canary() as watched:
        yield watched


@dataclasses.dataclass
class Hostiles:
    hostile: Hostile
    world: World
    session: AccountSession
    message_id: str


@pytest.fixture
def hostiles(
    qtbot: QtBot,
    qloop: Any,
    demo_server: ServerThread,
    data_root: Path,
    canary: Canary,
    tmp_path: Path,
) -> Iterator[Hostiles]:
    """The demo GP, with the hostile world seeded and the hostile message in her inbox, synced;
    patient names shown in notifications (the most that a notification can say)."""
    settings_mod.update(notify_patient_names=True)
    hostile = Hostile(canary.path)
    world = seed(demo_server, (GP_LOGIN, DEMO_PASSWORD), hostile)
    message_id = deliver(demo_server, GP_LOGIN, world, hostile, tmp_path)
    session = run_sync(
        qtbot,
        AccountSession.open(tmp_path / "data", demo_server.base_url, GP_LOGIN, DEMO_PASSWORD),
    )
    session.start()
    qtbot.waitUntil(lambda: synced(session), timeout=60_000)
    yield Hostiles(hostile, world, session, message_id)
    run_sync(qtbot, session.close())


def _shown(qtbot: QtBot, widget: QWidget, size: tuple[int, int] = (1280, 800)) -> None:
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    widget.grab()  # painted once: delegates and labels render now


# The test ---------------------------------------------------------------------------------------


def test_hostile_fixture_is_plain_text_in_every_screen(
    qtbot: QtBot, hostiles: Hostiles, canary: Canary
) -> None:
    session, hostile = hostiles.session, hostiles.hostile
    before = rss()
    screens: list[Screen] = []

    # The inbox and the reader: the conversation, its documents, its patient.
    window = MainWindow(session, restore_drafts=False)
    _shown(qtbot, window)
    row = row_where(window, lambda s: "Objet" in (s.subject or ""))
    window.conversations.select_row(row)
    qtbot.waitUntil(lambda: window.reader.banner is not None, timeout=WAIT)
    summary = window.conversations.selected_summary()
    assert summary is not None
    window.conversations.set_patient_filter(summary.patient)  # the filter button names her
    window.conversations.set_patient_filter(None)
    window.conversations.select_row(row_where(window, lambda s: "Objet" in (s.subject or "")))
    qtbot.waitUntil(lambda: bool(window.reader.cards), timeout=WAIT)
    assert window.reader.cards[0].chips, "the hostile document is listed"
    body = window.reader.cards[0].body
    assert "Corps HTML" in body.toPlainText()  # the sanitised HTML body, not the text one
    # Sanitised: it asks for no address at all (an <img> whose src was removed asks for "").
    assert [u for u in body.refused if u] == []
    window.notify(hostile.text("Erreur du serveur"))  # an error that quotes the server
    window.grab()
    screens.append(walk(window, "inbox+reader"))

    # Reply (recipients, patient chip, subject in the title) and forward (documents).
    record = window.reader.records[-1]
    reply = Composer(session, reply_to=record, reply_all=True)
    _shown(qtbot, reply, (900, 720))
    qtbot.waitUntil(lambda: reply.patient_chip is not None, timeout=WAIT)
    screens.append(walk(reply, "reply"))
    forward = Composer(session, forward=record)
    _shown(qtbot, forward, (900, 720))
    qtbot.waitUntil(
        lambda: bool(forward.documents.documents) or bool(forward.notice_text), timeout=WAIT
    )
    assert forward.documents.documents, forward.notice_text
    screens.append(walk(forward, "forward"))
    for composer in (reply, forward):
        composer.keeps_draft = False
        composer.discard()

    # The directory: results, a favorite, the picker, the téléexpertise form it opens.
    directory = DirectoryView(session)
    _shown(qtbot, directory, (1040, 720))
    directory.name_edit.setText("Zorglub")
    directory.search()
    qtbot.waitUntil(lambda: not directory.searching, timeout=WAIT)
    found = directory.results_model.correspondent(0)
    assert found is not None, directory.status_label.text()
    assert found.mailbox == hostiles.world.peer.email
    directory.results.setCurrentIndex(directory.results_model.index(0))
    directory.grab()
    screens.append(walk(directory, "directory"))
    saving = directory.toggle_favorite(found)
    assert saving is not None
    run_sync(qtbot, saving)
    directory.clear()  # back to the favorites and recents
    directory.grab()
    screens.append(walk(directory, "directory favorites"))
    picker = DirectoryDialog(session)
    _shown(qtbot, picker, (980, 680))
    screens.append(walk(picker, "directory picker"))
    form = TeleexpertiseRequestDialog(session, found)
    _shown(qtbot, form, (640, 720))
    screens.append(walk(form, "téléexpertise form"))

    # Mes patients: the file active, the patient's identity and care team, the unfollow box.
    patients = page_helpers.shown(qtbot, PatientsView(session), "patients.qss", (1100, 760))
    assert patients.select_patient(hostiles.world.patient_id)
    qtbot.waitUntil(
        lambda: patients.care_team.team_task is not None and patients.care_team.team_task.done()
    )
    patients.grab()
    screens.append(walk(patients, "patients"))
    selected = patients.selected()
    assert selected is not None
    box = patients.following.ask_unfollow(selected)
    screens.append(walk(box, "unfollow box"))
    box.reject()

    # Téléexpertise: the one I asked (answered) and the one I was asked, in detail.
    expertise = page_helpers.shown(
        qtbot, TeleexpertiseView(session), "teleexpertise.qss", (1120, 720)
    )
    for te in [*expertise.sent_model.rows(), *expertise.received_model.rows()]:
        if te.patient.id == hostiles.world.patient_id:
            assert expertise.select(te.id)
            expertise.grab()
            screens.append(walk(expertise, f"téléexpertise {te.status}"))

    # Téléconsultations: the free-text patient and participant, the one the peer planned.
    consultations = page_helpers.shown(
        qtbot, TeleconsultationsView(session), "directory.qss", (1040, 720)
    )
    for row in range(consultations.upcoming_model.rowCount()):
        consultations.upcoming_list.setCurrentIndex(consultations.upcoming_model.index(row))
    consultations.grab()
    screens.append(walk(consultations, "téléconsultations"))

    # The notification the tray would hand to the platform, with the subject and the patient.
    tray = Tray(use_system_tray=False)
    tray.show_message(notification_for([summary], with_patient_data=True))
    [balloon] = tray.shown
    notification = Screen("notification")
    for text in (balloon.title, balloon.text):
        notification.text("notification", text, False)
        if set(text) & {"<", ">", "&"}:
            notification.problems.append(f"notification: markup characters in {text!r}")
    screens.append(notification)
    tray.close()

    QApplication.processEvents()
    grown = rss() - before
    problems = [p for s in screens for p in s.problems]
    assert not problems, "\n".join(problems)
    for screen in screens:
        if screen.name != "notification":
            assert any(DEV_ZERO in t for t in screen.shown), f"{screen.name}: nothing hostile"
    assert canary.opened == 0, "a file named in their markup was opened"
    assert grown < MEMORY_BOUND, f"memory grew by {grown / 2**20:.0f} MB"
    names = ", ".join(s.name for s in screens)
    print(f"\nRSS grew by {grown / 2**20:.1f} MB over {len(screens)} screens: {names}", flush=True)
