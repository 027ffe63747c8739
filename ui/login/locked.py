"""The login window as it comes back after a lock: the account's server and identifiant filled,
the password empty, and a banner that says why ("Session verrouillée après 2 h d'inactivité…").
Unlocking is the ordinary login, so that a lock needs nothing the login does not already do."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from app.about import window_title
from app.dates import hours_minutes
from ui.login.banners import Banner, DemoHint
from ui.login.window import LoginWindow

if TYPE_CHECKING:
    from app.account.sign_in import Opener
    from app.session import AccountSession


def locked_banner_fr(minutes: int | None) -> str:
    """The login window's banner after a lock: why, and what to do (None: a manual lock)."""
    if minutes is None:
        return QCoreApplication.translate("AutoLock", "Session verrouillée.")
    return QCoreApplication.translate(
        "AutoLock",
        "Session verrouillée après {delay} d'inactivité : saisissez votre mot de passe.",
    ).format(delay=hours_minutes(minutes))


class LockedLoginWindow(LoginWindow):
    def __init__(
        self,
        data_root: Path,
        server_url: str,
        login: str,
        banner_fr: str,
        demo_hint: DemoHint | None = None,
        opener: Opener | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(data_root, demo_hint, opener, parent)
        self.setWindowTitle(window_title(self.tr("Session verrouillée")))
        self.server_edit.setText(server_url)
        self.login_edit.setText(login)
        self.password_edit.clear()  # never kept: the lock asks for it again
        self.lock_banner = Banner("info", "lock-accent")
        self.lock_banner.setObjectName("lockBanner")
        card = self.findChild(QFrame, "loginCard")
        layout = card.layout() if card is not None else None
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(layout.indexOf(self.offline_banner), self.lock_banner)
        self.lock_banner.say(banner_fr)

    def submit_label(self) -> str:
        return self.tr("Déverrouiller")


def demo_screenshot(session: AccountSession) -> QWidget:
    """The login window after two hours without input, on the demo GP's account."""
    ref = session.account.ref
    root = ref.dir.parent.parent  # <root>/accounts/<account>: see app.paths.account_dir
    return LockedLoginWindow(root, ref.server_url, ref.login, locked_banner_fr(120))
