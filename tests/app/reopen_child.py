"""A client process that takes the first message of the outbox back to a draft ("Modifier"), then
kills itself (SIGKILL) the moment that returns — before any composer could save anything — unless
a crash point (MONSISRA_CRASHPOINT) killed it on the way.

    python -m tests.app.reopen_child SERVER_URL LOGIN DATA_DIR   (password: MONSISRA_PASSWORD)
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from app.session import AccountSession


async def main(server_url: str, login: str, data: Path) -> None:
    session = await AccountSession.open(data, server_url, login, os.environ["MONSISRA_PASSWORD"])
    [row] = session.outbox_list()
    await session.reopen_unsent(row.id)
    os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], Path(sys.argv[3])))
