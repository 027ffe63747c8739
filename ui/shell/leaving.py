"""Leaving an open account without leaving the app: a lock, "Se déconnecter", "Oublier ce compte
sur cet ordinateur". The three go the same way, and the order matters because of the drafts:
the main window and its dialogs close (every composer saves its draft in the encrypted cache; a
composer that is sending finishes first), the background work settles, and only then the
session ends (closed, signed out or forgotten) — a draft saved after that would be lost. Then a
login window comes back, saying why.

The Controller (ui/shell/controller.py) owns the state (which session, whether a lock is under
way) and calls these steps; the login window of each ending is built here. Nothing here imports
the main window's module: the app loads it after the login window painted.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import shiboken6
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from app import settings as settings_mod
from ui import tasks
from ui.login.locked import LockedLoginWindow, locked_banner_fr
from ui.login.window import DemoHint, LoginWindow

if TYPE_CHECKING:
    from app.session import AccountSession  # the core loads after the login window painted

# How a session ends: session.close (a lock) gives None; sign_out and forget tell whether the
# server was told.
End: TypeAlias = "Callable[[AccountSession], Awaitable[bool | None]]"


def close_windows(composers: list[QWidget]) -> list[asyncio.Future[Any]]:
    """Closes these composers if open (each saves its draft in the encrypted cache) and returns
    the work still running for them (draft saves, a send in progress): the session must stay open
    until it is done. A composer that is sending refuses to close and closes by itself once its
    message is in the outbox."""
    running: list[asyncio.Future[Any]] = []
    for window in composers:
        if window.isVisible():
            window.close()
        running += tasks.pending(window)
    return running


def close_main_window(
    window: QMainWindow, composers: list[QWidget], login: QWidget
) -> list[asyncio.Future[Any]]:
    """Closes the main window, its composers (they close with it, saving their drafts) and the
    dialogs left open (outbox, settings…), all but the `login` window; returns the work still
    running for the composers."""
    window.close()
    running = close_windows(composers)
    for other in QApplication.topLevelWidgets():
        if other.isVisible() and other is not login and other not in composers:
            other.close()
    window.deleteLater()
    return running


async def end_session(
    session: AccountSession,
    composers: list[QWidget],
    running: list[asyncio.Future[Any]],
    end: End,
) -> bool | None:
    """Drafts saved (a composer that was sending finishes first), the rest of the background
    work settled, then `end(session)`."""
    for _ in range(3):  # a send that fails leaves its composer open: closed on the next turn
        if not running:
            break
        await asyncio.gather(*running, return_exceptions=True)
        running = close_windows([c for c in composers if shiboken6.isValid(c) and c.isVisible()])
    for composer in composers:
        if shiboken6.isValid(composer):
            composer.deleteLater()
    await tasks.settle()
    return await end(session)


def locked_login(
    data_root: Path,
    session: AccountSession,
    idle_minutes: int | None,
    demo_hint: DemoHint | None,
) -> LoginWindow:
    """After a lock: the identifiant filled, and a banner saying why (`idle_minutes` without
    input, or asked)."""
    ref = session.account.ref
    return LockedLoginWindow(
        data_root,
        ref.server_url,
        ref.login,
        locked_banner_fr(idle_minutes),
        demo_hint,
    )


def psc_ended_login(
    data_root: Path, session: AccountSession, demo_hint: DemoHint | None
) -> LoginWindow:
    """After the server ended a Pro Santé Connect session: the identifiant filled, and why."""
    ref = session.account.ref
    return LockedLoginWindow(
        data_root,
        ref.server_url,
        ref.login,
        QCoreApplication.translate(
            "Controller",
            "Votre session Pro Santé Connect a pris fin : reconnectez-vous avec Pro Santé "
            "Connect. Vos messages non envoyés sont conservés.",
        ),
        demo_hint,
    )


def signed_out_login(
    data_root: Path, session: AccountSession, told: bool | None, demo_hint: DemoHint | None
) -> LoginWindow:
    """After "Se déconnecter": "Se souvenir de moi" unticked, and whether the server was told."""
    ref = session.account.ref
    settings_mod.update(server_url=ref.server_url, last_login=ref.login, remember_me=False)
    login = LoginWindow(data_root, demo_hint)
    if told is True:
        notice = QCoreApplication.translate(
            "Controller",
            "Session fermée. Votre mot de passe sera demandé à la prochaine connexion.",
        )
    else:
        notice = QCoreApplication.translate(
            "Controller",
            "Session fermée sur cet ordinateur, mais le serveur, injoignable, n'a pas été "
            "prévenu : reconnectez-vous puis déconnectez-vous pour y fermer la session.",
        )
    login.notice_banner.say(notice)
    return login


def forgotten_login(
    data_root: Path,
    session: AccountSession,
    told: bool | None,
    error_fr: str | None,
    demo_hint: DemoHint | None,
) -> LoginWindow:
    """After "Oublier ce compte sur cet ordinateur": what was erased, or why it could not be."""
    ref = session.account.ref
    if error_fr is None and settings_mod.current().last_login == ref.login:
        settings_mod.update(last_login="", remember_me=False)
    login = LoginWindow(data_root, demo_hint)
    if error_fr is not None:
        login.error_banner.say(error_fr)
        return login
    notice = QCoreApplication.translate(
        "Controller",
        "Le compte {login} a été oublié : ses messages, brouillons et documents ont été "
        "effacés de cet ordinateur.",
    ).format(login=ref.login)
    if told is not True:
        notice += " " + QCoreApplication.translate(
            "Controller",
            "Le serveur, injoignable, n'a pas été prévenu : la session y expirera d'elle-même.",
        )
    login.notice_banner.say(notice)
    return login
