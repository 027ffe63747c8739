"""Opening and saving the documents of received messages.

A document's content is fetched from the server the first time it is opened and kept in the
encrypted cache (within the size budget the user chose), so it opens offline afterwards. The
system's viewer needs a file: it gets a private copy in a folder only this user can read, wiped
when the session ends.
"""

from __future__ import annotations

import asyncio
import os
import queue
import re
import shutil
import tempfile
import unicodedata
from collections.abc import AsyncIterator, Iterator
from functools import partial
from pathlib import Path

from app import logs
from app.errors import CoreError
from app.remote.blobs import download_chunks
from app.remote.http import ServerUnreachable, TlsFailure
from app.remote.jmap import JmapClient
from app.store import attachments
from app.store.db import Cache

log = logs.get("attachments")

DEFAULT_BUDGET = 500 * 1024 * 1024
IN_MEMORY_LIMIT = 32 * 1024 * 1024
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}


class NotAvailableOffline(CoreError):
    message_fr = (
        "Ce document n'a pas encore été ouvert sur cet ordinateur : il sera disponible au retour "
        "de la connexion."
    )


def safe_file_name(name: str | None, fallback: str = "document") -> str:
    """A name any file system accepts and that cannot escape its folder: no separators, no
    control characters, no reserved Windows names, no trailing dots or spaces, ≤ 120 chars."""
    text = unicodedata.normalize("NFC", name or "")
    text = "".join(ch for ch in text if ch.isprintable())
    text = re.sub(r'[\\/:*?"<>|]+', "_", text).strip().strip(".").strip()
    if not text or text in {".", ".."}:
        text = fallback
    stem, dot, suffix = text.rpartition(".")
    if not dot:
        stem, suffix = text, ""
    if stem.upper() in _RESERVED:
        stem = "_" + stem
    suffix = suffix[:16]
    stem = stem[: 120 - len(suffix) - 1]
    return f"{stem}.{suffix}" if suffix else stem


class Attachments:
    def __init__(
        self,
        cache: Cache,
        jmap: JmapClient | None,
        *,
        budget_bytes: int = DEFAULT_BUDGET,
        temp_root: Path | None = None,
    ) -> None:
        self.cache = cache
        self.jmap = jmap
        self.budget_bytes = budget_bytes
        self._temp_root = temp_root
        self._private: Path | None = None

    async def ensure(self, blob_id: str, name: str, type_: str, size: int = 0) -> int:
        """The document's content in the cache (fetched now if needed); returns its size."""
        stored = await self.cache.write(partial(attachments.content_size, blob_id=blob_id))
        if stored is not None:
            await self.cache.write(partial(attachments.touch, blob_id=blob_id))
            return stored
        if self.jmap is None:
            raise NotAvailableOffline("not cached")
        chunks = download_chunks(self.jmap, blob_id, name, type_)
        try:
            if size <= IN_MEMORY_LIMIT:
                data = b"".join([c async for c in chunks])
                stored = await self.cache.write(
                    partial(attachments.put_content, blob_id=blob_id, chunks=[data])
                )
            else:
                stored = await self._stream_into_cache(blob_id, chunks)
        except TlsFailure:
            raise  # not "offline": the server's secure connection is refused, say why
        except ServerUnreachable:
            raise NotAvailableOffline("offline") from None
        # The document just fetched stays even when it alone exceeds the budget: it is being
        # opened. Older ones go first; it goes when the next one comes.
        freed = await self.cache.write(
            partial(attachments.evict_to_budget, budget_bytes=max(self.budget_bytes, stored))
        )
        if freed:
            log.info("cache budget: %d bytes of older documents let go", freed)
        return stored

    def used_bytes(self) -> int:
        """What the kept documents take in the cache now (the settings show it)."""
        with self.cache.read() as conn:
            return attachments.total_size(conn)

    async def set_budget(self, budget_bytes: int) -> int:
        """A new budget, applied now: the least recently opened documents go until the rest fits
        (they are downloaded again when opened online). Returns the bytes freed."""
        self.budget_bytes = budget_bytes
        freed = await self.cache.write(
            partial(attachments.evict_to_budget, budget_bytes=budget_bytes)
        )
        if freed:
            log.info("cache budget lowered: %d bytes of older documents let go", freed)
        return freed

    async def _stream_into_cache(self, blob_id: str, chunks: AsyncIterator[bytes]) -> int:
        """A large document: the writer consumes pieces as they arrive (bounded queue)."""
        pieces: queue.Queue[bytes | None] = queue.Queue(maxsize=8)

        def feed() -> Iterator[bytes]:
            while (piece := pieces.get()) is not None:
                yield piece

        writing = asyncio.ensure_future(
            self.cache.write(partial(attachments.put_content, blob_id=blob_id, chunks=feed()))
        )
        try:
            async for piece in chunks:
                await asyncio.to_thread(pieces.put, piece)
        finally:
            await asyncio.to_thread(pieces.put, None)
        return await writing

    async def open_copy(self, blob_id: str, name: str, type_: str, size: int = 0) -> Path:
        """A private copy for the system's viewer (wiped by `wipe`)."""
        await self.ensure(blob_id, name, type_, size)
        folder = Path(tempfile.mkdtemp(dir=self._private_root()))
        target = folder / safe_file_name(name)
        await asyncio.to_thread(self._write_copy, blob_id, target)
        return target

    async def save_as(self, blob_id: str, name: str, type_: str, dest: Path, size: int = 0) -> Path:
        """Where the user chose: written beside, then renamed (no half file)."""
        await self.ensure(blob_id, name, type_, size)
        partial_path = dest.with_name(dest.name + ".part")
        await asyncio.to_thread(self._write_copy, blob_id, partial_path)
        os.replace(partial_path, dest)
        return dest

    def _write_copy(self, blob_id: str, target: Path) -> None:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f, self.cache.read() as conn:
            for piece in attachments.read_content(conn, blob_id):
                f.write(piece)

    def _private_root(self) -> Path:
        if self._private is None:
            base = self._temp_root or Path(tempfile.gettempdir())
            self._private = Path(tempfile.mkdtemp(prefix="monsisra-", dir=base))  # mode 0700
        return self._private

    def wipe(self) -> None:
        """Deletes every private copy made in this session."""
        if self._private is not None:
            shutil.rmtree(self._private, ignore_errors=True)
            self._private = None
