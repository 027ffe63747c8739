"""Blobs against the sandbox: streamed upload with progress, download to a file, the size limit
checked before sending and by the server (413), maxConcurrentUpload, no partial file."""

from __future__ import annotations

import asyncio
import os
import tracemalloc
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.remote.blobs import (
    BlobNotFound,
    BlobTooLarge,
    UploadTooLarge,
    download,
    download_chunks,
    parse_upload,
)
from app.remote.jmap import InvalidResponse, JmapClient, Limits, NetworkError
from server.testing import ServerThread
from tests.app.jmap_helpers import jmap_client


@pytest.mark.asyncio
async def test_upload_of_a_5_mb_file_reports_progress_and_downloads_back_equal(
    server: ServerThread, tmp_path: Path
) -> None:
    data = os.urandom(5 * 1024 * 1024 + 17)
    source = tmp_path / "scanner.pdf"
    source.write_bytes(data)
    sent: list[tuple[int, int]] = []
    received: list[tuple[int, int]] = []
    async with jmap_client(server) as client:
        blob = await client.upload(source, "application/pdf", lambda a, b: sent.append((a, b)))
        dest = tmp_path / "out" / "copie.pdf"
        dest.parent.mkdir()
        path = await client.download(
            blob.blob_id,
            "copie é.pdf",
            "application/pdf",
            dest,
            lambda a, b: received.append((a, b)),
        )
        small = await client.upload(b"bonjour", "text/plain")
        text = await client.download_bytes(small.blob_id, "a.txt", "text/plain", max_bytes=100)
    assert blob.size == len(data)
    assert blob.type == "application/pdf"
    assert path == dest
    assert dest.read_bytes() == data
    assert list(dest.parent.iterdir()) == [dest]
    assert sent[0] == (0, len(data))
    assert sent[-1] == (len(data), len(data))
    assert len(sent) > 10
    assert [a for a, _ in sent] == sorted(a for a, _ in sent)
    assert received[-1] == (len(data), len(data))
    assert text == b"bonjour"
    assert small.size == 7


@pytest.mark.asyncio
async def test_an_upload_over_max_size_upload_is_refused_before_sending(
    server_factory: Any, tmp_path: Path
) -> None:
    server: ServerThread = server_factory(max_size_upload=1000)
    source = tmp_path / "gros.pdf"
    source.write_bytes(b"x" * 1001)
    uploads = 0

    async def count(request: httpx.Request) -> None:
        nonlocal uploads
        uploads += "/upload/" in request.url.path

    async with jmap_client(server, event_hooks={"request": [count]}) as client:
        with pytest.raises(UploadTooLarge) as refused:
            await client.upload(source, "application/pdf")
        ok = await client.upload(b"y" * 1000, "application/pdf")
    assert uploads == 1
    assert ok.size == 1000
    assert refused.value.message_fr.startswith(
        "La pièce jointe dépasse la taille maximale autorisée par le serveur ("
    )
    assert refused.value.message_fr.endswith(" Mo).")


@pytest.mark.asyncio
async def test_a_413_from_the_server_is_the_same_error(server_factory: Any) -> None:
    """The Session promises more than the server accepts (a proxy in front, say): a 413."""
    server: ServerThread = server_factory(max_size_upload=1000)
    async with jmap_client(server) as client:
        session = await client.session()
        client._session = type(session)(
            **{**session.__dict__, "limits": Limits(max_size_upload=10**9)}
        )
        with pytest.raises(UploadTooLarge) as refused:
            await client.upload(b"z" * 5000, "application/octet-stream")
    assert refused.value.limit == 10**9
    assert "Mo" in refused.value.message_fr


@pytest.mark.asyncio
async def test_concurrent_uploads_stay_within_max_concurrent_upload(
    server_factory: Any,
) -> None:
    """The sandbox answers 429 past the limit, so all uploads succeeding also proves it."""
    server: ServerThread = server_factory(max_concurrent_upload=2)
    in_flight = peak = 0

    def tracker() -> Any:
        started = False

        def progress(done: int, total: int) -> None:
            nonlocal in_flight, peak, started
            if not started:
                started = True
                in_flight += 1
                peak = max(peak, in_flight)
            if done == total:
                in_flight -= 1

        return progress

    async with jmap_client(server) as client:
        blobs = await asyncio.gather(
            *(
                client.upload(os.urandom(1024 * 1024), "application/pdf", tracker())
                for _ in range(6)
            )
        )
    assert len({b.blob_id for b in blobs}) == 6
    assert peak == 2
    assert in_flight == 0


@pytest.mark.asyncio
async def test_download_bytes_holds_the_blob_once(server: ServerThread) -> None:
    """The XDM zip (up to 20 MB) is held once: growing a buffer then copying it into `bytes`
    peaked at twice its size."""
    data = os.urandom(8 * 1024 * 1024)
    async with jmap_client(server) as client:
        blob = await client.upload(data, "application/zip")
        tracemalloc.start()
        try:
            got = await client.download_bytes(blob.blob_id, "IHE_XDM.ZIP", "application/zip", 10**8)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert got == data
    assert peak < 1.5 * len(data)


@pytest.mark.asyncio
async def test_download_bytes_refuses_past_max_bytes_and_missing_blobs_are_typed(
    server: ServerThread, tmp_path: Path
) -> None:
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    async with jmap_client(server) as client:
        blob = await client.upload(b"0123456789" * 100, "application/zip")
        with pytest.raises(BlobTooLarge):
            await client.download_bytes(blob.blob_id, "IHE_XDM.ZIP", "application/zip", 999)
        assert len(await client.download_bytes(blob.blob_id, "x", "application/zip", 1000)) == 1000
        with pytest.raises(BlobNotFound):
            await client.download("Gnope", "x.pdf", "application/pdf", downloads / "x.pdf")
    assert list(downloads.iterdir()) == []


class _BreaksAfter(httpx.AsyncByteStream):
    """A body that fails after `limit` bytes, like a network cut in the middle of a download."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b"a" * self.limit
        raise httpx.ReadError("connection reset")


@pytest.mark.asyncio
async def test_a_cut_download_leaves_no_partial_file_and_keeps_the_old_one(
    tmp_path: Path,
) -> None:
    session = {
        "capabilities": {"urn:ietf:params:jmap:core": {}},
        "accounts": {"a": {}},
        "primaryAccounts": {"urn:ietf:params:jmap:mail": "a"},
        "apiUrl": "/api",
        "uploadUrl": "/u/{accountId}",
        "downloadUrl": "/d/{accountId}/{blobId}/{name}?type={type}",
        "eventSourceUrl": "/e",
        "state": "1",
    }

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/jmap":
            return httpx.Response(200, json=session)
        return httpx.Response(200, headers={"Content-Length": "100000"}, stream=_BreaksAfter(4000))

    dest = tmp_path / "cr.pdf"
    dest.write_bytes(b"previous")
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        client = JmapClient(http, "https://s.example/jmap")
        with pytest.raises(NetworkError):
            await client.download("G1", "cr.pdf", "application/pdf", dest)
    assert list(tmp_path.iterdir()) == [dest]
    assert dest.read_bytes() == b"previous"


@given(
    document=st.one_of(
        st.none(),
        st.integers(),
        st.lists(st.integers(), max_size=2),
        st.dictionaries(
            st.sampled_from(["blobId", "type", "size", "accountId"]),
            st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        ),
    )
)
def test_fuzzed_upload_answers_give_a_blob_or_a_jmap_error(document: Any) -> None:
    try:
        blob = parse_upload(document)
    except InvalidResponse:
        return
    assert blob.blob_id
    assert blob.size >= 0


class _Pieces:
    """A ChunkSource: content handed over piece by piece (as the outbox reads it from the cache)."""

    def __init__(self, pieces: list[bytes], size: int) -> None:
        self.pieces = pieces
        self.size = size

    async def chunks(self) -> AsyncIterator[bytes]:
        for piece in self.pieces:
            yield piece


@pytest.mark.asyncio
async def test_a_chunk_source_uploads_and_may_not_exceed_its_size(server: ServerThread) -> None:
    sent: list[tuple[int, int]] = []
    async with jmap_client(server) as client:
        blob = await client.upload(
            _Pieces([b"abc", b"defg"], 7), "text/plain", lambda a, b: sent.append((a, b))
        )
        back = await client.download_bytes(blob.blob_id, "t.txt", "text/plain", 100)
        with pytest.raises(ValueError, match="longer than its announced size"):
            await client.upload(_Pieces([b"abc", b"defg"], 5), "text/plain")
    assert back == b"abcdefg"
    assert sent == [(0, 7), (3, 7), (7, 7)]


@pytest.mark.asyncio
async def test_blobs_are_asked_for_as_stored_whichever_way_they_are_downloaded(
    server: ServerThread, tmp_path: Path
) -> None:
    """Accept-Encoding: identity: a PDF or a zip compressed again costs both ends for nothing,
    and the progress and the size limits count what the server declares."""
    asked: list[str | None] = []

    async def note(request: httpx.Request) -> None:
        if "/download/" in request.url.path:
            asked.append(request.headers.get("accept-encoding"))

    data = b"compte rendu " * 10_000
    async with jmap_client(server, event_hooks={"request": [note]}) as client:
        blob = await client.upload(data, "text/plain")
        got_bytes = await client.download_bytes(blob.blob_id, "a.txt", "text/plain", 10**6)
        got_chunks = b"".join(
            [c async for c in download_chunks(client, blob.blob_id, "a.txt", "text/plain")]
        )
        path = await download(client, blob.blob_id, "a.txt", "text/plain", tmp_path / "a.txt")
    assert got_bytes == got_chunks == path.read_bytes() == data
    assert asked == ["identity"] * 3
