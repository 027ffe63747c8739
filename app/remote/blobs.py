"""Blob upload and download (RFC 8620 §6), streamed both ways so that a 200 MB attachment never
sits whole in memory; file reads and writes run in threads to keep the event loop free. A download
that is redirected is followed hop by hop, within the account's origins (app.remote.origins)."""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import tempfile
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol

import httpx

from app import logs, messages
from app.messages import Number
from app.remote.http import transport_error
from app.remote.jmap import (
    InvalidResponse,
    JmapError,
    NetworkError,
    TransferTooSlow,
    decode_json,
    request_error,
)
from app.remote.pace import DEFAULT_PACE, Pace, paced
from app.units import megabytes

if TYPE_CHECKING:
    from app.remote.jmap import JmapClient

log = logs.get("blobs")

CHUNK = 256 * 1024
# Blobs are asked for as they are: most are compressed already (PDF, zip, JPEG), and compressing
# them again costs both ends for nothing (Cyrus deflated every XDM package it sent, and the client
# inflated it); the progress and the size limits then count the bytes the server declares.
AS_STORED = {"Accept-Encoding": "identity"}
Progress = Callable[[int, int], None]


class ChunkSource(Protocol):
    """Content produced piece by piece, of a known size (a document kept in the cache, say)."""

    size: int

    def chunks(self) -> AsyncIterator[bytes]: ...


@dataclass(frozen=True)
class UploadedBlob:
    blob_id: str
    type: str
    size: int


class UploadTooLarge(JmapError):
    """Larger than the server's maxSizeUpload: refused before sending, or by the server (413)."""

    def __init__(self, limit: int | None) -> None:
        super().__init__(
            f"upload over maxSizeUpload ({limit})",
            messages.UPLOAD_TOO_LARGE_MB.fill(limit=Number(megabytes(limit)))
            if limit is not None
            else messages.UPLOAD_TOO_LARGE,
        )
        self.limit = limit


class BlobNotFound(JmapError):
    message = messages.BLOB_NOT_FOUND


class BlobTooLarge(JmapError):
    message = messages.BLOB_TOO_LARGE


async def upload(
    client: JmapClient,
    source: Path | bytes | ChunkSource,
    type_: str,
    progress: Progress | None = None,
) -> UploadedBlob:
    """Refused before sending past maxSizeUpload; at most maxConcurrentUpload at a time."""
    session = await client.session()
    if isinstance(source, Path):
        size = (await asyncio.to_thread(source.stat)).st_size
    elif isinstance(source, bytes):
        size = len(source)
    else:
        size = source.size
    limit = session.limits.max_size_upload
    if size > limit:
        raise UploadTooLarge(limit)
    slots = await client.slots()
    async with slots.uploads:
        if progress is not None:
            progress(0, size)
        if isinstance(source, Path):
            pieces = _file_chunks(source, size)
        elif isinstance(source, bytes):
            pieces = _bytes_chunks(source)
        else:
            pieces = source.chunks()
        body = _counted(pieces, size, progress)
        try:
            async with paced(_pace(client), size):
                response = await client.http.post(
                    session.upload_url_for(),
                    content=body,
                    headers={"Content-Type": type_, "Content-Length": str(size)},
                )
        except httpx.TransportError as e:
            raise await transport_error(e, NetworkError) from None
    if response.status_code == 413:
        raise UploadTooLarge(limit)
    if response.status_code >= 400:
        raise request_error(response, response.content)
    blob = parse_upload(decode_json(response.content))
    log.info("uploaded a blob of %d bytes", blob.size)
    return blob


def parse_upload(document: object) -> UploadedBlob:
    if not isinstance(document, dict):
        raise InvalidResponse("upload answer is not an object")
    blob_id, type_, size = document.get("blobId"), document.get("type"), document.get("size")
    if not isinstance(blob_id, str) or not blob_id:
        raise InvalidResponse("upload answer: blobId is not a string")
    if not isinstance(type_, str):
        raise InvalidResponse("upload answer: type is not a string")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise InvalidResponse("upload answer: size is not a size")
    return UploadedBlob(blob_id, type_, size)


async def _counted(
    pieces: AsyncIterator[bytes], size: int, progress: Progress | None
) -> AsyncIterator[bytes]:
    """The body as sent, with progress; never more than the Content-Length announced."""
    sent = 0
    async for piece in pieces:
        if sent + len(piece) > size:
            raise ValueError("the upload source is longer than its announced size")
        sent += len(piece)
        yield piece
        if progress is not None:
            progress(sent, size)


async def _file_chunks(path: Path, size: int) -> AsyncIterator[bytes]:
    """Reads in small pieces in a thread; stops at the announced size if the file grows."""
    handle: IO[bytes] = await asyncio.to_thread(path.open, "rb")
    sent = 0
    try:
        while sent < size:
            chunk = await asyncio.to_thread(handle.read, min(CHUNK, size - sent))
            if not chunk:
                break
            sent += len(chunk)
            yield chunk
    finally:
        await asyncio.to_thread(handle.close)


async def _bytes_chunks(data: bytes) -> AsyncIterator[bytes]:
    view = memoryview(data)
    for start in range(0, len(data), CHUNK):
        yield bytes(view[start : start + CHUNK])


async def download(
    client: JmapClient,
    blob_id: str,
    name: str,
    type_: str,
    dest: Path,
    progress: Progress | None = None,
) -> Path:
    """Streams to a temporary file beside `dest`, renamed over it once complete: a failure
    leaves no partial file."""
    session = await client.session()
    url = session.download_url_for(blob_id, name, type_)
    fd, temp_name = await asyncio.to_thread(
        tempfile.mkstemp, prefix=".download-", suffix=".part", dir=dest.parent
    )
    temp = Path(temp_name)
    handle: IO[bytes] = os.fdopen(fd, "wb")
    try:
        try:
            async with (
                paced(_pace(client)) as meter,
                client.stream(url, headers=AS_STORED) as response,
            ):
                await _check_download(response)
                total = _declared_length(response)
                meter.expect(total)
                done = 0
                async for chunk in response.aiter_bytes(CHUNK):
                    await asyncio.to_thread(handle.write, chunk)
                    done += len(chunk)
                    meter.count(len(chunk))
                    if progress is not None:
                        progress(done, total)
        except httpx.TransportError as e:
            raise await transport_error(e, NetworkError) from None
        await asyncio.to_thread(_flush_and_close, handle)
        await asyncio.to_thread(os.replace, temp, dest)
    except BaseException:
        handle.close()
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    log.info("downloaded a blob of %d bytes", done)
    return dest


async def download_bytes(
    client: JmapClient, blob_id: str, name: str, type_: str, max_bytes: int
) -> bytes:
    """A small blob in memory (the XDM zip), refused past `max_bytes`; held once: BytesIO grows
    in place and `getvalue()` hands over its own buffer (CPython), where `bytes(bytearray)` would
    copy it at the end."""
    session = await client.session()
    url = session.download_url_for(blob_id, name, type_)
    data = io.BytesIO()
    try:
        async with (
            paced(_pace(client)) as meter,
            client.stream(url, headers=AS_STORED) as response,
        ):
            await _check_download(response)
            if _declared_length(response) > max_bytes:
                raise BlobTooLarge(f"declared length over {max_bytes}")
            meter.expect(_declared_length(response))
            async for chunk in response.aiter_bytes(CHUNK):
                meter.count(len(chunk))
                if data.tell() + len(chunk) > max_bytes:
                    raise BlobTooLarge(f"more than {max_bytes} bytes")
                data.write(chunk)
    except httpx.TransportError as e:
        raise await transport_error(e, NetworkError) from None
    return data.getvalue()


async def _check_download(response: httpx.Response) -> None:
    if response.status_code == 404:
        raise BlobNotFound("blob not found")
    if response.status_code >= 400:
        body = await response.aread()
        raise request_error(response, body[:65536])


def _declared_length(response: httpx.Response) -> int:
    """Content-Length when the server gives a sane one, else 0 (unknown)."""
    value = response.headers.get("content-length", "")
    return int(value) if value.isdigit() else 0


def _flush_and_close(handle: IO[bytes]) -> None:
    handle.flush()
    os.fsync(handle.fileno())
    handle.close()


async def download_chunks(
    client: JmapClient, blob_id: str, name: str, type_: str
) -> AsyncGenerator[bytes, None]:
    """A blob as it arrives, piece by piece (the caller decides where it goes: never a file)."""
    session = await client.session()
    url = session.download_url_for(blob_id, name, type_)
    pace = _pace(client)
    loop = asyncio.get_running_loop()
    waited = 0.0  # reading only: the caller's work between pieces is not the network's
    try:
        async with contextlib.AsyncExitStack() as stack:
            began = loop.time()
            try:  # the answer's head dripping too
                async with asyncio.timeout(pace.seconds_for(CHUNK)):
                    response = await stack.enter_async_context(
                        client.stream(url, headers=AS_STORED)
                    )
            except TimeoutError:
                raise TransferTooSlow("download below the minimum rate") from None
            waited += loop.time() - began
            await _check_download(response)
            total = _declared_length(response)
            done = 0
            pieces = response.aiter_bytes(CHUNK)
            while True:
                # Each read bounded by what is left of the deadline: a timeout across `yield`
                # would cancel the caller's own work.
                left = pace.seconds_for(total if total > 0 else done + CHUNK) - waited
                began = loop.time()
                try:
                    async with asyncio.timeout(max(left, 0.0)):
                        chunk = await anext(pieces)
                except StopAsyncIteration:
                    break
                except TimeoutError:
                    raise TransferTooSlow("download below the minimum rate") from None
                waited += loop.time() - began
                done += len(chunk)
                yield chunk
    except httpx.TransportError as e:
        raise await transport_error(e, NetworkError) from None


def _pace(client: JmapClient) -> Pace:
    return client.transfer_pace or DEFAULT_PACE
