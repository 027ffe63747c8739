"""Taking a message back out of the outbox before it goes: "Annuler" removes it, "Modifier" turns
it back into a draft for the composer.

Only a message that waits or was refused can be taken back: one being sent may be on the server
already. Both hold the outbox's lock, so that no send pass starts on a message being taken back,
and none is taken back in the middle of its pass. "Modifier" writes the documents out as private
copies (app.copies, as a forward's documents: in the session's folder, wiped when it closes), then
removes the row and saves the draft in one transaction of the unsent file: killed at any moment,
the message is either still in the outbox or a draft that reopens at the next start — never gone.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from app import logs, messages
from app.attachments import safe_file_name
from app.crashpoints import crashpoint
from app.errors import CoreError
from app.message import draft as drafts
from app.message.draft import Draft
from app.outbox.sender import Outbox
from app.store import drafts as stored_drafts
from app.store import outbox as rows
from app.store.db import Cache, Connection
from app.store.outbox import OutboxRow, OutboxState

log = logs.get("outbox")

WITHDRAWABLE = frozenset({OutboxState.QUEUED, OutboxState.FAILED})


class NotWithdrawable(CoreError):
    """Being sent, sent, or no longer in the outbox."""

    message = messages.OUTBOX_ALREADY_SENDING


async def cancel(outbox: Outbox, outbox_id: str) -> None:
    """ "Annuler": the message and its copies of the documents removed from the outbox."""
    async with outbox.lock:
        await outbox.cache.write(partial(_remove, outbox_id=outbox_id))
    await outbox.publish_counts()
    log.info("message withdrawn from the outbox")


@dataclass(frozen=True)
class Reopened:
    """A message taken back: the draft it became, and that draft's id in the drafts store."""

    draft_id: str
    draft: Draft


async def reopen(outbox: Outbox, outbox_id: str, place: Callable[[], Path]) -> Reopened:
    """ "Modifier": the message as a draft (recipients, subject, text, patient, documents written
    into new folders that `place()` makes), saved in the drafts store in the same transaction
    that removes it from the outbox."""
    async with outbox.lock:
        row = await outbox.cache.write(partial(rows.get, outbox_id=outbox_id))
        if row is None or row.state not in WITHDRAWABLE:
            raise NotWithdrawable("not withdrawable")
        documents = await asyncio.to_thread(_write_out, outbox.cache, row, place)
        crashpoint("outbox.reopen_written")
        draft = _draft_of(row, documents)
        draft_id = uuid.uuid4().hex
        await outbox.cache.write(
            partial(_to_draft, outbox_id=outbox_id, draft_id=draft_id, payload=draft.to_stored())
        )
        crashpoint("outbox.reopened")
    await outbox.publish_counts()
    log.info("message taken back to a draft (%d documents)", len(documents))
    return Reopened(draft_id, draft)


def _draft_of(row: OutboxRow, documents: list[dict[str, str]]) -> Draft:
    payload = row.payload
    return Draft.from_stored(
        {
            "v": drafts.VERSION,
            "to": payload.get("to"),
            "cc": payload.get("cc"),
            "subject": payload.get("subject"),
            "body": payload.get("text"),
            "patient": payload.get("patient"),
            "documents": documents,
            "in_reply_to": payload.get("in_reply_to"),
            "references": payload.get("references"),
        }
    )


def _to_draft(c: Connection, outbox_id: str, draft_id: str, payload: dict[str, Any]) -> None:
    """One transaction: out of the outbox, into the drafts."""
    _remove(c, outbox_id)
    stored_drafts.save(c, draft_id, payload)


def _remove(c: Connection, outbox_id: str) -> None:
    row = rows.get(c, outbox_id)
    if row is None or row.state not in WITHDRAWABLE:
        raise NotWithdrawable("not withdrawable")
    rows.delete(c, outbox_id)


def _write_out(cache: Cache, row: OutboxRow, place: Callable[[], Path]) -> list[dict[str, str]]:
    """In a thread: each document of the message into a file of its own name (0600)."""
    written: list[dict[str, str]] = []
    with cache.read() as conn:
        for item in row.payload.get("attachments", []):
            target = place() / safe_file_name(item.get("name"))
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as f:
                for piece in rows.read_document(conn, item["key"]):
                    f.write(piece)
            written.append({"path": str(target), "type_code": str(item.get("type_code") or "")})
    return written
