"""The child process of tests/app/test_key_memory.py: opens a real session (the vault created or
unlocked, a sync, readers on other threads), says "open" and waits; closes it (what a lock does)
and says "closed" and waits, while the parent reads this process's memory."""

from __future__ import annotations

import asyncio
import gc
import os
import sys
from pathlib import Path

from app.session import AccountSession


def pause(word: str) -> None:
    print(word, flush=True)
    sys.stdin.readline()


async def session_life(data: Path, server_url: str, login: str) -> None:
    password = os.environ["MONSISRA_PASSWORD"]
    session = await AccountSession.open(data, server_url, login, password)
    session.start()
    for _ in range(600):
        if session.mailboxes() and session.unread_total() > 0:
            break
        await asyncio.sleep(0.05)
    await asyncio.gather(*(asyncio.to_thread(session.mailboxes) for _ in range(3)))
    pause("open")
    await session.close()


def main() -> None:
    data, server_url, login = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    asyncio.run(session_life(data, server_url, login))
    gc.collect()
    pause("closed")


if __name__ == "__main__":
    main()
