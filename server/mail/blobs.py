"""Blobs: uploaded files and raw messages, content-addressed on disk, owned per account.

The bytes live once under blob_dir (named by their SHA-256); the `blobs` table says which account
may see which blob. A blob id is "B" + the SHA-256, so the same bytes uploaded twice are one blob,
and an account that does not own a blob cannot tell it exists.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
import time
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from server.mail import stream

if TYPE_CHECKING:
    from server.context import Sandbox

MIGRATIONS = [
    """
    CREATE TABLE blobs (
        account_id TEXT NOT NULL,
        id TEXT NOT NULL,
        size INTEGER NOT NULL,
        type TEXT NOT NULL,
        created_at REAL NOT NULL,
        PRIMARY KEY (account_id, id)
    );
    """
]

_CHUNK = 256 * 1024


@dataclass(frozen=True)
class BlobInfo:
    id: str
    size: int
    type: str


class BlobStore:
    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox
        self._dir = sandbox.config.blob_dir
        self._tmp = sandbox.config.upload_tmp_dir
        self._dir.mkdir(parents=True, exist_ok=True)
        self._tmp.mkdir(parents=True, exist_ok=True)
        sandbox.db.migrate("blobs", MIGRATIONS)

    @staticmethod
    def is_valid_id(blob_id: str) -> bool:
        return (
            len(blob_id) == 65
            and blob_id[0] == "B"
            and all(c in "0123456789abcdef" for c in blob_id[1:])
        )

    def path(self, blob_id: str) -> Path:
        if not self.is_valid_id(blob_id):
            raise ValueError("not a blob id")
        return self._dir / blob_id[1:3] / blob_id[1:]

    def put_bytes(
        self, conn: sqlite3.Connection, account_id: str, data: bytes, type_: str
    ) -> BlobInfo:
        """Stores `data` for `account_id`, inside the caller's write transaction."""
        blob_id = "B" + hashlib.sha256(data).hexdigest()
        target = self.path(blob_id)
        if not target.exists():
            with tempfile.NamedTemporaryFile(dir=self._tmp, delete=False) as f:
                f.write(data)
            self._place(Path(f.name), target)
        return self._own(conn, account_id, blob_id, len(data), type_)

    def put_chunks(
        self, conn: sqlite3.Connection, account_id: str, chunks: Iterable[bytes], type_: str
    ) -> BlobInfo:
        """Stores what `chunks` yield, written to disk as they come (large messages and their
        attachments: server/mail/stream.py), inside the caller's write transaction."""
        blob_id, size = self.store_chunks(chunks)
        return self._own(conn, account_id, blob_id, size, type_)

    def store_chunks(self, chunks: Iterable[bytes]) -> tuple[str, int]:
        """The bytes on disk, owned by nobody yet (a delivered copy, before its recipients
        import it): their blob id and size."""
        tmp, blob_id, size = stream.write_temp(self._tmp, chunks)
        target = self.path(blob_id)
        if target.exists():
            tmp.unlink()
        else:
            self._place(tmp, target)
        return blob_id, size

    def own(
        self, conn: sqlite3.Connection, account_id: str, blob_id: str, size: int, type_: str
    ) -> BlobInfo:
        """Gives `account_id` a blob already stored (a delivered copy shares the sender's)."""
        return self._own(conn, account_id, blob_id, size, type_)

    async def put_stream(
        self, account_id: str, chunks: AsyncIterator[bytes], type_: str
    ) -> BlobInfo:
        """Streams an upload to disk (never whole in memory). Its size is capped before it
        comes here (server/bodies.py)."""
        digest = hashlib.sha256()
        size = 0
        fd, name = tempfile.mkstemp(dir=self._tmp)
        tmp = Path(name)
        try:
            with os.fdopen(fd, "wb") as f:
                async for chunk in chunks:
                    size += len(chunk)
                    digest.update(chunk)
                    f.write(chunk)
            blob_id = "B" + digest.hexdigest()
            target = self.path(blob_id)
            if target.exists():
                tmp.unlink()
            else:
                self._place(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        with self._sandbox.db.write() as conn:
            return self._own(conn, account_id, blob_id, size, type_)

    def info(self, conn: sqlite3.Connection, account_id: str, blob_id: str) -> BlobInfo | None:
        if not self.is_valid_id(blob_id):
            return None
        row = conn.execute(
            "SELECT id, size, type FROM blobs WHERE account_id = ? AND id = ?",
            (account_id, blob_id),
        ).fetchone()
        return BlobInfo(row["id"], row["size"], row["type"]) if row else None

    def read_bytes(self, blob_id: str) -> bytes:
        """The content of a blob whose ownership the caller has checked."""
        return self.path(blob_id).read_bytes()

    def _own(
        self, conn: sqlite3.Connection, account_id: str, blob_id: str, size: int, type_: str
    ) -> BlobInfo:
        conn.execute(
            "INSERT OR IGNORE INTO blobs (account_id, id, size, type, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (account_id, blob_id, size, type_, time.time()),
        )
        return BlobInfo(blob_id, size, type_)

    @staticmethod
    def _place(tmp: Path, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, target)
