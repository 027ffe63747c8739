"""A client process that opens an account, syncs it, opens its first document for the viewer,
prints the private copy's path as one JSON line, then waits to be killed (SIGKILL: the way a
crash, a power cut or `kill -9` ends it, without any clean-up).

    python -m tests.app.copies_child SERVER_URL LOGIN DATA_DIR   (password: MONSISRA_PASSWORD)
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from app.session import AccountSession
from app.store import mail
from app.store.records import AttachmentRecord


def first_document(session: AccountSession) -> AttachmentRecord:
    """The first document of the cached messages."""
    with session.account.cache.read() as conn:
        emails = [mail.get_email(conn, i) for i in sorted(mail.email_ids(conn))]
    return next(a for e in emails if e is not None for a in e.attachments)


async def main(server_url: str, login: str, data: Path) -> None:
    session = await AccountSession.open(data, server_url, login, os.environ["MONSISRA_PASSWORD"])
    assert session.engine is not None, "the child must open the account online"
    await session.engine.sync_once()
    document = first_document(session)
    copy = await session.open_document(
        document.blob_id, document.name or "", document.type, document.size
    )
    print(json.dumps({"copy": str(copy)}), flush=True)
    await asyncio.Event().wait()  # until killed


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], Path(sys.argv[3])))
