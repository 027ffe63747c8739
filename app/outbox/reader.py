"""Reading the outbox's copies of documents while they upload: one thread, one connection.

Each chunk read through `asyncio.to_thread` could land on any thread of the default executor, and
each of those threads opened (and kept) its own encrypted connection, with its page cache and its
malloc arena: tens of MB for one large upload. Here a single worker thread owns one read-only
connection from the first chunk to the last, then closes it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from typing import TypeVar

from app.store import outbox as rows
from app.store.db import Cache, Connection

T = TypeVar("T")


class UnsentReader:
    """`async with UnsentReader(cache) as reader:` then `reader.source(key, size)` per document."""

    def __init__(self, cache: Cache) -> None:
        self._cache = cache
        self._executor: ThreadPoolExecutor | None = None
        self._conn: Connection | None = None

    async def __aenter__(self) -> UnsentReader:
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="outbox-reader")
        try:
            self._conn = await self._run(lambda: rows.reader_connection(self._cache))
        except BaseException:
            self._executor.shutdown(wait=False)
            self._executor = None
            raise
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        executor, conn = self._executor, self._conn
        self._executor = self._conn = None
        if executor is None:
            return
        try:
            if conn is not None:
                await asyncio.get_running_loop().run_in_executor(executor, conn.close)
        finally:
            executor.shutdown(wait=False)

    async def chunk(self, key: str, seq: int) -> bytes | None:
        """Chunk `seq` of a document, None past its end."""
        conn = self._conn
        if conn is None:
            raise RuntimeError("UnsentReader used outside its `async with` block")
        return await self._run(lambda: rows.read_document_chunk(conn, key, seq))

    def source(self, key: str, size: int) -> DocumentSource:
        return DocumentSource(self, key, size)

    async def _run(self, fn: Callable[[], T]) -> T:
        if self._executor is None:
            raise RuntimeError("UnsentReader used outside its `async with` block")
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn)


class DocumentSource:
    """A document of the unsent file as an upload source (app.remote.blobs.ChunkSource)."""

    def __init__(self, reader: UnsentReader, key: str, size: int) -> None:
        self.reader = reader
        self.key = key
        self.size = size

    async def chunks(self) -> AsyncIterator[bytes]:
        seq = 0
        while (piece := await self.reader.chunk(self.key, seq)) is not None:
            yield piece
            seq += 1
