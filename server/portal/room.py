"""The teleconsultation room (issue 13 §2): a video call in the participants' browsers.

The join link (server/portal/routes.py `join`, after the simulated payment when one was asked)
opens the room page. Its script (static/room.js, a file: the page allows no inline script) opens
the WebSocket below, whose path carries the join link's token: the token says who the
participant is (the teleconsultant is the host, who admits the others from the waiting room),
and a cancelled, past, unknown or unpaid link is refused before the socket opens. The hub
(room_hub.py) relays the WebRTC signals; the media go from browser to browser, with no STUN or
TURN server (empty iceServers: host candidates only).

Bounded: a message of at most MAX_MESSAGE_BYTES (uvicorn refuses larger frames before they are
read: server/testing.py), at most WINDOW_MESSAGES per WINDOW_SECONDS per page; past either the
page is told why and the socket closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import re
import time
from functools import cache
from html import escape
from importlib.resources import files
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request, WebSocket
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from server.portal.pages import page
from server.portal.room_hub import Close, Member, RoomHub
from server.regional.teleconsultations import JoinInfo
from server.urls import PORTAL_PATH

if TYPE_CHECKING:
    from server.context import Sandbox

ROOM_PATH = PORTAL_PATH + "/telemedecine"
SCRIPT_PATH = ROOM_PATH + "/room.js"
STYLE_PATH = ROOM_PATH + "/room.css"
MAX_MESSAGE_BYTES = 64 * 1024
WINDOW_SECONDS = 10.0
WINDOW_MESSAGES = 100
_HOST_HEADER = re.compile(r"^[A-Za-z0-9.\-]+(?::[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::[0-9]{1,5})?$")

router = APIRouter(prefix=ROOM_PATH, include_in_schema=False)


def socket_path(token: str) -> str:
    return f"{ROOM_PATH}/room/{token}/ws"


def can_enter(info: JoinInfo | None) -> bool:
    """A link that may open the room: known, still to come (or under way), paid when asked."""
    return info is not None and info.status == "planned" and info.payment_due is None


def room_page(request: Request, info: JoinInfo, token: str, greeting: str) -> Response:
    host = info.role == "teleconsultant"
    if host:
        title = "Salle de téléconsultation"
        intro = (
            "Vous recevez cette téléconsultation : les participants qui ouvrent leur lien "
            "attendent dans la salle d'attente, admettez-les. « Terminer » met fin à l'appel "
            "pour tous."
        )
    else:
        title = "Salle d'attente de téléconsultation"
        intro = (
            "Le moment venu, restez sur cette page : la visio démarre dans votre navigateur "
            "(Chrome, Edge ou Firefox), une fois que le professionnel vous a admis(e). Sur "
            "smartphone, ouvrez ce lien avec l'application eConsultSara."
        )
    leave = "Terminer" if host else "Quitter"
    body = (
        f'<link rel="stylesheet" href="{STYLE_PATH}">'
        + greeting
        + f"<p>{escape(intro)}</p>"
        + f'<main id="room" data-host="{int(host)}" '
        f'data-socket="{escape(socket_path(token), quote=True)}" data-state="loading">'
        '<p id="status" role="status" aria-live="polite">Connexion à la salle…</p>'
        '<section id="lobby" hidden><h2>Salle d\'attente</h2>'
        '<p id="lobby-empty">Personne n\'attend pour l\'instant.</p><ul id="waiting"></ul>'
        "</section>"
        '<div id="videos"><figure class="tile self"><video id="self-video" autoplay muted '
        "playsinline></video><figcaption>Vous</figcaption></figure></div>"
        '<div class="controls">'
        '<button type="button" id="mic" aria-pressed="false">Couper le micro</button>'
        '<button type="button" id="camera" aria-pressed="false">Couper la caméra</button>'
        '<button type="button" id="sound" hidden>Activer le son</button>'
        f'<button type="button" id="leave" class="leave">{leave}</button>'
        "</div></main>"
        "<noscript><p>La visio a besoin de JavaScript : activez-le pour ce site, ou ouvrez le "
        "lien dans Chrome, Edge ou Firefox.</p></noscript>"
        f'<script src="{SCRIPT_PATH}"></script>'
    )
    return HTMLResponse(
        page(title, body),
        headers={"Content-Security-Policy": room_policy(request), "Cache-Control": "no-store"},
    )


def room_policy(request: Request) -> str:
    """The sandbox's policy (server/headers.py), with this page's own script file and its
    WebSocket: `connect-src 'self'` covers ws: in current browsers, the origin named as well
    covers older ones."""
    connect = "'self'"
    host = request.headers.get("host", "")
    if _HOST_HEADER.match(host):
        connect += f" {'wss' if request.url.scheme == 'https' else 'ws'}://{host}"
    return (
        f"default-src 'self'; script-src 'self'; connect-src {connect}; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


@cache
def _static(name: str) -> bytes:
    return files("server.portal").joinpath("static", name).read_bytes()


@router.get("/room.js", response_model=None)
def script() -> Response:
    return Response(
        _static("room.js"),
        media_type="text/javascript",
        headers={"Cache-Control": "public, max-age=3600"},
    )


@router.get("/room.css", response_model=None)
def style() -> Response:
    return Response(
        _static("room.css"),
        media_type="text/css",
        headers={"Cache-Control": "public, max-age=3600"},
    )


@router.websocket("/room/{token}/ws")
async def room_socket(websocket: WebSocket, token: str) -> None:
    sandbox: Sandbox = websocket.app.state.sandbox
    info = await run_in_threadpool(sandbox.regional.teleconsultations.join_info, token)
    if info is None or not can_enter(info) or not _same_origin(websocket):
        await websocket.close(code=1008)  # before accept: the handshake gets a 403
        return
    await websocket.accept()
    room_id = info.teleconsultation_id
    member = Member(
        id=hashlib.sha256(token.encode()).hexdigest()[:16],
        name=info.name,
        host=info.role == "teleconsultant",
    )
    hub: RoomHub = sandbox.rooms
    hub.join(room_id, member)
    reader = asyncio.create_task(_read(websocket, hub, room_id, member))
    writer = asyncio.create_task(_write(websocket, member))
    try:
        await asyncio.wait({reader, writer}, return_when=asyncio.FIRST_COMPLETED)
        if reader.done() and reader.exception() is None and reader.result():
            await asyncio.wait({writer}, timeout=2)  # the refusal said, then the close sent
    finally:
        hub.leave(room_id, member)
        for task in (reader, writer):
            task.cancel()
        await asyncio.gather(reader, writer, return_exceptions=True)


async def _read(websocket: WebSocket, hub: RoomHub, room_id: str, member: Member) -> bool:
    """Until the page goes (False) or breaks a limit (True: a refusal and a close are queued)."""
    window_start, count = time.monotonic(), 0
    while True:
        received = await websocket.receive()
        if received["type"] == "websocket.disconnect":
            return False
        now = time.monotonic()
        if now - window_start > WINDOW_SECONDS:
            window_start, count = now, 0
        count += 1
        text = received.get("text")
        if count > WINDOW_MESSAGES:
            return _refuse(member, "Trop de messages : la connexion à la salle est fermée.", 1008)
        if text is None:
            return _refuse(member, "Message de connexion invalide.", 1003)
        if len(text.encode()) > MAX_MESSAGE_BYTES:
            return _refuse(member, "Message trop long : la connexion à la salle est fermée.", 1009)
        try:
            message = json.loads(text)
        except ValueError:
            message = None
        refusal = hub.handle(room_id, member, message)
        if refusal is not None:
            member.post({"type": "error", "message": refusal})


def _refuse(member: Member, message: str, code: int) -> bool:
    member.post({"type": "error", "message": message})
    member.close(code)
    return True


async def _write(websocket: WebSocket, member: Member) -> None:
    while True:
        item = await member.outbox.get()
        if isinstance(item, Close):
            with contextlib.suppress(Exception):  # the page may have gone meanwhile
                await websocket.close(code=item.code)
            return
        await websocket.send_text(json.dumps(item, ensure_ascii=False))


def _same_origin(websocket: WebSocket) -> bool:
    """A page of another site may not open a room's socket (a browser always says where the
    page comes from; other clients say nothing)."""
    origin = websocket.headers.get("origin")
    if origin is None:
        return True
    return origin.split("://", 1)[-1].lower() == websocket.headers.get("host", "").lower()
