"""Taking a message back out of the outbox before it goes: "Annuler" removes it, "Modifier" turns
it back into a draft for the composer.

Only a message that waits or was refused can be taken back: one being sent may be on the server
already. Both hold the outbox's lock, so that no send pass starts on a message being taken back,
and none is taken back in the middle of its pass. "Modifier" writes the documents out as private
copies (app.copies, as a forward's documents: in the session's folder, wiped when it closes) before
the row goes, so that a failure in between leaves the message in the outbox.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from functools import partial
from pathlib import Path

from app import logs, messages
from app.attachments import safe_file_name
from app.errors import CoreError
from app.message import draft as drafts
from app.message.draft import Draft
from app.outbox.sender import Outbox
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


async def reopen(outbox: Outbox, outbox_id: str, place: Callable[[], Path]) -> Draft:
    """ "Modifier": the message as a draft (recipients, subject, text, patient, documents written
    into new folders that `place()` makes), then removed from the outbox."""
    async with outbox.lock:
        row = await outbox.cache.write(partial(rows.get, outbox_id=outbox_id))
        if row is None or row.state not in WITHDRAWABLE:
            raise NotWithdrawable("not withdrawable")
        documents = await asyncio.to_thread(_write_out, outbox.cache, row, place)
        await outbox.cache.write(partial(_remove, outbox_id=outbox_id))
    await outbox.publish_counts()
    log.info("message taken back to a draft (%d documents)", len(documents))
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
