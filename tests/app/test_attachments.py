"""Documents of received messages: fetched on first open, kept encrypted, opened offline, copied
for the viewer in a private folder that is wiped."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.attachments import Attachments, NotAvailableOffline, safe_file_name
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
        online = Attachments(cache, client, temp_root=temp)
        first = await online.open_copy(blob_id, name, type_, size)
        data = first.read_bytes()
        assert data.startswith(b"%PDF")
        assert len(data) == size
        assert stat.S_IMODE(first.stat().st_mode) == 0o600
        assert stat.S_IMODE(first.parent.parent.stat().st_mode) == 0o700
        expected = await client.download_bytes(blob_id, name, type_, 10_000_000)
        assert data == expected
    offline = Attachments(cache, None, temp_root=temp)
    again = await offline.open_copy(blob_id, name, type_, size)
    assert again.read_bytes() == data
    saved = await offline.save_as(blob_id, name, type_, tmp_path / "enregistré.pdf")
    assert saved.read_bytes() == data
    other = next(d for d in _documents(cache) if d[0] != blob_id)
    with pytest.raises(NotAvailableOffline) as refused:
        await offline.open_copy(*other)
    assert "connexion" in refused.value.message_fr
    online.wipe()
    offline.wipe()
    assert not first.exists()
    assert not again.exists()
    assert list(temp.iterdir()) == []


@pytest.mark.asyncio
async def test_the_budget_lets_older_documents_go(
    demo_server: ServerThread, cache: Cache, tmp_path: Path
) -> None:
    async with jmap_client(demo_server, GP) as client:
        await SyncEngine(cache, client).sync_once()
        documents = _documents(cache)[:6]
        budget = sum(d[3] for d in documents[:3]) + 10
        store = Attachments(cache, client, budget_bytes=budget, temp_root=tmp_path)
        for document in documents:
            await store.ensure(*document)
        with cache.read() as conn:
            assert content.total_size(conn) <= budget
            assert content.has_content(conn, documents[-1][0])  # the newest stays
            assert not content.has_content(conn, documents[0][0])  # the oldest went
        store.wipe()


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
    ],
)
def test_odd_file_names_become_safe(given: str, expected: str) -> None:
    assert safe_file_name(given) == expected


@given(st.text(alphabet=st.sampled_from("ab.é" + "".join(BIDI_CONTROLS)), max_size=40))
def test_saved_name_is_the_name_shown(name: str) -> None:
    """What the screen shows (bidirectional controls removed) is what is saved: an override
    cannot make "ordonnance<U+202E>gpj.exe" saved as one name and read as another."""
    shown = strip_bidi(name)
    assert safe_file_name(name) == safe_file_name(shown)
    assert not set(safe_file_name(name)) & BIDI_CONTROLS
    assert safe_file_name("ordonnance\u202egpj.exe") == "ordonnancegpj.exe"
