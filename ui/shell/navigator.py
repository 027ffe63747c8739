"""The navigator the app installs (see `ui/navigator.py`): the one place that knows which feature
implements which screen. Each feature is imported when first opened, not at start-up: the login
window paints before the composer, the directory and the téléexpertise are loaded."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget

from app.about import window_title
from ui import navigator

if TYPE_CHECKING:  # the core loads in a worker once the login window painted (ui/app.py)
    from app.message.draft import Draft
    from app.records import Correspondent, EmailRecord
    from app.session import AccountSession


class AppNavigator:
    def compose(
        self,
        session: AccountSession,
        draft: Draft,
        parent: QWidget | None = None,
        draft_id: str | None = None,
    ) -> QWidget:
        from ui.composer.composer import Composer

        composer = Composer(session, draft=draft, draft_id=draft_id, parent=parent)
        composer.show()
        return composer

    def compose_reply(
        self,
        session: AccountSession,
        record: EmailRecord,
        reply_all: bool = False,
        parent: QWidget | None = None,
    ) -> QWidget:
        from ui.composer.composer import Composer

        composer = Composer(session, reply_to=record, reply_all=reply_all, parent=parent)
        composer.show()
        return composer

    def compose_forward(
        self,
        session: AccountSession,
        record: EmailRecord,
        attach: bool = False,
        parent: QWidget | None = None,
    ) -> QWidget:
        from ui.composer.composer import Composer

        composer = Composer(session, forward=record, attach=attach, parent=parent)
        composer.show()
        return composer

    def restore_drafts(
        self, session: AccountSession, parent: QWidget | None = None
    ) -> list[QWidget]:
        from ui.composer.reopening import restore_all

        return list(restore_all(session, parent))

    def open_draft(
        self, session: AccountSession, draft_id: str, parent: QWidget | None = None
    ) -> QWidget | None:
        from ui.composer.reopening import open_saved

        return open_saved(session, draft_id, parent)

    def resume_draft(
        self, session: AccountSession, record: EmailRecord, parent: QWidget | None = None
    ) -> QWidget | None:
        from ui.composer.reopening import resume

        return resume(session, record, parent)

    def choose_correspondents(
        self,
        session: AccountSession,
        parent: QWidget,
        on_chosen: Callable[[list[Correspondent]], None],
        *,
        title: str = "",
        experts_only: bool = False,
    ) -> QDialog:
        from ui.directory.dialog import DirectoryDialog

        dialog = DirectoryDialog(session, parent)
        if title:
            dialog.setWindowTitle(window_title(title))
        if experts_only:
            dialog.view.experts_check.setChecked(True)
        dialog.chosen.connect(on_chosen)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def request_teleexpertise(
        self, session: AccountSession, expert: Correspondent, parent: QWidget | None = None
    ) -> QWidget:
        from ui.teleexpertise.request import TeleexpertiseRequestDialog

        form = TeleexpertiseRequestDialog(session, expert, parent)
        form.show()
        return form


def install() -> AppNavigator:
    app_navigator = AppNavigator()
    navigator.install(app_navigator)
    return app_navigator


__all__ = ["AppNavigator", "install"]
