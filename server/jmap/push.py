"""EventSource push (RFC 8620 §7.3): a StateChange whenever something of the account changes."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from server.context import Sandbox, get_sandbox
from server.jmap.api import problem

router = APIRouter(tags=["jmap"])

PUSHED_TYPES = ("Mailbox", "Thread", "Email", "Identity", "EmailSubmission")
_MIN_PING, _MAX_PING = 1, 300


@router.get("/jmap/eventsource", summary="Push channel (text/event-stream)", response_model=None)
async def eventsource(
    request: Request,
    types: str = "*",
    closeafter: str = "no",
    ping: str = "0",
    sandbox: Sandbox = Depends(get_sandbox),  # noqa: B008
) -> StreamingResponse | JSONResponse:
    account = await run_in_threadpool(sandbox.auth.required, request)
    if closeafter not in {"state", "no"} or not ping.isdigit():
        return problem(
            "about:blank",
            status=400,
            detail="closeafter must be state or no; ping a number of seconds.",
        )
    wanted = set(PUSHED_TYPES) if types.strip() in {"", "*"} else set(types.split(","))
    interval = int(ping)
    if interval:
        interval = min(max(interval, _MIN_PING), _MAX_PING)
    sub = sandbox.broker.subscribe(account.id)

    async def events() -> AsyncIterator[str]:
        event_id = 0
        try:
            yield ": MonSisra sandbox push\n\n"
            if closeafter == "no":
                # The current state first, so that a client that just connected knows where it is.
                with sandbox.db.read() as conn:
                    current = {t: sandbox.changes.state(conn, account.id, t) for t in wanted}
                event_id += 1
                yield _state_event(event_id, account.id, current)
            while True:
                try:
                    changed = await asyncio.wait_for(sub.queue.get(), timeout=interval or 1.0)
                except TimeoutError:
                    if await request.is_disconnected():
                        return
                    if interval:
                        yield f"event: ping\ndata: {json.dumps({'interval': interval})}\n\n"
                    continue
                if changed is None:  # the server is stopping
                    return
                relevant = {t: s for t, s in changed.items() if t in wanted}
                if not relevant:
                    continue
                event_id += 1
                yield _state_event(event_id, account.id, relevant)
                if closeafter == "state":
                    return
        finally:
            sandbox.broker.unsubscribe(sub)

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def _state_event(event_id: int, account_id: str, changed: dict[str, str]) -> str:
    body = {"@type": "StateChange", "changed": {account_id: changed}}
    return f"event: state\nid: {event_id}\ndata: {json.dumps(body)}\n\n"
