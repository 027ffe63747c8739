"""The app menu (`make`: on a loop turn after the main window's first paint, which does not need
it), its windows (Paramètres, Journal, Traces de la messagerie, À propos, Raccourcis clavier) and
the question before "Oublier ce compte sur cet ordinateur", opened over the main window. The
desktop feature makes the windows; the shell, which may import every feature, opens them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMenu, QMessageBox

from ui import i18n
from ui.desktop import shortcuts
from ui.desktop.about import AboutDialog
from ui.desktop.journal import JournalDialog
from ui.desktop.settings_dialog import SettingsDialog
from ui.plain import plain_message_box
from ui.traces.dialog import TracesDialog

if TYPE_CHECKING:
    from ui.shell.main_window import MainWindow


def open_settings(window: MainWindow) -> SettingsDialog:
    dialog = SettingsDialog(window.session, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.changed.connect(window.settingsChanged)
    dialog.forgetRequested.connect(lambda: ask_forget(window))
    dialog.show()
    return dialog


def ask_forget(window: MainWindow) -> QMessageBox:
    """Asks before "Oublier ce compte sur cet ordinateur", saying what would be lost here:
    the messages still in the outbox above all (the box answers through its buttons)."""
    ref = window.session.account.ref
    unsent = window.session.unsent_count()
    drafts = len(window.session.drafts())
    lines = []
    if unsent:
        lines.append(
            i18n.plural(
                unsent,
                QCoreApplication.translate(
                    "MainWindow",
                    "Attention : {n} message de la boîte d'envoi n'a pas encore été envoyé. "
                    "Il sera perdu.",
                ),
                QCoreApplication.translate(
                    "MainWindow",
                    "Attention : {n} messages de la boîte d'envoi n'ont pas encore été "
                    "envoyés. Ils seront perdus.",
                ),
            ).format(n=unsent)
        )
    if drafts:
        lines.append(
            i18n.plural(
                drafts,
                QCoreApplication.translate("MainWindow", "{n} brouillon sera perdu."),
                QCoreApplication.translate("MainWindow", "{n} brouillons seront perdus."),
            ).format(n=drafts)
        )
    lines.append(
        QCoreApplication.translate(
            "MainWindow",
            "Les messages, documents et brouillons enregistrés sur cet ordinateur seront "
            "effacés et la connexion mémorisée supprimée. Vos messages restent sur le "
            "serveur : vous pourrez vous reconnecter avec votre mot de passe.",
        )
    )
    box = plain_message_box(
        window,
        QMessageBox.Icon.Warning if unsent else QMessageBox.Icon.Question,
        QCoreApplication.translate("MainWindow", "Oublier ce compte"),
        QCoreApplication.translate(
            "MainWindow", "Oublier le compte {login} sur cet ordinateur ?"
        ).format(login=ref.login),
        "\n\n".join(lines),
    )
    box.setObjectName("forgetBox")
    confirm = box.addButton(
        QCoreApplication.translate("MainWindow", "Oublier ce compte"),
        QMessageBox.ButtonRole.AcceptRole,
    )
    cancel = box.addButton(
        QCoreApplication.translate("MainWindow", "Annuler"), QMessageBox.ButtonRole.RejectRole
    )
    box.setDefaultButton(cancel)  # losing data is never the default
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.buttonClicked.connect(
        lambda button: window.forgetRequested.emit() if button is confirm else None
    )
    window.forget_box = box
    box.destroyed.connect(lambda *_: setattr(window, "forget_box", None))
    box.open()
    return box


def open_journal(window: MainWindow) -> JournalDialog:
    dialog = JournalDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def open_traces(window: MainWindow) -> TracesDialog:
    """Issue 14 §5: the trace of mailbox actions, beside the Journal."""
    dialog = TracesDialog(window.session, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def open_about(window: MainWindow) -> AboutDialog:
    root = window.session.account.ref.dir.parent.parent  # <root>/accounts/<account>
    dialog = AboutDialog(root, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def show_shortcuts(window: MainWindow) -> shortcuts.ShortcutsDialog:
    dialog = shortcuts.ShortcutsDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def make(window: MainWindow) -> QMenu:
    """The app menu, on the menu button (made on a loop turn after the window's first paint)."""
    menu = QMenu(window)
    menu.setObjectName("appMenu")
    for action in (
        window.act_settings,
        window.act_journal,
        window.act_traces,
        window.act_shortcuts,
        window.act_about,
    ):
        menu.addAction(action)
    menu.addSeparator()
    menu.addAction(window.act_lock)
    menu.addAction(window.act_sign_out)
    menu.addAction(window.act_quit)
    window.menu_button.setMenu(menu)
    return menu
