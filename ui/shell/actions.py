"""The main window's actions, and where they show: the toolbar (the selection's actions and the
search field), the app menu behind its button, and the menu of a right click on the list.

Built here so that the main window reads as what it wires together, not as 150 lines of
buttons. The actions stay attributes of the window (`window.act_reply`, `window.app_menu`…):
the tray, the shortcuts help and the tests find them there. Their words keep the main window's
translation context ("MainWindow"), as before the split.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QSizePolicy, QToolBar, QToolButton, QWidget

from ui import theme
from ui.desktop import shortcuts
from ui.mail import printing
from ui.plain import plain_tooltip
from ui.shell import app_menu

if TYPE_CHECKING:
    from ui.shell.main_window import MainWindow


def _translated(text: object) -> str:
    """A text marked with QT_TRANSLATE_NOOP in the "MainWindow" context, translated."""
    return QCoreApplication.translate("MainWindow", str(text))


class _Action(NamedTuple):
    """One of the window's actions: the attribute that holds it, its icon, its words (in the
    "MainWindow" context), its name in the shortcuts table (None: no keys), what it does, and its
    tooltip when the words are not enough."""

    attribute: str
    icon: str
    text: object  # QT_TRANSLATE_NOOP's type
    shortcut: str | None
    slot: Callable[[MainWindow], Callable[[], object]]
    tip: object = ""


def _actions() -> tuple[_Action, ...]:
    """The table of the window's actions (a function: its slots are read once the window exists)."""
    return (
        _Action(
            "act_new",
            "action-compose",
            QT_TRANSLATE_NOOP("MainWindow", "Nouveau message"),
            "new",
            lambda w: w.compose,
        ),
        _Action(
            "act_reply",
            "action-reply",
            QT_TRANSLATE_NOOP("MainWindow", "Répondre"),
            "reply",
            lambda w: w.reply,
        ),
        _Action(
            "act_reply_all",
            "action-reply-all",
            QT_TRANSLATE_NOOP("MainWindow", "Répondre à tous"),
            "reply_all",
            lambda w: lambda: w.reply(reply_all=True),
        ),
        _Action(
            "act_forward",
            "action-forward",
            QT_TRANSLATE_NOOP("MainWindow", "Transférer"),
            "forward",
            lambda w: w.forward,
        ),
        _Action(
            "act_forward_attached",
            "mail-attachment",
            QT_TRANSLATE_NOOP("MainWindow", "Transférer en pièce jointe"),
            "forward_attached",
            lambda w: lambda: w.forward(attach=True),
            QT_TRANSLATE_NOOP(
                "MainWindow", "Transférer le message entier, avec ses documents, en pièce jointe"
            ),
        ),
        _Action(
            "act_print",
            "action-print",
            QT_TRANSLATE_NOOP("MainWindow", "Imprimer…"),
            "print",
            lambda w: lambda: printing.print_conversation(w, w.reader.records),
            QT_TRANSLATE_NOOP(
                "MainWindow",
                "Imprimer la conversation, ou l'enregistrer en PDF : le patient, chaque message "
                "et la liste de ses documents",
            ),
        ),
        _Action(
            "act_unread",
            "action-unread",
            QT_TRANSLATE_NOOP("MainWindow", "Marquer comme non lu"),
            "mark_unread",
            lambda w: w.mail_page.mark_unread,
            QT_TRANSLATE_NOOP(
                "MainWindow",
                "Marquer comme non lue toute la conversation (ses messages de ce dossier)",
            ),
        ),
        _Action(
            "act_flag",
            "action-flag",
            QT_TRANSLATE_NOOP("MainWindow", "Suivre"),
            "flag",
            lambda w: w.mail_page.toggle_flag,
            QT_TRANSLATE_NOOP(
                "MainWindow",
                "Suivre la conversation (son dernier message) ; « Ne plus suivre » vaut pour "
                "tous ses messages",
            ),
        ),
        _Action(
            "act_archive",
            "action-archive",
            QT_TRANSLATE_NOOP("MainWindow", "Archiver"),
            "archive",
            lambda w: w.mail_page.archive,
            QT_TRANSLATE_NOOP(
                "MainWindow", "Archiver toute la conversation (ses messages de ce dossier)"
            ),
        ),
        _Action(
            "act_delete",
            "action-delete",
            QT_TRANSLATE_NOOP("MainWindow", "Supprimer"),
            "delete",
            lambda w: w.mail_page.delete,
            QT_TRANSLATE_NOOP(
                "MainWindow", "Supprimer toute la conversation (ses messages de ce dossier)"
            ),
        ),
        _Action(
            "act_search",
            "action-search",
            QT_TRANSLATE_NOOP("MainWindow", "Rechercher"),
            "search",
            lambda w: w.focus_search,
        ),
        _Action(
            "act_sync",
            "action-retry",
            QT_TRANSLATE_NOOP("MainWindow", "Synchroniser"),
            "sync",
            lambda w: w.session.sync_now,
        ),
        _Action(
            "act_settings",
            "settings",
            QT_TRANSLATE_NOOP("MainWindow", "Paramètres…"),
            "settings",
            lambda w: w.open_settings,
        ),
        _Action(
            "act_journal",
            "journal",
            QT_TRANSLATE_NOOP("MainWindow", "Journal"),
            None,
            lambda w: lambda: app_menu.open_journal(w),
            QT_TRANSLATE_NOOP(
                "MainWindow", "Les derniers événements de l'application, pour l'assistance"
            ),
        ),
        _Action(
            "act_traces",
            "journal",
            QT_TRANSLATE_NOOP("MainWindow", "Traces de la messagerie"),
            None,
            lambda w: lambda: app_menu.open_traces(w),
            QT_TRANSLATE_NOOP(
                "MainWindow", "Ce que cet ordinateur a fait dans la messagerie, exportable en CSV"
            ),
        ),
        _Action(
            "act_shortcuts",
            "keyboard",
            QT_TRANSLATE_NOOP("MainWindow", "Raccourcis clavier"),
            "shortcuts",
            lambda w: lambda: app_menu.show_shortcuts(w),
        ),
        _Action(
            "act_about",
            "info",
            QT_TRANSLATE_NOOP("MainWindow", "À propos de MonSisra bureau"),
            None,
            lambda w: lambda: app_menu.open_about(w),
        ),
        _Action(
            "act_lock",
            "lock",
            QT_TRANSLATE_NOOP("MainWindow", "Verrouiller"),
            "lock",
            lambda w: w.lockRequested.emit,
        ),
        _Action(
            "act_sign_out",
            "sign-out",
            QT_TRANSLATE_NOOP("MainWindow", "Se déconnecter"),
            None,
            lambda w: w.signOutRequested.emit,
            QT_TRANSLATE_NOOP(
                "MainWindow",
                "Ferme la session ici et sur le serveur : votre mot de passe sera demandé à la "
                "prochaine connexion",
            ),
        ),
        _Action(
            "act_quit",
            "quit",
            QT_TRANSLATE_NOOP("MainWindow", "Quitter"),
            "quit",
            lambda w: w.close,
        ),
    )


def install(window: MainWindow) -> None:
    """Makes the window's actions (their keys work at once) and its toolbar."""
    window.actions_by_name = {}

    def action(
        icon: str, text: str, name: str | None, slot: Callable[[], object], tip: str = ""
    ) -> QAction:
        """An action of the window; `name` gives its keys from the shortcuts table."""
        made = QAction(theme.icon(icon), text, window)
        tip = tip or text
        if name is not None:
            made.setShortcuts(shortcuts.sequences(name))
            made.setShortcutContext(
                Qt.ShortcutContext.ApplicationShortcut
                if shortcuts.BY_NAME[name].everywhere
                else Qt.ShortcutContext.WindowShortcut
            )
            keys = made.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            tip = f"{tip} ({keys})"
            window.actions_by_name[name] = made
        made.setToolTip(plain_tooltip(tip))
        made.triggered.connect(lambda _checked=False: slot())
        window.addAction(made)
        return made

    for spec in _actions():
        tip = _translated(spec.tip) if spec.tip else ""
        made = action(spec.icon, _translated(spec.text), spec.shortcut, spec.slot(window), tip)
        setattr(window, spec.attribute, made)
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
    for action in (
        window.act_reply,
        window.act_reply_all,
        window.act_forward,
        window.act_forward_attached,
        window.act_print,
    ):
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
        window.act_forward_attached,
        window.act_print,
        window.act_unread,
        window.act_flag,
        window.act_archive,
    ):
        button = bar.widgetForAction(action)
        if isinstance(button, QToolButton):
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
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
        window.act_forward_attached,
        window.act_print,
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
    for action in (
        window.act_reply,
        window.act_reply_all,
        window.act_forward,
        window.act_forward_attached,
        window.act_print,
    ):
        menu.addAction(action)
    menu.addSeparator()
    for action in (window.act_unread, window.act_flag, window.act_archive, window.act_delete):
        menu.addAction(action)
    menu.addSeparator()
    window.conversations.context_menu(menu)
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    menu.popup(where)
