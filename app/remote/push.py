"""JMAP push over EventSource (RFC 8620 §7.3): StateChange events, with reconnection.

The iterator reconnects after a drop with exponential backoff and jitter (reset once a connection
delivers an event), and ends quietly when the server has no push (Cyrus answers 204): the sync
engine then polls. A redirected stream is followed within the account's origins only.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import AsyncGenerator, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx
from httpx_sse import EventSource, SSEError

from app import logs
from app.remote.jmap import InvalidResponse, JmapError, NetworkError, RequestError, request_error

if TYPE_CHECKING:
    from app.remote.jmap import JmapClient

log = logs.get("push")

NO_PUSH_STATUSES = frozenset({204, 404, 405})
SSE_HEADERS = {"Accept": "text/event-stream", "Cache-Control": "no-store"}


@dataclass(frozen=True)
class StateChange:
    """account id → data type → new state."""

    changed: dict[str, dict[str, str]]


def parse_state_change(data: str) -> StateChange:
    """Validates the data of a `state` event."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        raise InvalidResponse("StateChange is not JSON") from None
    if not isinstance(document, dict):
        raise InvalidResponse("StateChange is not an object")
    if document.get("@type", "StateChange") != "StateChange":
        raise InvalidResponse("event is not a StateChange")
    changed = document.get("changed")
    if not isinstance(changed, dict):
        raise InvalidResponse("StateChange: changed is not an object")
    out: dict[str, dict[str, str]] = {}
    for account_id, states in changed.items():
        if not isinstance(states, dict) or not all(
            isinstance(t, str) and isinstance(s, str) for t, s in states.items()
        ):
            raise InvalidResponse("StateChange: states are not a map of strings")
        out[account_id] = dict(states)
    return StateChange(out)


class Backoff:
    """Exponential delays with jitter, bounded; `reset()` after a good connection."""

    def __init__(self, initial: float, maximum: float) -> None:
        self.initial = initial
        self.maximum = maximum
        self._next = initial

    def next_delay(self) -> float:
        delay = self._next
        self._next = min(self._next * 2, self.maximum)
        return random.uniform(delay / 2, delay)

    def reset(self) -> None:
        self._next = self.initial


async def events(
    client: JmapClient,
    types: str | Sequence[str] = "*",
    ping: int = 30,
    *,
    backoff_initial: float = 1.0,
    backoff_max: float = 60.0,
    on_drop: Callable[[], None] | None = None,
) -> AsyncGenerator[StateChange, None]:
    """StateChanges until the server says it has no push; runs as long as it is iterated.
    `on_drop` is told each time a connection ends or fails (the server may come back as
    another: restarted, or restored from a backup)."""
    wanted = types if isinstance(types, str) else ",".join(types)
    backoff = Backoff(backoff_initial, backoff_max)
    # Without any byte for this long the connection is dead (the server pings every `ping` s).
    timeout = httpx.Timeout(10.0, read=ping * 2 + 10 if ping > 0 else None)
    while True:
        try:
            session = await client.session()
            url = session.event_source_url_for(wanted, "no", ping)
            async with client.stream(url, SSE_HEADERS, timeout) as response:
                source = EventSource(response)
                status = response.status_code
                if status in NO_PUSH_STATUSES:
                    log.info("the server has no push (HTTP %d): polling instead", status)
                    return
                if status in (401, 403):
                    raise request_error(response, await response.aread())
                if status >= 400:
                    raise _Retry(f"HTTP {status}")
                log.info("push connected")
                async for event in source.aiter_sse():
                    backoff.reset()
                    if event.event == "ping":
                        continue
                    if event.event not in ("state", "message"):
                        log.debug("push event of another kind ignored")
                        continue
                    try:
                        change = parse_state_change(event.data)
                    except JmapError as e:
                        log.warning("malformed push event skipped: %s", type(e).__name__)
                        continue
                    yield change
                log.info("push stream ended")
        except (httpx.TransportError, SSEError, _Retry, JmapError) as e:
            if isinstance(e, JmapError) and not _transient(e):
                raise
            log.info("push interrupted (%s)", type(e).__name__)
        if on_drop is not None:
            on_drop()
        await asyncio.sleep(backoff.next_delay())


class _Retry(Exception):
    """A server-side failure worth reconnecting after."""


def _transient(error: JmapError) -> bool:
    """Errors of the Session fetch that a later attempt may not have (server down or busy)."""
    if isinstance(error, NetworkError):
        return True
    return isinstance(error, RequestError) and (error.status >= 500 or error.status == 429)
