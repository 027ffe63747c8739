"""Blob upload and download (RFC 8620 §6): streamed both ways, never whole in memory."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from server.accounts import Account
from server.context import Sandbox, get_sandbox
from server.jmap.api import problem
from server.jmap.limits import Slots

router = APIRouter(tags=["jmap"])

_MIME_TYPE = re.compile(r"^[A-Za-z0-9][\w!#$&^.+-]{0,126}/[A-Za-z0-9][\w!#$&^.+-]{0,126}$")


_slots = Slots()


async def _caller(request: Request, sandbox: Sandbox) -> Account:
    # Basic credentials cost a slow hash the first time: keep it off the event loop.
    return await run_in_threadpool(sandbox.auth.required, request)


@router.post("/jmap/upload/{account_id}/", summary="Upload a blob")
async def upload(
    account_id: str,
    request: Request,
    sandbox: Sandbox = Depends(get_sandbox),  # noqa: B008
) -> JSONResponse:
    account = await _caller(request, sandbox)
    if account_id != account.id:
        return problem("accountNotFound", status=404, detail="No such account.")
    content_type = request.headers.get("content-type", "application/octet-stream")
    content_type = content_type.split(";")[0].strip().lower()
    if not _MIME_TYPE.match(content_type):
        content_type = "application/octet-stream"
    if not _slots.take(account.id, sandbox.config.max_concurrent_upload):
        return problem(
            "limit",
            status=429,
            detail="Too many concurrent uploads.",
            limit="maxConcurrentUpload",
        )
    try:
        # Within maxSizeUpload: server/bodies.py counts the bytes as they come.
        chunks: AsyncIterator[bytes] = request.stream()
        blob = await sandbox.blobs.put_stream(account.id, chunks, content_type)
    finally:
        _slots.give_back(account.id)
    return JSONResponse(
        {"accountId": account.id, "blobId": blob.id, "type": blob.type, "size": blob.size},
        status_code=201,
    )


@router.get(
    # {name:path}: a name may hold "/" (sent as %2F, which the router sees decoded).
    "/jmap/download/{account_id}/{blob_id}/{name:path}",
    summary="Download a blob",
    response_model=None,
)
def download(
    account_id: str,
    blob_id: str,
    name: str,
    request: Request,
    type: str | None = None,
    sandbox: Sandbox = Depends(get_sandbox),  # noqa: B008
) -> Any:
    account = sandbox.auth.required(request)
    if account_id != account.id:
        return problem("accountNotFound", status=404, detail="No such account.")
    with sandbox.db.read() as conn:
        info = sandbox.blobs.info(conn, account.id, blob_id)
    if info is None:
        return problem("about:blank", status=404, detail="No such blob.")
    media_type = type if type and _MIME_TYPE.match(type) else info.type
    return FileResponse(
        sandbox.blobs.path(blob_id),
        media_type=media_type,
        headers={
            "Content-Disposition": content_disposition(name),
            "Cache-Control": "private, max-age=31536000, immutable",
            "X-Content-Type-Options": "nosniff",
        },
    )


def content_disposition(name: str) -> str:
    """RFC 6266: an ASCII fallback for old agents and the exact UTF-8 name in filename*."""
    cleaned = "".join(ch for ch in name if ch.isprintable() and ch not in "/\\") or "fichier"
    fallback = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"%;' else "_" for ch in cleaned)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(cleaned, safe='')}"
