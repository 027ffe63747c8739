"""How a feature opens another: through the one navigator the app installs, never by importing it.

Features under `ui/` (mail, composer, directory, patients, téléexpertise, teleconsultations,
desktop, login) do not import each other (an import-linter contract says so). When the directory
opens a composer, or the composer opens the directory to pick recipients, it asks the navigator;
the shell (`ui/shell/`), which may import every feature, implements it and the app installs it
before any window shows (tests install it in their conftest)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog, QWidget

    from app.message.draft import Draft
    from app.records import Correspondent, EmailRecord
    from app.session import AccountSession


class Navigator(Protocol):
    def compose(
        self,
        session: AccountSession,
        draft: Draft,
        parent: QWidget | None = None,
        draft_id: str | None = None,
    ) -> QWidget:
        """A composer, shown, starting from `draft` (recipients, subject, patient…); with
        `draft_id`, the composer of that saved draft (it saves over it, discarding deletes it)."""
        ...

    def compose_reply(
        self,
        session: AccountSession,
        record: EmailRecord,
        reply_all: bool = False,
        parent: QWidget | None = None,
    ) -> QWidget:
        """A composer, shown, answering `record` (its sender, or everyone with `reply_all`)."""
        ...

    def compose_forward(
        self,
        session: AccountSession,
        record: EmailRecord,
        attach: bool = False,
        parent: QWidget | None = None,
    ) -> QWidget:
        """A composer, shown, forwarding `record` with its documents (or, with `attach`, the
        whole message as an attachment)."""
        ...

    def restore_drafts(
        self, session: AccountSession, parent: QWidget | None = None
    ) -> list[QWidget]:
        """A composer, shown, for each saved draft not already open (after login, after a
        crash); the user is told of a draft this build cannot read."""
        ...

    def open_draft(
        self, session: AccountSession, draft_id: str, parent: QWidget | None = None
    ) -> QWidget | None:
        """The composer of this computer's draft (the open one, brought forward); None when it
        is gone or this build cannot read it."""
        ...

    def resume_draft(
        self, session: AccountSession, record: EmailRecord, parent: QWidget | None = None
    ) -> QWidget | None:
        """A composer, shown, finishing a draft of the server's Drafts mailbox."""
        ...

    def choose_correspondents(
        self,
        session: AccountSession,
        parent: QWidget,
        on_chosen: Callable[[list[Correspondent]], None],
        *,
        title: str = "",
        experts_only: bool = False,
    ) -> QDialog:
        """The directory as a picker (window-modal, opened): `on_chosen(people)` on "Choisir"."""
        ...

    def request_teleexpertise(
        self, session: AccountSession, expert: Correspondent, parent: QWidget | None = None
    ) -> QWidget:
        """The téléexpertise request form, shown, with this expert chosen."""
        ...


class _Installed:
    navigator: Navigator | None = None


def install(navigator: Navigator) -> None:
    _Installed.navigator = navigator


def navigator() -> Navigator:
    if _Installed.navigator is None:
        raise RuntimeError("no navigator installed (ui.shell.navigator.install at start-up)")
    return _Installed.navigator


__all__ = ["Navigator", "install", "navigator"]
