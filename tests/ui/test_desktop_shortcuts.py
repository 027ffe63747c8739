"""Keyboard shortcuts, pressed on the main window: each triggers its action; the "Raccourcis
clavier" dialog lists the very table the window's actions (and the composer's send) use."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.session import AccountSession
from tests.ui import desktop_helpers, mail_helpers
from tests.ui.mail_helpers import row_where
from ui.composer.composer import Composer
from ui.desktop import shortcuts
from ui.desktop.about import AboutDialog
from ui.desktop.journal import JournalDialog
from ui.desktop.settings_dialog import SettingsDialog
from ui.desktop.shortcuts import SHORTCUTS, ShortcutsDialog
from ui.shell.main_window import MainWindow
from ui.traces.dialog import TracesDialog

window = mail_helpers.window  # fixture
OFFSCREEN_RAISE = desktop_helpers.OFFSCREEN_RAISE  # composers come to the front

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
NATIVE = QKeySequence.SequenceFormat.NativeText


def press(qtbot: QtBot, window: MainWindow, keys: str) -> None:
    """Presses `keys` ("Ctrl+Shift+R") on the main window, as the user would."""
    combo = QKeySequence(keys)[0]
    qtbot.keyClick(window, combo.key(), combo.keyboardModifiers())


def inbox_ids(session: AccountSession, role: str = "inbox") -> list[str]:
    box = session.mailbox_by_role(role)
    assert box is not None
    return session.list_ids(box.id, limit=500)


def open_composers(qtbot: QtBot, window: MainWindow, count: int) -> list[Composer]:
    qtbot.waitUntil(lambda: len(window.composers) == count)
    found = [c for c in window.composers if isinstance(c, Composer)]
    assert len(found) == count
    return found


def test_the_actions_keys_come_from_the_one_table(window: MainWindow) -> None:
    for shortcut in SHORTCUTS:
        if shortcut.group == shortcuts.WRITING:
            continue
        action = window.actions_by_name[shortcut.name]
        assert [k.toString() for k in action.shortcuts()] == [
            QKeySequence(k).toString() for k in shortcut.keys
        ]
        assert action in window.actions()  # reachable by keyboard from anywhere in the window
    # The tooltips say the first key, as the user's keyboard names it ("Suppr" with Qt's French).
    # Deleting takes the whole conversation: its tooltip says so.
    delete = QKeySequence("Del").toString(NATIVE)
    assert window.act_delete.toolTip() == (
        f"Supprimer toute la conversation (ses messages de ce dossier) ({delete})"
    )
    reply_all = QKeySequence("Ctrl+Shift+R").toString(NATIVE)
    assert window.act_reply_all.toolTip() == f"Répondre à tous ({reply_all})"


@OFFSCREEN_RAISE
def test_writing_replying_forwarding_and_searching_by_keyboard(
    qtbot: QtBot, window: MainWindow, ui_session: AccountSession
) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    press(qtbot, window, "Ctrl+N")
    (blank,) = open_composers(qtbot, window, 1)
    assert blank.subject_edit.text() == ""
    blank.discard()
    qtbot.waitUntil(lambda: window.composers == [] or not blank.isVisible())

    row = row_where(window, lambda s: s.subject.startswith("Lettre d'information de l'URPS"))
    window.conversations.select_row(row)
    subject = window.conversations.selected_summary().subject  # type: ignore[union-attr]
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    for keys, prefix in (("Ctrl+R", "RE"), ("Ctrl+Shift+R", "RE"), ("Ctrl+L", "TR")):
        before = [c for c in window.composers if c.isVisible()]
        press(qtbot, window, keys)
        qtbot.waitUntil(lambda before=before: len(window.composers) > len(before))
        composer = window.composers[-1]
        assert isinstance(composer, Composer)
        qtbot.waitUntil(lambda composer=composer: composer.subject_edit.text() != "")
        assert composer.subject_edit.text().upper().startswith(prefix)
        assert subject in composer.subject_edit.text()
        composer.discard()
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

    for keys in ("Ctrl+F", "Ctrl+K"):
        window.conversations.view.setFocus()
        assert window.focusWidget() is not window.search
        press(qtbot, window, keys)
        assert window.focusWidget() is window.search


@OFFSCREEN_RAISE
def test_delete_flag_and_mark_unread_act_on_the_selected_message(
    qtbot: QtBot, window: MainWindow, ui_session: AccountSession
) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    row = row_where(window, lambda s: not s.unread and not s.flagged)
    window.conversations.select_row(row)
    selected = window.conversations.selected_summary()
    assert selected is not None
    email_id = selected.id
    window.conversations.view.setFocus()

    press(qtbot, window, "Ctrl+U")
    qtbot.waitUntil(lambda: ui_session.summaries([email_id])[0].unread)
    press(qtbot, window, "Ctrl+Shift+G")
    qtbot.waitUntil(lambda: ui_session.summaries([email_id])[0].flagged)

    qtbot.keyClick(window.conversations.view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: email_id in inbox_ids(ui_session, "trash"))
    assert email_id not in inbox_ids(ui_session)


@OFFSCREEN_RAISE
def test_help_settings_lock_and_quit_by_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    for keys in ("F1", "Ctrl+/"):
        press(qtbot, window, keys)
        dialog = window.findChild(ShortcutsDialog)
        assert dialog is not None
        assert dialog.isVisible()
        # It lists the table, nothing more, nothing less, keys as the user reads them.
        assert dialog.listed == list(SHORTCUTS)
        assert dialog.rows() == [(s.label, shortcuts.shown(s)) for s in SHORTCUTS]
        assert ("Rechercher", "Ctrl+F ou Ctrl+K") in dialog.rows()
        send = " ou ".join(QKeySequence(k).toString(NATIVE) for k in ("Ctrl+Return", "Ctrl+Enter"))
        assert ("Envoyer le message", send) in dialog.rows()
        dialog.close()
        qtbot.waitUntil(lambda: window.findChild(ShortcutsDialog) is None)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

    press(qtbot, window, "Ctrl+,")
    settings = window.findChild(SettingsDialog)
    assert settings is not None
    assert settings.isVisible()
    settings.close()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

    locks: list[bool] = []
    window.lockRequested.connect(lambda: locks.append(True))
    press(qtbot, window, "Ctrl+Shift+L")
    assert locks == [True]

    closed: list[bool] = []
    window.closed.connect(lambda: closed.append(True))
    press(qtbot, window, "Ctrl+Q")
    assert closed == [True]
    assert not window.isVisible()


@OFFSCREEN_RAISE
def test_ctrl_shift_l_asks_a_lock_from_a_composer_and_from_a_dialog(
    qtbot: QtBot, window: MainWindow
) -> None:
    locks: list[bool] = []
    window.lockRequested.connect(lambda: locks.append(True))

    def press_in(other: QWidget) -> None:
        other.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is other)
        focused = QApplication.focusWidget()
        assert focused is not None
        assert focused.window() is other  # the keys go to that window, not the main one
        qtbot.keyClick(focused, Qt.Key.Key_L, CTRL | SHIFT)

    composer = window.compose()
    press_in(composer)
    assert locks == [True]
    composer.close()
    window.act_about.trigger()  # "À propos", a dialog over the main window
    about = window.findChild(AboutDialog)
    assert about is not None
    press_in(about)
    assert locks == [True, True]
    about.close()


def test_the_app_menu_opens_settings_journal_shortcuts_and_about(
    qtbot: QtBot, window: MainWindow
) -> None:
    qtbot.waitUntil(lambda: window.menu_button.menu() is not None)  # a turn after the paint
    menu = window.menu_button.menu()
    assert menu is window.app_menu
    labels = [a.text() for a in menu.actions()]
    assert labels == [
        "Paramètres…",
        "Journal",
        "Traces de la messagerie",
        "Raccourcis clavier",
        "À propos de MonSisra bureau",
        "",
        "Verrouiller",
        "Se déconnecter",
        "Quitter",
    ]
    for action, kind in (
        (window.act_settings, SettingsDialog),
        (window.act_journal, JournalDialog),
        (window.act_traces, TracesDialog),
        (window.act_shortcuts, ShortcutsDialog),
        (window.act_about, AboutDialog),
    ):
        action.trigger()
        dialog = window.findChild(kind)
        assert dialog is not None
        assert dialog.isVisible()
        dialog.close()


@OFFSCREEN_RAISE
def test_the_composer_sends_with_the_tables_keys(qtbot: QtBot, ui_session: AccountSession) -> None:
    composer = Composer(ui_session)
    qtbot.addWidget(composer)
    composer.show()
    keys = sorted(s.key().toString() for s in composer.findChildren(QShortcut))
    writing = [k for s in SHORTCUTS if s.group == shortcuts.WRITING for k in s.keys]
    assert keys == sorted(QKeySequence(k).toString() for k in writing)  # send, and Escape
    composer.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is composer)
    qtbot.keyClick(composer.body, Qt.Key.Key_Return, CTRL)
    # Sending was asked: without a recipient, the composer says what is missing.
    assert composer.notice_text == "Ajoutez au moins un destinataire."
    composer.discard()
