"""Opening and saving the documents of received messages.

A document's content is fetched from the server the first time it is opened and kept in the
encrypted cache (within the size budget the user chose), so it opens offline afterwards. The
system's viewer needs a file: it gets a private copy in a folder only this user can read, wiped
when the session ends (app/copies.py).

A name comes from the sender: it is made safe once (`safe_file_name`) and that name is the one
shown, checked, asked for in the download and written. A document whose name or declared type
says the system would run it rather than show it (`runs_code`) is never handed to the system's
opener: it can only be saved, to be checked before anyone opens it.

A document is downloaded once, whoever asks: opening it, the prefetch (app/sync/prefetch.py) and
the patient reader (app/sync/patients.py, which reads the XDM packages of the same recent
messages while the prefetch keeps them) wait for a download of the same blob under way, then take
it from the cache.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import queue
import re
import secrets
import threading
import unicodedata
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from app import logs, messages
from app.copies import PrivateCopies, mark_of_the_web
from app.errors import CoreError
from app.remote.blobs import BlobTooLarge, download_chunks
from app.remote.http import ServerUnreachable, TlsFailure
from app.remote.jmap import JmapClient, TransferTooSlow
from app.store import attachments
from app.store.db import Cache, Connection, DiskError
from app.store.grouped import GroupedWrites
from app.text import strip_bidi

log = logs.get("attachments")

DEFAULT_BUDGET = 500 * 1024 * 1024
IN_MEMORY_LIMIT = 32 * 1024 * 1024
MAX_NAME_CHARS = 120
MAX_NAME_BYTES = 200  # UTF-8: file systems count bytes (255 on most), and a suffix may be added
SAVED_MODE = 0o664  # a saved document is the user's file: the umask decides, never world-writable
_FORBIDDEN = re.compile(r'[\\/:*?"<>|]+')
# Names Windows keeps for devices, whatever the extension (`CON.tar.gz`) or trailing spaces.
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    "CONIN$",
    "CONOUT$",
    *(f"{port}{n}" for port in ("COM", "LPT") for n in "0123456789\u00b9\u00b2\u00b3"),
}

# What the system runs rather than shows when a file is opened, by the last extension of the
# name as saved. Windows: programs, installers, scripts, shortcuts, help files and disk images
# (whose contents lose the Mark-of-the-Web); macOS and Linux: bundles, scripts, launchers and
# packages; and the interpreters' files (Java, Python, Perl) wherever they are installed.
EXECUTABLE_EXTENSIONS = frozenset(
    {
        # Windows programs and installers
        *("exe", "com", "scr", "pif", "cpl", "msi", "msp", "mst", "msu", "msix", "msixbundle"),
        *("appx", "appxbundle", "appinstaller", "application", "appref-ms", "xbap", "gadget"),
        # Windows scripts and what runs them
        *("bat", "cmd", "js", "jse", "vb", "vbs", "vbe", "wsf", "wsh", "ws", "wsc", "sct", "hta"),
        *("ps1", "ps1xml", "ps2", "ps2xml", "psc1", "psc2", "psd1", "psm1"),
        *("msh", "msh1", "msh2", "mshxml", "msh1xml", "msh2xml"),
        *("reg", "inf", "ins", "isp", "msc", "scf", "chm", "hlp", "xll", "diagcab", "wsb"),
        # Windows shortcuts and links, disk images
        *("lnk", "url", "website", "settingcontent-ms", "iso", "img", "vhd", "vhdx"),
        # Interpreters
        *("jar", "jnlp", "py", "pyw", "pyc", "pyo", "pyz", "pyzw", "pl"),
        # macOS
        *("app", "command", "tool", "terminal", "workflow", "action", "scpt", "applescript"),
        *("dmg", "pkg", "mpkg", "webloc", "inetloc", "fileloc"),
        # Linux and other Unix systems
        *("sh", "bash", "zsh", "csh", "ksh", "run", "bin", "desktop", "appimage"),
        *("deb", "rpm", "snap", "flatpak", "flatpakref"),
    }
)
# Types a sender declares for programs. Declared, the type is believed even when the name looks
# harmless: nobody sends a report as `application/x-msdownload` by mistake.
EXECUTABLE_TYPES = frozenset(
    {
        *("application/x-msdownload", "application/x-msdos-program", "application/x-dosexec"),
        *("application/vnd.microsoft.portable-executable", "application/x-ms-dos-executable"),
        *("application/x-msi", "application/x-ms-installer", "application/x-ms-shortcut"),
        *("application/x-ms-application", "application/x-ms-xbap", "application/hta"),
        *("application/x-bat", "application/x-sh", "application/x-shellscript", "text/x-sh"),
        *("text/x-shellscript", "application/x-csh", "application/x-executable"),
        *("application/javascript", "application/x-javascript", "text/javascript"),
        *("text/vbscript", "application/x-vbscript", "application/x-powershell"),
        *("application/java-archive", "application/x-java-archive", "application/x-java-jnlp-file"),
        *("text/x-python", "application/x-python-code", "application/x-desktop"),
        *("application/x-apple-diskimage", "application/x-mach-binary", "application/x-rpm"),
        *("application/x-debian-package", "application/vnd.debian.binary-package"),
        *("application/vnd.appimage", "application/x-iso9660-appimage"),
    }
)


class NotAvailableOffline(CoreError):
    message = messages.NOT_AVAILABLE_OFFLINE


class RunsCode(CoreError):
    message = messages.RUNS_CODE


class NotSaved(CoreError):
    message = messages.NOT_SAVED


def safe_file_name(name: str | None, fallback: str = "document") -> str:
    """A name any file system accepts and that cannot escape its folder: no bidirectional or
    other control characters, no separators, no reserved Windows names, no leading or trailing
    dots or spaces, at most MAX_NAME_CHARS characters and MAX_NAME_BYTES bytes, the extension
    (≤ 16 characters after the last dot) kept when it is shortened. Applied twice, it changes
    nothing more."""
    text = unicodedata.normalize("NFC", strip_bidi(name or ""))
    text = "".join(ch for ch in text if ch.isprintable())
    text = _FORBIDDEN.sub("_", text).strip(" .") or fallback
    stem, dot, suffix = text.rpartition(".")
    if not dot or len(suffix) > 16:
        stem, suffix = text, ""
    if stem.split(".")[0].rstrip(" ").upper() in _RESERVED:
        stem = "_" + stem
    tail = f".{suffix}" if suffix else ""
    stem = stem[: MAX_NAME_CHARS - len(tail)]
    while len((stem + tail).encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return (stem + tail).rstrip(" .") or fallback


def runs_code(name: str | None, type_: str | None = None) -> bool:
    """True when opening it would run a program rather than show a document: by the last
    extension of the name as saved (`ordonnance.pdf.exe` is a program), or by a program type the
    sender declared, whatever the name says."""
    _stem, dot, suffix = safe_file_name(name).rpartition(".")
    if dot and suffix.casefold() in EXECUTABLE_EXTENSIONS:
        return True
    declared = (type_ or "").split(";")[0].strip().casefold()
    return declared in EXECUTABLE_TYPES


class CachedContent(io.RawIOBase):
    """A document's content read from the encrypted cache as it is asked for: seekable and
    read-only, for a reader that pulls blocks (PDFium, for the reader's PDF previews). Nothing
    decrypted is written to disk and only the chunks a read spans are in memory. A read of a
    document evicted meanwhile, or after the cache closed, is short (an error to the reader)."""

    def __init__(self, cache: Cache, blob_id: str, size: int) -> None:
        super().__init__()
        self.cache = cache
        self.blob_id = blob_id
        self.size = size
        self.position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence]
        if base + offset < 0:
            raise ValueError("negative position")
        self.position = base + offset
        return self.position

    def tell(self) -> int:
        return self.position

    def readinto(self, buffer: Any) -> int:
        wanted = min(len(memoryview(buffer).cast("B")), max(0, self.size - self.position))
        try:
            with self.cache.read() as conn:
                data = attachments.read_range(conn, self.blob_id, self.position, wanted)
        except CoreError:  # evicted, or the session closed: nothing more to read
            return 0
        memoryview(buffer).cast("B")[: len(data)] = data
        self.position += len(data)
        return len(data)


class Attachments:
    """The documents of one account: in the cache, as private copies for the viewer (in
    `copies`, which the session owns and wipes), and saved where the user chooses. `origin` (the
    server's URL) goes into the Mark-of-the-Web of what is written, on Windows."""

    def __init__(
        self,
        cache: Cache,
        jmap: JmapClient | None,
        copies: PrivateCopies,
        *,
        budget_bytes: int = DEFAULT_BUDGET,
        origin: str | None = None,
    ) -> None:
        self.cache = cache
        self.jmap = jmap
        self.copies = copies
        self.budget_bytes = budget_bytes
        self.origin = origin
        self._downloads: dict[str, asyncio.Event] = {}  # blob id → set when its download ends
        self._kept: GroupedWrites[_Kept] = GroupedWrites(
            cache, lambda conn, kept: _keep_if_room(conn, kept, self.budget_bytes)
        )

    async def ensure(self, blob_id: str, name: str, type_: str, size: int = 0) -> int:
        """The document's content in the cache (fetched now if needed); returns its size."""
        stored = await self._cached_size(blob_id)
        if stored is not None:
            await self.cache.write(partial(attachments.touch, blob_id=blob_id))
            return stored
        with self._downloading(blob_id):
            stored = await self._download(blob_id, name, type_, size)
        # The document just fetched stays even when it alone exceeds the budget: it is being
        # opened. Older ones go first; it goes when the next one comes.
        freed = await self.cache.write(
            partial(attachments.evict_to_budget, budget_bytes=max(self.budget_bytes, stored))
        )
        if freed:
            log.info("cache budget: %d bytes of older documents let go", freed)
        return stored

    async def keep_offline(self, blob_id: str, name: str, type_: str, size: int, at_ms: int) -> int:
        """Fetched ahead, before anyone opens it (app/sync/prefetch.py): stored as opening it
        would, with `at_ms` (its message's date) as its last access, so that documents never
        opened go before opened ones, the oldest first. The caller keeps the budget. Already
        there (the patient reader kept it meanwhile): not downloaded again."""
        stored = await self._cached_size(blob_id)
        if stored is not None:
            return stored
        with self._downloading(blob_id):
            return await self._download(blob_id, name, type_, size, at_ms)

    async def read_small(
        self,
        blob_id: str,
        name: str,
        type_: str,
        max_bytes: int,
        keep_at_ms: int | None,
        *,
        cached: bool = True,
        gate: asyncio.Semaphore | None = None,
    ) -> bytes:
        """The whole content of a small document for the app's own reading (an XDM package),
        from the cache when it is there, else downloaded (BlobTooLarge past `max_bytes`) and,
        with `keep_at_ms`, kept in the cache as keep_offline keeps it when the budget has room
        for it (nothing is let go for it: the prefetch decides what stays). `cached=False` when
        the caller just learnt that the cache lacks it (`available`, for many at once): the cache
        is then read only after a download of it that was under way. `gate` bounds the caller's
        downloads in flight, not its waits for the cache's writer (which stores the pages of a
        first sync meanwhile). ServerUnreachable (not NotAvailableOffline) when the server does
        not answer: the caller stops its run."""
        while cached or blob_id in self._downloads:
            await self._no_download_of(blob_id)
            data = await asyncio.to_thread(self._cached_bytes, blob_id, max_bytes)
            if data is not None:
                return data
            if blob_id not in self._downloads:  # nobody started it while we looked
                break
        if self.jmap is None:
            raise NotAvailableOffline("not cached")
        with self._downloading(blob_id):
            async with gate or contextlib.nullcontext():
                data = await self.jmap.download_bytes(
                    blob_id, safe_file_name(name), type_, max_bytes
                )
            if keep_at_ms is not None:
                # With the other packages that came meanwhile: one transaction for them all.
                await self._kept.add(_Kept(blob_id, data, keep_at_ms))
        return data

    async def _cached_size(self, blob_id: str) -> int | None:
        """The size of the blob's content in the cache (after a download of it under way)."""
        while True:
            await self._no_download_of(blob_id)
            stored = await self.cache.write(partial(attachments.content_size, blob_id=blob_id))
            if stored is not None or blob_id not in self._downloads:
                return stored

    async def _no_download_of(self, blob_id: str) -> None:
        while (running := self._downloads.get(blob_id)) is not None:
            await running.wait()

    @contextlib.contextmanager
    def _downloading(self, blob_id: str) -> Iterator[None]:
        """Marks a download of `blob_id` under way: others asking for it wait for its end."""
        ended = asyncio.Event()
        self._downloads[blob_id] = ended
        try:
            yield
        finally:
            del self._downloads[blob_id]
            ended.set()

    def _cached_bytes(self, blob_id: str, max_bytes: int) -> bytes | None:
        """In a worker thread: the cached content whole, None when the cache lacks it."""
        with self.cache.read() as conn:
            stored = attachments.content_size(conn, blob_id)
            if stored is None:
                return None
            if stored > max_bytes:
                raise BlobTooLarge(f"cached content over {max_bytes}")
            try:
                return b"".join(attachments.read_content(conn, blob_id))
            except attachments.ContentMissing:  # let go since: downloaded again
                return None

    def available(self, blob_ids: Iterable[str]) -> set[str]:
        """Those of `blob_ids` whose content is in the cache (they open offline)."""
        with self.cache.read() as conn:
            return {b for b in blob_ids if attachments.has_content(conn, b)}

    async def _download(
        self, blob_id: str, name: str, type_: str, size: int, at_ms: int | None = None
    ) -> int:
        """From the server into the cache (last access `at_ms`, else now); returns the size
        stored. The download asks for it under its safe name: the name is only a hint to the
        server, and a raw one (`..`, `a/b`) would make the download URL point elsewhere.
        NotAvailableOffline without the server."""
        if self.jmap is None:
            raise NotAvailableOffline("not cached")
        # Closed here, not when collected: a writer that stopped first leaves the download
        # unfinished, and its connection should not stay open until then.
        downloading = download_chunks(self.jmap, blob_id, safe_file_name(name), type_)
        try:
            async with contextlib.aclosing(downloading) as chunks:
                if size <= IN_MEMORY_LIMIT:
                    data = b"".join([c async for c in chunks])
                    return await self.cache.write(
                        partial(
                            attachments.put_content, blob_id=blob_id, chunks=[data], now_ms=at_ms
                        )
                    )
                return await self._stream_into_cache(blob_id, chunks, at_ms)
        except (TlsFailure, TransferTooSlow):
            raise  # not "offline": the secure connection refused, or the link too slow: say why
        except ServerUnreachable:
            raise NotAvailableOffline("offline") from None

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

    async def _stream_into_cache(
        self, blob_id: str, chunks: AsyncIterator[bytes], at_ms: int | None
    ) -> int:
        """A large document: the writer consumes pieces as they arrive (bounded queue)."""
        pieces: queue.Queue[bytes | None] = queue.Queue(maxsize=8)

        def feed() -> Iterator[bytes]:
            while (piece := pieces.get()) is not None:
                yield piece

        writing = asyncio.ensure_future(
            self.cache.write(
                partial(attachments.put_content, blob_id=blob_id, chunks=feed(), now_ms=at_ms)
            )
        )
        # The writer may stop reading first (a full disk): then nothing more is queued, or the
        # download would wait for room in the queue forever.
        ended = threading.Event()
        writing.add_done_callback(lambda _: ended.set())

        def put(piece: bytes | None) -> None:
            while not ended.is_set():
                with contextlib.suppress(queue.Full):
                    pieces.put(piece, timeout=0.25)
                    return

        try:
            async for piece in chunks:
                await asyncio.to_thread(put, piece)
                if ended.is_set():
                    break
        finally:
            await asyncio.to_thread(put, None)
        return await writing

    async def content(self, blob_id: str, name: str, type_: str, size: int = 0) -> CachedContent:
        """The document's content to read in place from the cache (fetched first if needed), for
        the app's own previews: no copy on disk."""
        stored = await self.ensure(blob_id, safe_file_name(name), type_, size)
        return CachedContent(self.cache, blob_id, stored)

    async def open_copy(self, blob_id: str, name: str, type_: str, size: int = 0) -> Path:
        """A private copy for the system's viewer, under the document's safe name (wiped with
        the session's copies). RunsCode for a program: it can be saved, not opened from here."""
        if runs_code(safe_file_name(name), type_):
            raise RunsCode(f"refused to open a program ({type_})")
        return await self.private_copy(blob_id, name, type_, size)

    async def private_copy(self, blob_id: str, name: str, type_: str, size: int = 0) -> Path:
        """A private copy under the document's safe name for the app's own use (a forward attaches
        it to a new message), never handed to the system's opener: programs too."""
        safe = safe_file_name(name)
        await self.ensure(blob_id, safe, type_, size)
        return await asyncio.to_thread(self._write_copy, blob_id, safe)

    async def save_as(self, blob_id: str, name: str, type_: str, dest: Path, size: int = 0) -> Path:
        """Where the user chose (their choice of folder and name is kept): written beside under a
        temporary name, then renamed (no half file), with the permissions the user's umask gives
        a new file, never writable by everyone. NotSaved when the place refuses it."""
        await self.ensure(blob_id, name, type_, size)
        await asyncio.to_thread(self._write_saved, blob_id, dest)
        return dest

    async def copy_of(self, data: bytes, name: str, type_: str) -> Path:
        """A private copy, for the system's viewer, of a document that is no message's (one
        filed in a patient's record on the regional service): the same safe name and the same
        refusal of programs (RunsCode) as `open_copy`."""
        safe = safe_file_name(name)
        if runs_code(safe, type_):
            raise RunsCode(f"refused to open a program ({type_})")
        return await asyncio.to_thread(self._write_bytes_copy, data, safe)

    def _write_bytes_copy(self, data: bytes, name: str) -> Path:
        with _copy_place(self.copies, name) as target:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            with os.fdopen(os.open(target, flags, 0o600), "wb") as f:
                f.write(data)
        mark_of_the_web(target, self.origin)
        return target

    def _write_copy(self, blob_id: str, name: str) -> Path:
        with _copy_place(self.copies, name) as target:
            self._write(blob_id, target, 0o600)
        mark_of_the_web(target, self.origin)
        return target

    def _write_saved(self, blob_id: str, dest: Path) -> None:
        partial_path = dest.with_name(f".monsisra-{secrets.token_hex(6)}.part")
        try:
            self._write(blob_id, partial_path, SAVED_MODE)
            os.replace(partial_path, dest)
        except BaseException as e:
            partial_path.unlink(missing_ok=True)
            if isinstance(e, OSError):
                raise NotSaved(type(e).__name__) from None
            raise
        mark_of_the_web(dest, self.origin)

    def _write(self, blob_id: str, target: Path, mode: int) -> None:
        """A new file (never one already there, nor through a link), in binary on Windows too."""
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        fd = os.open(target, flags, mode)
        with os.fdopen(fd, "wb") as f, self.cache.read() as conn:
            for piece in attachments.read_content(conn, blob_id):
                f.write(piece)


@contextlib.contextmanager
def _copy_place(copies: PrivateCopies, name: str) -> Iterator[Path]:
    """Where a private copy goes; a copy the disk had no room for (or any write failure) is
    removed, never left half written for a viewer, and said as DiskError."""
    try:
        target = copies.new_place() / name
    except OSError as e:
        raise DiskError(type(e).__name__) from None
    try:
        yield target
    except OSError as e:
        target.unlink(missing_ok=True)
        raise DiskError(type(e).__name__) from None


@dataclass(frozen=True)
class _Kept:
    blob_id: str
    data: bytes
    at_ms: int  # its last access: its message's date


def _keep_if_room(conn: Connection, kept: list[_Kept], budget: int) -> None:
    """Each stored (last access `at_ms`) while the budget has room for it: nothing is let go for
    them."""
    used = attachments.total_size(conn)
    for one in kept:
        if used + len(one.data) <= budget:
            used += attachments.put_content(conn, one.blob_id, [one.data], now_ms=one.at_ms)
