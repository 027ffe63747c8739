"""Documents of received messages: fetched on first open, kept encrypted, opened offline, copied
for the viewer in a private folder that is wiped; hostile names made safe, programs never opened."""

from __future__ import annotations

import asyncio
import os
import stat
import threading
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app import copies as copies_mod
from app.attachments import (
    MAX_NAME_BYTES,
    MAX_NAME_CHARS,
    Attachments,
    NotAvailableOffline,
    NotSaved,
    RunsCode,
    runs_code,
    safe_file_name,
)
from app.copies import PrivateCopies, zone_identifier
from app.remote.blobs import BlobTooLarge
from app.store import attachments as content
from app.store import mail
from app.store.db import Cache
from app.sync.engine import SyncEngine
from app.text import BIDI_CONTROLS, strip_bidi
from server.testing import ServerThread
from tests.app.jmap_helpers import jmap_client
from tests.app.test_sync_engine import GP


def _documents(cache: Cache) -> list[tuple[str, str, str, int]]:
    with cache.read() as conn:
        out = []
        for email_id in mail.email_ids(conn):
            email = mail.get_email(conn, email_id)
            assert email is not None
            out += [
                (a.blob_id, a.name or "", a.type, a.size)
                for a in email.attachments
                if a.type == "application/pdf"
            ]
    return out


@pytest.mark.asyncio
async def test_a_document_opens_then_opens_again_offline_and_copies_are_wiped(
    demo_server: ServerThread, cache: Cache, tmp_path: Path
) -> None:
    async with jmap_client(demo_server, GP) as client:
        await SyncEngine(cache, client).sync_once()
        blob_id, name, type_, size = _documents(cache)[0]
        temp = tmp_path / "tmp"
        temp.mkdir()
        copies = PrivateCopies(tmp_path / "account", base=temp)
        online = Attachments(cache, client, copies)
        first = await online.open_copy(blob_id, name, type_, size)
        data = first.read_bytes()
        assert data.startswith(b"%PDF")
        assert len(data) == size
        assert stat.S_IMODE(first.stat().st_mode) == 0o600
        assert first.parent.parent == copies.folder
        assert stat.S_IMODE(first.parent.parent.stat().st_mode) == 0o700
        expected = await client.download_bytes(blob_id, name, type_, 10_000_000)
        assert data == expected
    offline = Attachments(cache, None, copies)
    again = await offline.open_copy(blob_id, name, type_, size)
    assert again.read_bytes() == data
    documents = tmp_path / "Documents"
    documents.mkdir()
    saved = await offline.save_as(blob_id, name, type_, documents / "enregistré.pdf")
    assert saved.read_bytes() == data
    assert list(documents.iterdir()) == [saved]  # no partial file left beside it
    (documents / "dossier").mkdir()
    for refused_place in (tmp_path / "absent" / "x.pdf", documents / "dossier"):
        with pytest.raises(NotSaved) as not_saved:
            await offline.save_as(blob_id, name, type_, refused_place)
        assert "Choisissez un autre dossier" in not_saved.value.message_fr
    assert sorted(p.name for p in documents.iterdir()) == ["dossier", "enregistré.pdf"]
    # The user's file: what their umask gives a new file, never writable by everyone.
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o664 & ~umask & ~0o002
    other = next(d for d in _documents(cache) if d[0] != blob_id)
    with pytest.raises(NotAvailableOffline) as refused:
        await offline.open_copy(*other)
    assert "connexion" in refused.value.message_fr
    copies.wipe()
    assert not first.exists()
    assert not again.exists()
    assert list(temp.iterdir()) == []


@pytest.mark.asyncio
async def test_a_document_asked_for_by_several_at_once_is_downloaded_once(
    demo_server: ServerThread, cache: Cache, tmp_path: Path
) -> None:
    # Opening it, the prefetch and the patient reader: the others wait for the first download.
    downloads: list[str] = []

    async def count(request: httpx.Request) -> None:
        if "/download/" in request.url.path:
            downloads.append(request.url.path)

    async with jmap_client(demo_server, GP, event_hooks={"request": [count]}) as client:
        await SyncEngine(cache, client).sync_once()
        blob_id, name, type_, size = _documents(cache)[0]
        documents = Attachments(cache, client, PrivateCopies(tmp_path / "account", base=tmp_path))
        opened, kept, read, read_old = await asyncio.gather(
            documents.ensure(blob_id, name, type_, size),
            documents.keep_offline(blob_id, name, type_, size, at_ms=1),
            documents.read_small(blob_id, name, type_, size, keep_at_ms=2),
            documents.read_small(blob_id, name, type_, size, keep_at_ms=None),
        )
        again = await documents.read_small(blob_id, name, type_, size, keep_at_ms=None)
        expected = await client.download_bytes(blob_id, name, type_, size)
    assert len(downloads) == 2  # one for the four, and the check just above
    assert opened == kept == size
    assert read == read_old == again == expected
    with cache.read() as conn:
        assert b"".join(content.read_content(conn, blob_id)) == expected


@pytest.mark.asyncio
async def test_packages_waiting_for_the_writer_do_not_hold_back_the_next_downloads(
    demo_server: ServerThread, cache: Cache, tmp_path: Path
) -> None:
    """The gate bounds downloads in flight: during a first sync the writer stores pages, and a
    package downloaded and waiting to be kept must not stop the next from downloading."""
    downloads: list[str] = []

    async def count(request: httpx.Request) -> None:
        if "/download/" in request.url.path:
            downloads.append(request.url.path)

    async with jmap_client(demo_server, GP, event_hooks={"request": [count]}) as client:
        await SyncEngine(cache, client).sync_once()
        wanted = _documents(cache)[:3]
        documents = Attachments(cache, client, PrivateCopies(tmp_path / "account", base=tmp_path))
        release, started = threading.Event(), threading.Event()

        def busy(_conn: object) -> None:
            started.set()
            release.wait(10)

        holding = asyncio.ensure_future(cache.write(busy))
        await asyncio.to_thread(started.wait, 10)
        gate = asyncio.Semaphore(1)
        reading = [
            asyncio.ensure_future(
                documents.read_small(b, n, t, s, keep_at_ms=1, cached=False, gate=gate)
            )
            for b, n, t, s in wanted
        ]
        for _ in range(200):  # all three downloaded, one at a time, the writer still busy
            if len(downloads) == 3 and not gate.locked():
                break
            await asyncio.sleep(0.02)
        assert len(downloads) == 3
        assert not any(r.done() for r in reading)  # each waits until it is kept
        release.set()
        await holding
        got = await asyncio.gather(*reading)
    assert [len(g) for g in got] == [s for _b, _n, _t, s in wanted]
    assert documents.available([b for b, *_ in wanted]) == {b for b, *_ in wanted}


@pytest.mark.asyncio
async def test_a_package_said_absent_is_taken_from_a_download_under_way_not_fetched_again(
    demo_server: ServerThread, cache: Cache, tmp_path: Path
) -> None:
    downloads: list[str] = []

    async def count(request: httpx.Request) -> None:
        if "/download/" in request.url.path:
            downloads.append(request.url.path)

    async with jmap_client(demo_server, GP, event_hooks={"request": [count]}) as client:
        await SyncEngine(cache, client).sync_once()
        blob_id, name, type_, size = _documents(cache)[0]
        documents = Attachments(cache, client, PrivateCopies(tmp_path / "account", base=tmp_path))
        opening = asyncio.ensure_future(documents.ensure(blob_id, name, type_, size))
        while not downloads:  # the opening's download has started
            await asyncio.sleep(0.001)
        read = await documents.read_small(blob_id, name, type_, size, None, cached=False)
        assert await opening == size
    assert len(read) == size
    assert len(downloads) == 1


@pytest.mark.asyncio
async def test_a_package_read_is_kept_only_where_the_budget_has_room(
    demo_server: ServerThread, cache: Cache, tmp_path: Path
) -> None:
    async with jmap_client(demo_server, GP) as client:
        await SyncEngine(cache, client).sync_once()
        (blob_a, name_a, type_a, size_a), (blob_b, name_b, type_b, size_b) = _documents(cache)[:2]
        copies = PrivateCopies(tmp_path / "account", base=tmp_path)
        documents = Attachments(cache, client, copies, budget_bytes=size_a + size_b - 1)
        await documents.read_small(blob_a, name_a, type_a, size_a, keep_at_ms=1)
        data = await documents.read_small(blob_b, name_b, type_b, size_b, keep_at_ms=1)
    assert len(data) == size_b  # read all the same, not kept: nothing was let go for it
    assert documents.available([blob_a, blob_b]) == {blob_a}


@pytest.mark.asyncio
async def test_a_package_over_its_limit_in_the_cache_is_refused(
    demo_server: ServerThread, cache: Cache, tmp_path: Path
) -> None:
    async with jmap_client(demo_server, GP) as client:
        await SyncEngine(cache, client).sync_once()
        blob_id, name, type_, size = _documents(cache)[0]
        documents = Attachments(cache, client, PrivateCopies(tmp_path / "account", base=tmp_path))
        await documents.ensure(blob_id, name, type_, size)
        with pytest.raises(BlobTooLarge):
            await documents.read_small(blob_id, name, type_, size - 1, keep_at_ms=None)


@pytest.mark.asyncio
async def test_the_budget_lets_older_documents_go(
    demo_server: ServerThread, cache: Cache, tmp_path: Path
) -> None:
    async with jmap_client(demo_server, GP) as client:
        await SyncEngine(cache, client).sync_once()
        documents = _documents(cache)[:6]
        budget = sum(d[3] for d in documents[:3]) + 10
        copies = PrivateCopies(tmp_path / "account", base=tmp_path)
        store = Attachments(cache, client, copies, budget_bytes=budget)
        for document in documents:
            await store.ensure(*document)
        with cache.read() as conn:
            assert content.total_size(conn) <= budget
            assert content.has_content(conn, documents[-1][0])  # the newest stays
            assert not content.has_content(conn, documents[0][0])  # the oldest went


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "_.._etc_passwd"),
        ("C:\\Windows\\system32\\evil.exe", "C_Windows_system32_evil.exe"),
        ("compte rendu n°2 (été).pdf", "compte rendu n°2 (été).pdf"),
        ("CON.txt", "_CON.txt"),
        ("a\x00b\nc.pdf", "abc.pdf"),
        ("...", "document"),
        ("", "document"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
        # Shown as "ordonnanceexe.jpg", saved and run as a program: shown as saved instead.
        ("ordonnance\u202egpj.exe", "ordonnancegpj.exe"),
        ("\u2067rapport\u2069.pdf\u200f", "rapport.pdf"),
        ("..", "document"),
        ("../../.bashrc", "_.._.bashrc"),
        (".", "document"),
        ("   ", "document"),
        # Windows ignores trailing dots and spaces: `x.exe. ` would be `x.exe` there.
        ("lettre.exe. . ", "lettre.exe"),
        # Device names, whatever follows the first dot.
        ("con.tar.gz", "_con.tar.gz"),
        ("LPT1 .txt", "_LPT1 .txt"),
        ("COM\u00b9.pdf", "_COM\u00b9.pdf"),
        ("CONIN$", "_CONIN$"),
        ("compte rendu\r\nBcc: x@y.fr.pdf", "compte renduBcc_ x@y.fr.pdf"),
        ("a\u200bb\ufeff.pdf", "ab.pdf"),
        # Not an extension past 16 characters: nothing to keep, the end is cut.
        ("a." + "b" * 200, "a." + "b" * 118),
        # Bytes count too (4 bytes a character here): 200 at most.
        ("\U0001f600" * 100 + ".pdf", "\U0001f600" * 49 + ".pdf"),
    ],
)
def test_odd_file_names_become_safe(given: str, expected: str) -> None:
    assert safe_file_name(given) == expected


@given(st.text(max_size=400))
def test_a_safe_name_stays_in_its_folder_and_is_stable(name: str) -> None:
    safe = safe_file_name(name)
    assert safe == safe_file_name(safe)
    assert safe
    assert safe not in {".", ".."}
    assert not set(safe) & set('\\/:*?"<>|')
    assert all(ch.isprintable() for ch in safe)
    assert safe[0] not in " ."
    assert safe[-1] not in " ."
    assert len(safe) <= MAX_NAME_CHARS
    assert len(safe.encode("utf-8")) <= MAX_NAME_BYTES


@pytest.mark.parametrize(
    ("name", "type_", "runs"),
    [
        ("compte rendu.pdf", "application/pdf", False),
        ("radio.JPG", "image/jpeg", False),
        ("synthese.docx", "application/octet-stream", False),
        ("ordonnance\u202egpj.exe", "image/jpeg", True),  # the RTL trick
        ("ordonnance.pdf.exe", "application/pdf", True),  # the last extension counts
        ("ordonnance.exe.pdf", "application/pdf", False),
        ("LETTRE.SCR", "application/pdf", True),
        ("lettre.exe. . ", "application/pdf", True),  # what Windows would make of it
        ("lettre.exe\u200b", "application/pdf", True),
        ("setup.msi", "", True),
        ("raccourci.lnk", None, True),
        ("lanceur.desktop", "text/plain", True),
        ("script.sh", "text/plain", True),
        ("Installer.app", "", True),
        ("../.config/autostart/x.desktop", "", True),
        ("outil.ps1", "", True),
        ("archive.jar", "", True),
        ("paquet.AppImage", "", True),
        # The sender says it is a program: believed, whatever the name claims.
        ("compte rendu.pdf", "application/x-msdownload", True),
        ("compte rendu.pdf", "Application/X-MSDownload; name=x.exe", True),
        ("notes.txt", "application/x-sh", True),
    ],
)
def test_programs_are_told_apart_from_documents(name: str, type_: str | None, runs: bool) -> None:
    assert runs_code(name, type_) is runs


@pytest.mark.asyncio
async def test_hostile_names_open_and_save_under_their_safe_name(
    demo_server: ServerThread, cache: Cache, tmp_path: Path
) -> None:
    names = ["..", "../../.bashrc", "", ".", "a/b.pdf", "CON", "nuit\n2.pdf", "x" * 300 + ".pdf"]
    async with jmap_client(demo_server, GP) as client:
        await SyncEngine(cache, client).sync_once()
        documents = _documents(cache)
        copies = PrivateCopies(tmp_path / "account", base=tmp_path)
        store = Attachments(cache, client, copies)
        saved = tmp_path / "enregistrés"
        saved.mkdir()
        for name, (blob_id, _name, type_, size) in zip(names, documents, strict=False):
            # Downloaded (not in the cache yet) under the hostile name as given.
            copy = await store.open_copy(blob_id, name, type_, size)
            assert copy.name == safe_file_name(name)
            assert copy.parent.parent == copies.folder
            assert copy.read_bytes().startswith(b"%PDF")
            dest = saved / safe_file_name(name)
            assert await store.save_as(blob_id, name, type_, dest, size) == dest
            assert dest.read_bytes() == copy.read_bytes()
        assert sorted(p.name for p in saved.iterdir()) == sorted(set(map(safe_file_name, names)))
        copies.wipe()


@pytest.mark.asyncio
async def test_a_program_is_saved_but_never_copied_for_the_viewer(
    demo_server: ServerThread, cache: Cache, tmp_path: Path
) -> None:
    async with jmap_client(demo_server, GP) as client:
        await SyncEngine(cache, client).sync_once()
        blob_id, _name, type_, size = _documents(cache)[0]
        copies = PrivateCopies(tmp_path / "account", base=tmp_path / "copies")
        store = Attachments(cache, client, copies)
        for name, declared in [
            ("ordonnance\u202egpj.exe", "image/jpeg"),
            ("compte rendu.pdf", "application/x-msdownload"),
        ]:
            with pytest.raises(RunsCode) as refused:
                await store.open_copy(blob_id, name, declared, size)
            assert "Enregistrez-le" in refused.value.message_fr
        assert copies.folder is None  # nothing written for the viewer
        with cache.read() as conn:
            assert not content.has_content(conn, blob_id)  # not even fetched
        dest = tmp_path / "ordonnancegpj.exe"
        assert await store.save_as(blob_id, "ordonnance\u202egpj.exe", type_, dest, size) == dest
        assert dest.read_bytes().startswith(b"%PDF")
        assert not os.access(dest, os.X_OK)
        # Forwarded, it passes on: a private copy for the new message, never opened here.
        copies.base.mkdir()
        forwarded = await store.private_copy(blob_id, "ordonnance\u202egpj.exe", type_, size)
        assert forwarded.name == "ordonnancegpj.exe"
        assert copies.folder in forwarded.parents
        assert forwarded.read_bytes() == dest.read_bytes()
        copies.wipe()


@pytest.mark.asyncio
async def test_on_windows_written_documents_carry_the_mark_of_the_web(
    demo_server: ServerThread, cache: Cache, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Windows branch runs here; `name:Zone.Identifier` is an alternate data stream on NTFS
    and an ordinary file elsewhere, which lets this test read what Windows would get (the stream
    itself can only be checked on Windows)."""
    mark = b"[ZoneTransfer]\r\nZoneId=3\r\nHostUrl=" + demo_server.base_url.encode() + b"/\r\n"
    async with jmap_client(demo_server, GP) as client:
        await SyncEngine(cache, client).sync_once()
        blob_id, name, type_, size = _documents(cache)[0]
        copies = PrivateCopies(tmp_path / "account", base=tmp_path)
        store = Attachments(cache, client, copies, origin=demo_server.base_url)
        unmarked = await store.open_copy(blob_id, name, type_, size)
        assert list(unmarked.parent.iterdir()) == [unmarked]  # elsewhere: no mark
        monkeypatch.setattr(copies_mod, "ON_WINDOWS", True)
        copy = await store.open_copy(blob_id, name, type_, size)
        dest = tmp_path / "enregistré.pdf"
        await store.save_as(blob_id, name, type_, dest, size)
        for written in (copy, dest):
            assert Path(f"{written}:Zone.Identifier").read_bytes() == mark
        copies.wipe()
    # The server's origin only: never a user name or password its URL might carry.
    assert zone_identifier("https://jean:secret@mss.example.fr:8443/jmap?x=1") == (
        b"[ZoneTransfer]\r\nZoneId=3\r\nHostUrl=https://mss.example.fr:8443/\r\n"
    )
    assert zone_identifier(None) == b"[ZoneTransfer]\r\nZoneId=3\r\n"


@given(st.text(alphabet=st.sampled_from("ab.é" + "".join(BIDI_CONTROLS)), max_size=40))
def test_saved_name_is_the_name_shown(name: str) -> None:
    """What the screen shows (bidirectional controls removed) is what is saved: an override
    cannot make "ordonnance<U+202E>gpj.exe" saved as one name and read as another."""
    shown = strip_bidi(name)
    assert safe_file_name(name) == safe_file_name(shown)
    assert not set(safe_file_name(name)) & BIDI_CONTROLS
    assert safe_file_name("ordonnance\u202egpj.exe") == "ordonnancegpj.exe"
