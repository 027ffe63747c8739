"""The teleconsultation room (issue 13 §2): the join link opens a video room whose script talks
to the sandbox over a WebSocket; the host admits the others from the waiting room; signals go
only between admitted participants of the same teleconsultation, in bounded messages. Then two
headless Chromiums reach a connected call on loopback (tests/server/room_call.py).

The socket tests speak the room's protocol as its page does (server/portal/static/room.js). To
show that a message was *not* passed on, they rely on order: a page's messages are handled one
after the other, so once its next message has had its answer, the one before it was handled.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Origin

from server.testing import ServerThread
from tests.server.conftest import ALICE, BOB, RegionalApi, ServerFactory
from tests.server.room_call import command
from tests.server.test_regional import in_days, plan

ROOT = Path(__file__).resolve().parents[2]
SDP = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
Open = Callable[..., ClientConnection]


@pytest.fixture
def duo(server_factory: ServerFactory, regional_api: RegionalApi) -> Any:
    server = server_factory(users=(ALICE, BOB))
    return server, regional_api(server, ALICE), regional_api(server, BOB)


@pytest.fixture
def room(duo: Any) -> Iterator[Open]:
    """`room(join_url, origin=None)`: the room's WebSocket as that link's page opens it; all
    closed at teardown."""
    server: ServerThread = duo[0]
    with contextlib.ExitStack() as sockets:

        def open_room(join_url: str, origin: str | None = None) -> ClientConnection:
            token = join_url.rsplit("/", 1)[1]
            url = server.base_url.replace("http://", "ws://", 1)
            return sockets.enter_context(
                connect(
                    f"{url}/portal/telemedecine/room/{token}/ws",
                    origin=Origin(origin) if origin else None,
                    open_timeout=10,
                )
            )

        yield open_room


def receive(ws: ClientConnection) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(ws.recv(timeout=10))
    return message


def arrive(ws: ClientConnection) -> list[dict[str, Any]]:
    """The first messages of a page: welcome, then waiting or enter (and the host's lobby)."""
    first = [receive(ws), receive(ws)]
    if first[0]["host"]:
        first.append(receive(ws))
    return first


def in_call(room: Open, tc: dict[str, Any]) -> tuple[ClientConnection, str, ClientConnection, str]:
    """The host's page and id, the patient's page and id: the host there first, the patient
    arrived and admitted, every message of that read."""
    host = room(tc["joinUrl"])
    host_id = arrive(host)[0]["id"]
    patient = room(tc["patient"]["joinUrl"])
    patient_id = arrive(patient)[0]["id"]
    assert receive(host)["waiting"] == [{"id": patient_id, "name": "Jean Valjean"}]
    host.send(json.dumps({"type": "admit", "id": patient_id}))
    assert receive(patient)["type"] == "enter"
    assert receive(host)["type"] == "peer-joined"
    assert receive(host) == {"type": "lobby", "waiting": []}
    return host, host_id, patient, patient_id


def offer(to: str, **extra: Any) -> str:
    return json.dumps(
        {
            "type": "signal",
            "to": to,
            "data": {"description": {"type": "offer", "sdp": SDP, **extra}},
        }
    )


def round_trip(ws: ClientConnection) -> None:
    """Everything this page sent before has been handled (see the module's docstring)."""
    ws.send(json.dumps({"type": "ping"}))
    assert receive(ws) == {"type": "error", "message": "Message inconnu."}


def test_the_room_page_runs_only_its_own_script_file(duo: Any) -> None:
    server, alice, _ = duo
    tc = plan(alice).json()
    host = httpx.get(tc["joinUrl"])
    patient = httpx.get(tc["patient"]["joinUrl"])
    assert "<h1>Salle de téléconsultation</h1>" in host.text
    assert "Terminer" in host.text
    assert "<h1>Salle d&#x27;attente de téléconsultation</h1>" in patient.text
    assert "Quitter" in patient.text
    port = server.base_url.rsplit(":", 1)[1]
    for page in (host, patient):
        policy = page.headers.get_list("content-security-policy")
        assert policy == [
            "default-src 'self'; script-src 'self'; "
            f"connect-src 'self' ws://127.0.0.1:{port}; object-src 'none'; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'none'"
        ]
        assert page.headers["cache-control"] == "no-store"
        scripts = re.findall(r"<script[^>]*>", page.text)
        assert scripts == ['<script src="/portal/telemedecine/room.js">']
        assert not re.search(r"\son[a-z]+=|\sstyle=", page.text)
    script = httpx.get(server.base_url + "/portal/telemedecine/room.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert "new RTCPeerConnection({ iceServers: [] })" in script.text
    assert "innerHTML" not in script.text  # what the server sends goes in as text only
    style = httpx.get(server.base_url + "/portal/telemedecine/room.css")
    assert style.headers["content-type"].startswith("text/css")
    # Every other page keeps the policy that runs no script at all.
    other = httpx.get(server.base_url + "/portal/inscription")
    assert "script-src 'none'" in other.headers["content-security-policy"]


def test_unknown_cancelled_unpaid_and_foreign_pages_never_open_the_socket(
    duo: Any, room: Open
) -> None:
    server, alice, _ = duo

    def refused(join_url: str, origin: str | None = None) -> int:
        with pytest.raises(InvalidStatus) as refusal:
            room(join_url, origin)
        return refusal.value.response.status_code

    assert refused(server.base_url + "/portal/telemedecine/join/nope") == 403
    assert refused(server.base_url + "/portal/telemedecine/join/" + "x" * 100) == 403
    cancelled = plan(alice).json()
    cancel = alice.post(f"/teleconsultations/{cancelled['id']}/cancel", json={"reason": "Absent"})
    assert cancel.status_code == 200
    assert refused(cancelled["joinUrl"]) == 403
    assert refused(cancelled["patient"]["joinUrl"]) == 403
    paying = plan(alice, start=in_days(4), onlinePayment={"amount": 25}).json()
    assert "Paiement simulé" in httpx.get(paying["patient"]["joinUrl"]).text
    assert refused(paying["patient"]["joinUrl"]) == 403
    assert httpx.post(paying["patient"]["joinUrl"] + "/pay").status_code == 303
    assert arrive(room(paying["patient"]["joinUrl"]))[1] == {"type": "waiting"}
    # A page of another site may not open it; a page of the sandbox may.
    assert refused(paying["joinUrl"], origin="http://attacker.example") == 403
    assert arrive(room(paying["joinUrl"], origin=server.base_url))[0]["host"] is True


def test_signals_pass_only_once_the_host_has_admitted(duo: Any, room: Open) -> None:
    _, alice, _ = duo
    tc = plan(alice).json()
    patient = room(tc["patient"]["joinUrl"])
    welcome, waiting = arrive(patient)
    assert welcome["host"] is False
    assert waiting == {"type": "waiting"}
    host = room(tc["joinUrl"])
    host_welcome, enter, lobby = arrive(host)
    assert host_welcome["host"] is True
    assert enter == {"type": "enter", "peers": []}
    assert lobby == {"type": "lobby", "waiting": [{"id": welcome["id"], "name": "Jean Valjean"}]}

    # Waiting: the patient reaches nobody, and nobody reaches the patient.
    patient.send(offer(host_welcome["id"]))
    assert receive(patient)["message"] == (
        "Vous êtes en salle d'attente : le professionnel va vous admettre."
    )
    host.send(offer(welcome["id"]))
    round_trip(host)
    # Only the host admits.
    patient.send(json.dumps({"type": "admit", "id": welcome["id"]}))
    assert receive(patient)["message"].startswith("Seul le professionnel peut admettre")

    host.send(json.dumps({"type": "admit", "id": welcome["id"]}))
    assert receive(patient) == {
        "type": "enter",
        "peers": [{"id": host_welcome["id"], "name": "Dr Alice Martin"}],
    }
    assert receive(host) == {
        "type": "peer-joined",
        "peer": {"id": welcome["id"], "name": "Jean Valjean"},
    }
    assert receive(host) == {"type": "lobby", "waiting": []}
    # Admitted: the patient's offer reaches the host, rebuilt from WebRTC's fields only.
    patient.send(offer(host_welcome["id"], script="<img src=x onerror=alert(1)>"))
    assert receive(host) == {
        "type": "signal",
        "from": welcome["id"],
        "data": {"description": {"type": "offer", "sdp": SDP}},
    }
    candidate = {"candidate": "candidate:1 1 udp 1 127.0.0.1 5000 typ host", "sdpMid": "0"}
    host.send(json.dumps({"type": "signal", "to": welcome["id"], "data": {"candidate": candidate}}))
    assert receive(patient)["data"] == {"candidate": {**candidate, "sdpMLineIndex": None}}


def test_a_room_never_reaches_another_teleconsultation(duo: Any, room: Open) -> None:
    _, alice, bob = duo
    mine = plan(alice).json()
    theirs = plan(bob, patientName="Paul Dupont").json()
    patient = room(mine["patient"]["joinUrl"])
    patient_id = arrive(patient)[0]["id"]
    alice_page = room(mine["joinUrl"])
    alice_id = arrive(alice_page)[0]["id"]
    alice_page.send(json.dumps({"type": "admit", "id": patient_id}))
    assert receive(patient)["type"] == "enter"
    bob_page = room(theirs["joinUrl"])
    bob_welcome, bob_enter, bob_lobby = arrive(bob_page)
    assert bob_enter["peers"] == []  # Alice's room is not his
    assert bob_lobby["waiting"] == []
    # Bob, knowing the patient's id, still cannot reach them; nor admit them.
    bob_page.send(offer(patient_id))
    bob_page.send(json.dumps({"type": "admit", "id": patient_id}))
    round_trip(bob_page)
    alice_page.send(offer(patient_id))
    assert receive(patient) == {
        "type": "signal",
        "from": alice_id,
        "data": {"description": {"type": "offer", "sdp": SDP}},
    }
    assert bob_welcome["id"] not in (alice_id, patient_id)


def test_messages_are_bounded_in_size_and_rate(duo: Any, room: Open) -> None:
    _, alice, _ = duo
    tc = plan(alice).json()
    host, host_id, patient, _ = in_call(room, tc)
    # A description longer than WebRTC's is not passed on; the page is told.
    long_sdp = json.dumps(
        {
            "type": "signal",
            "to": host_id,
            "data": {"description": {"type": "offer", "sdp": "a" * 40_000}},
        }
    )
    assert len(long_sdp) < 64 * 1024
    patient.send(long_sdp)
    assert receive(patient) == {"type": "error", "message": "Message de connexion invalide."}
    round_trip(host)
    # A frame larger than any message may be: the connection is closed (1009, too big).
    host.send("x" * (64 * 1024 + 1))
    with pytest.raises(ConnectionClosed) as closed:
        receive(host)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1009
    # More than 100 messages in 10 s: told why, then closed (1008, policy).
    flood = room(tc["joinUrl"])
    arrive(flood)
    for _ in range(101):
        flood.send(json.dumps({"type": "ping"}))
    answers = [receive(flood) for _ in range(101)]
    assert answers[:100] == [{"type": "error", "message": "Message inconnu."}] * 100
    assert answers[100] == {
        "type": "error",
        "message": "Trop de messages : la connexion à la salle est fermée.",
    }
    with pytest.raises(ConnectionClosed) as flooded:
        receive(flood)
    assert flooded.value.rcvd is not None
    assert flooded.value.rcvd.code == 1008


def test_a_reload_keeps_the_admission_and_the_host_ends_the_call_for_all(
    duo: Any, room: Open
) -> None:
    _, alice, _ = duo
    tc = plan(alice).json()
    host, host_id, first, patient_id = in_call(room, tc)
    # The same link opened again: the first page is told and closed, the new one is let in.
    second = room(tc["patient"]["joinUrl"])
    assert receive(first) == {"type": "replaced"}
    with pytest.raises(ConnectionClosed):
        receive(first)
    welcome, enter = receive(second), receive(second)
    assert welcome["id"] == patient_id
    assert enter == {"type": "enter", "peers": [{"id": host_id, "name": "Dr Alice Martin"}]}
    assert receive(host) == {"type": "peer-left", "id": patient_id}
    assert receive(host)["type"] == "peer-joined"
    assert receive(host) == {"type": "lobby", "waiting": []}
    # Only the host ends the call; then every page is told, and closed.
    second.send(json.dumps({"type": "end"}))
    assert receive(second)["message"].startswith("Seul le professionnel")
    host.send(json.dumps({"type": "end"}))
    for page in (host, second):
        assert receive(page) == {"type": "ended"}
        with pytest.raises(ConnectionClosed):
            receive(page)
    # A new page of the patient's link waits again: the ended room kept no admission.
    again = room(tc["patient"]["joinUrl"])
    assert arrive(again)[1] == {"type": "waiting"}


def test_two_browsers_reach_a_connected_call_on_loopback(tmp_path: Path) -> None:
    """Two headless Chromiums, in a network namespace with loopback only (room_call.py): the
    patient waits, the host admits, both see the other's video, the host ends the call."""
    result = tmp_path / "call.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(command(result), cwd=ROOT, env=env, start_new_session=True)
    try:
        assert process.wait(timeout=60) == 0, result.read_text() if result.exists() else ""
    finally:
        with contextlib.suppress(ProcessLookupError):  # the browsers too, whatever happened
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    seen = json.loads(result.read_text())
    assert seen["interfaces"] == ["lo"]
    assert seen["patient_first"] == "waiting"
    assert seen["host_waiting"].startswith("Jean Valjean")
    for side, other in (("host_call", "Jean Valjean"), ("patient_call", "Dr Alice Martin")):
        call = seen[side]
        assert call["connection"] == "connected", side
        assert call["width"] > 0, side
        assert call["height"] > 0, side
        assert call["frames"] > 0, side
        assert call["paused"] is False, side
        assert call["name"] == other, side
    assert seen["host_status"] == seen["patient_status"] == "connected"
    assert seen["patient_end"] == "L'appel est terminé."
    assert seen["host_end"] is True
