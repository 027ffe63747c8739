"""What keeping raw header values costs (RFC 8621 §4.1.2.1, server/mail/mime.py): the time of a
parse of the golden messages, and of the one-time migration that sets the header lists cached
before again from each stored message's octets (area `mail_raw_headers`, server/mail/store.py).

    .venv/bin/python bench/raw_headers.py [--messages 2000]

The migration is made to run again on a sandbox of N stored messages by forgetting it was
applied (its schema_version row); the sandbox's start is timed with and without it.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server.context import Sandbox
from server.mail import mime
from server.testing import quick_config

GOLDEN = Path(__file__).resolve().parent.parent / "tests" / "app" / "golden"


def parse_time(messages: list[bytes], rounds: int = 400) -> float:
    """The best of five runs, per parse, in seconds."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(rounds):
            for raw in messages:
                mime.parse_message(raw)
        best = min(best, time.perf_counter() - start)
    return best / (rounds * len(messages))


def migration_time(messages: list[bytes], count: int) -> tuple[float, float]:
    """The sandbox's start on `count` stored messages: without, then with the migration."""
    with tempfile.TemporaryDirectory() as tmp:
        config = quick_config(Path(tmp))
        sandbox = Sandbox(config)
        account = sandbox.accounts.create("alice", "alice-secret-1", "Dr Alice", "a@example.org")
        for i in range(count):
            sandbox.mail.import_message(account.id, messages[i % len(messages)])
        sandbox.close()
        start = time.perf_counter()
        Sandbox(config).close()
        plain = time.perf_counter() - start
        conn = sqlite3.connect(config.database_path)
        with conn:
            conn.execute("DELETE FROM schema_version WHERE area = 'mail_raw_headers'")
        conn.close()
        start = time.perf_counter()
        Sandbox(config).close()
        return plain, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=2000)
    args = parser.parse_args()
    messages = [p.read_bytes() for p in sorted(GOLDEN.glob("*.eml"))]
    print(f"parse: {parse_time(messages) * 1e6:.0f} µs per golden message ({len(messages)})")
    plain, migrated = migration_time(messages, args.messages)
    print(
        f"start on {args.messages} messages: {plain:.2f} s, with the migration {migrated:.2f} s "
        f"({(migrated - plain) / args.messages * 1e3:.2f} ms per message)"
    )


if __name__ == "__main__":
    main()
