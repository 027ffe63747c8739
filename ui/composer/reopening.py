"""Drafts opened again in a composer: every saved draft after login (or a crash), one chosen in
"Brouillons" — of this computer, or of the server's Drafts mailbox (written on the web or
another computer) — and never two windows for one draft.

A server draft taken up is saved on this computer from then on (its `replaces` names it): taking
it up again opens that continuation, not the server's older copy, and sending it destroys the
server's."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QWidget

from app.message.draft import Draft, DraftUnreadable
from app.records import EmailRecord, StoredDraft
from app.session import AccountSession
from ui import tasks
from ui.composer.composer import Composer
from ui.composer.view import show_notice

log = logging.getLogger("monsisra.ui.composer")


def _open_composers(session: AccountSession) -> list[Composer]:
    return [c for c in Composer._open if c.session is session]


def _shown(composer: Composer) -> Composer:
    composer.show()
    composer.raise_()
    composer.activateWindow()
    return composer


def _read(saved: StoredDraft) -> Draft | DraftUnreadable:
    """The saved draft, or why this build cannot read it: such a draft stays in the cache,
    unopened, so that it cannot be overwritten."""
    try:
        return Draft.from_stored(saved.payload)
    except DraftUnreadable as e:
        log.warning("draft left unopened: %s", e)
        return e


def _composer_of(
    session: AccountSession, saved: StoredDraft, parent: QWidget | None
) -> Composer | None:
    """A composer on a saved draft; None (and the user told why) when this build cannot read it."""
    draft = _read(saved)
    if isinstance(draft, DraftUnreadable):
        show_notice(parent, tasks.message_of(draft))
        return None
    return Composer(session, draft=draft, draft_id=saved.id, parent=parent)


def restore_all(session: AccountSession, parent: QWidget | None = None) -> list[Composer]:
    """Reopens every saved draft not already open. The user is told once of those this build
    cannot read."""
    already = {c.draft_id for c in _open_composers(session)}
    opened: list[Composer] = []
    unreadable: DraftUnreadable | None = None
    for saved in reversed(session.drafts()):
        if saved.id in already:
            continue
        draft = _read(saved)
        if isinstance(draft, DraftUnreadable):
            unreadable = draft
            continue
        composer = Composer(session, draft=draft, draft_id=saved.id, parent=parent)
        composer.show()
        opened.append(composer)
    if unreadable is not None:
        show_notice(parent, tasks.message_of(unreadable))
    return opened


def open_saved(
    session: AccountSession, draft_id: str, parent: QWidget | None = None
) -> Composer | None:
    """The composer of this computer's draft `draft_id`: the open one brought forward, else a new
    one; None when the draft is gone or unreadable."""
    found = next((c for c in _open_composers(session) if c.draft_id == draft_id), None)
    if found is not None:
        return _shown(found)
    saved = next((d for d in session.drafts() if d.id == draft_id), None)
    composer = _composer_of(session, saved, parent) if saved is not None else None
    return _shown(composer) if composer is not None else None


def resume(
    session: AccountSession, record: EmailRecord, parent: QWidget | None = None
) -> Composer | None:
    """A server draft in a composer: where it is already continued (an open window, a draft of
    this computer), that one; else a new composer filled from it."""
    found = next((c for c in _open_composers(session) if c.replaces == record.id), None)
    if found is not None:
        return _shown(found)
    local = next((d for d in session.drafts() if d.payload.get("replaces") == record.id), None)
    if local is not None:
        return open_saved(session, local.id, parent)
    return _shown(Composer(session, resume=record, parent=parent))


__all__ = ["open_saved", "restore_all", "resume"]
