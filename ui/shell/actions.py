"""The main window's actions, and where they show: the toolbar (the selection's actions and the
search field), the app menu behind its button, and the menu of a right click on the list.

Built here so that the main window reads as what it wires together, not as 150 lines of
buttons. The actions stay attributes of the window (`window.act_reply`, `window.app_menu`…):
the tray, the shortcuts help and the tests find them there. Their words keep the main window's
translation context ("MainWindow"), as before the split.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QSizePolicy, QToolBar, QToolButton, QWidget

from ui import theme
from ui.desktop import shortcuts
from ui.plain import plain_tooltip
from ui.shell import app_menu

if TYPE_CHECKING:
    from ui.shell.main_window import MainWindow


def install(window: MainWindow) -> None:
    """Makes the window's actions, its toolbar and its app menu."""
    window.actions_by_name = {}

    def action(
        icon: str, text: str, name: str | None, slot: Callable[[], object], tip: str = ""
    ) -> QAction:
        """An action of the window; `name` gives its keys from the shortcuts table."""
        made = QAction(theme.icon(icon), text, window)
        tip = tip or text
        if name is not None:
            made.setShortcuts(shortcuts.sequences(name))
            made.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            keys = made.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            tip = f"{tip} ({keys})"
            window.actions_by_name[name] = made
        made.setToolTip(plain_tooltip(tip))
        made.triggered.connect(lambda _checked=False: slot())
        window.addAction(made)
        return made

    page = window.mail_page
    window.act_new = action(
        "action-compose",
        QCoreApplication.translate("MainWindow", "Nouveau message"),
        "new",
        window.compose,
    )
    window.act_reply = action(
        "action-reply", QCoreApplication.translate("MainWindow", "Répondre"), "reply", window.reply
    )
    window.act_reply_all = action(
        "action-reply-all",
        QCoreApplication.translate("MainWindow", "Répondre à tous"),
        "reply_all",
        lambda: window.reply(reply_all=True),
    )
    window.act_forward = action(
        "action-forward",
        QCoreApplication.translate("MainWindow", "Transférer"),
        "forward",
        window.forward,
    )
    window.act_unread = action(
        "action-unread",
        QCoreApplication.translate("MainWindow", "Marquer comme non lu"),
        "mark_unread",
        page.mark_unread,
    )
    window.act_flag = action(
        "action-flag", QCoreApplication.translate("MainWindow", "Suivre"), "flag", page.toggle_flag
    )
    window.act_archive = action(
        "action-archive",
        QCoreApplication.translate("MainWindow", "Archiver"),
        "archive",
        page.archive,
    )
    window.act_delete = action(
        "action-delete",
        QCoreApplication.translate("MainWindow", "Supprimer"),
        "delete",
        page.delete,
    )
    window.act_search = action(
        "action-search",
        QCoreApplication.translate("MainWindow", "Rechercher"),
        "search",
        window.focus_search,
    )
    window.act_sync = action(
        "action-retry",
        QCoreApplication.translate("MainWindow", "Synchroniser"),
        "sync",
        window.session.sync_now,
    )
    window.act_settings = action(
        "settings",
        QCoreApplication.translate("MainWindow", "Paramètres…"),
        "settings",
        window.open_settings,
    )
    window.act_journal = action(
        "journal",
        QCoreApplication.translate("MainWindow", "Journal"),
        None,
        lambda: app_menu.open_journal(window),
        QCoreApplication.translate(
            "MainWindow", "Les derniers événements de l'application, pour l'assistance"
        ),
    )
    window.act_shortcuts = action(
        "keyboard",
        QCoreApplication.translate("MainWindow", "Raccourcis clavier"),
        "shortcuts",
        lambda: app_menu.show_shortcuts(window),
    )
    window.act_about = action(
        "info",
        QCoreApplication.translate("MainWindow", "À propos de MonSisra bureau"),
        None,
        lambda: app_menu.open_about(window),
    )
    window.act_lock = action(
        "lock",
        QCoreApplication.translate("MainWindow", "Verrouiller"),
        "lock",
        window.lockRequested.emit,
    )
    window.act_sign_out = action(
        "sign-out",
        QCoreApplication.translate("MainWindow", "Se déconnecter"),
        None,
        window.signOutRequested.emit,
        QCoreApplication.translate(
            "MainWindow",
            "Ferme la session ici et sur le serveur : votre mot de passe sera demandé à la "
            "prochaine connexion",
        ),
    )
    window.act_quit = action(
        "quit", QCoreApplication.translate("MainWindow", "Quitter"), "quit", window.close
    )
    window.toolbar = _toolbar(window)
    window.addToolBar(window.toolbar)


def _toolbar(window: MainWindow) -> QToolBar:
    """The selection's actions (the less used as icons only), the search field, the app menu."""
    bar = QToolBar(QCoreApplication.translate("MainWindow", "Actions"))
    bar.setObjectName("mainToolbar")
    bar.setMovable(False)
    bar.setFloatable(False)
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    bar.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
    for action in (window.act_reply, window.act_reply_all, window.act_forward):
        bar.addAction(action)
    bar.addSeparator()
    for action in (window.act_unread, window.act_flag, window.act_archive, window.act_delete):
        bar.addAction(action)
    spacer = QWidget()
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    bar.addWidget(spacer)
    window.search.setMinimumWidth(320)
    bar.addWidget(window.search)
    for action in (
        window.act_reply_all,
        window.act_forward,
        window.act_unread,
        window.act_flag,
        window.act_archive,
    ):
        button = bar.widgetForAction(action)
        if isinstance(button, QToolButton):
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    window.app_menu = QMenu(window)
    window.app_menu.setObjectName("appMenu")
    for action in (
        window.act_settings,
        window.act_journal,
        window.act_shortcuts,
        window.act_about,
    ):
        window.app_menu.addAction(action)
    window.app_menu.addSeparator()
    window.app_menu.addAction(window.act_lock)
    window.app_menu.addAction(window.act_sign_out)
    window.app_menu.addAction(window.act_quit)
    button = QToolButton()
    button.setObjectName("appMenuButton")
    button.setIcon(theme.icon("menu"))
    button.setToolTip(
        QCoreApplication.translate(
            "MainWindow",
            "Menu : paramètres, journal, à propos, verrouiller, se déconnecter, quitter",
        )
    )
    button.setAccessibleName(QCoreApplication.translate("MainWindow", "Menu"))
    button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    button.setMenu(window.app_menu)
    bar.addWidget(button)
    window.menu_button = button
    return bar


def enable_for_selection(window: MainWindow, selected: bool, flagged: bool) -> None:
    """The selection's actions enabled when a conversation is selected; "Suivre" says what a
    click would do."""
    for action in (
        window.act_reply,
        window.act_reply_all,
        window.act_forward,
        window.act_unread,
        window.act_flag,
        window.act_archive,
        window.act_delete,
    ):
        action.setEnabled(selected)
    window.act_flag.setText(
        QCoreApplication.translate("MainWindow", "Ne plus suivre")
        if flagged
        else QCoreApplication.translate("MainWindow", "Suivre")
    )


def context_menu(window: MainWindow, where: QPoint) -> None:
    """A right click on the list: the selection's actions, then the list's own."""
    menu = QMenu(window)
    for action in (window.act_reply, window.act_reply_all, window.act_forward):
        menu.addAction(action)
    menu.addSeparator()
    for action in (window.act_unread, window.act_flag, window.act_archive, window.act_delete):
        menu.addAction(action)
    menu.addSeparator()
    window.conversations.context_menu(menu)
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    menu.popup(where)
