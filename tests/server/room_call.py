"""A teleconsultation call between two headless Chromiums, on loopback only (issue 13 §2).

Run in a network namespace of its own with nothing but loopback (`command()`: unshare, as any
user), so that WebRTC's ICE has no other interface to try and no packet can leave the machine:
a sandbox on 127.0.0.1 there, Dr Alice Martin plans a teleconsultation, the patient opens the
join link and waits, Alice opens hers, sees the patient waiting and admits them, both pages
reach a connected RTCPeerConnection with the other's video playing (Chromium's fake camera),
then Alice ends the call and both pages say so. What was seen is written as JSON (`--result`);
`--shots DIR` also saves the pages' screenshots, and some of unhappy states (make screenshots).

`python -m tests.server.room_call --result out.json [--shots DIR]` from the checkout.
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from server.testing import ServerThread
from server.urls import REGIONAL_API_PATH
from tests.server.chromium import Chromium
from tests.server.conftest import ALICE, get_token, start_sandbox
from tests.server.test_regional import in_days, plan

BUDGET_SECONDS = 45.0
STATE = "document.getElementById('room')?.dataset.state"
WAITING_COUNT = "document.getElementById('room')?.dataset.waiting"
# The remote participant's tile: its RTCPeerConnection's state and its video, playing.
REMOTE = """(() => {
  const tile = document.querySelector("figure[data-peer]");
  if (!tile) return null;
  const video = tile.querySelector("video");
  return {
    connection: tile.dataset.connection,
    width: video.videoWidth,
    height: video.videoHeight,
    frames: video.getVideoPlaybackQuality().totalVideoFrames,
    paused: video.paused,
    name: tile.querySelector("figcaption").textContent,
  };
})()"""
PLAYING = (
    f"(() => {{ const r = {REMOTE}; return r && r.connection === 'connected' && r.width > 0 "
    "&& r.frames > 0 && !r.paused ? r : null; })()"
)


def command(result: Path, shots: Path | None = None) -> list[str]:
    """The command line that runs the call in a namespace with loopback only."""
    argv = ["unshare", "--user", "--map-root-user", "--net"]
    argv += [sys.executable, "-m", "tests.server.room_call", "--netns", "--result", str(result)]
    return argv + (["--shots", str(shots)] if shots is not None else [])


def call(work: Path, shots: Path | None) -> dict[str, Any]:
    seen: dict[str, Any] = {"interfaces": sorted(name for _, name in socket.if_nameindex())}
    server = start_sandbox(work / "sandbox")
    try:
        with httpx.Client(
            base_url=server.base_url + REGIONAL_API_PATH,
            headers={"Authorization": f"Bearer {get_token(server.base_url, ALICE)}"},
        ) as alice:
            answer = plan(alice)
            assert answer.status_code == 201, answer.text
            seen.update(_call(answer.json(), shots, time.monotonic() + BUDGET_SECONDS))
            if shots is not None:
                _unhappy_shots(server, alice, shots, time.monotonic() + BUDGET_SECONDS)
    finally:
        server.stop()
    return seen


def _call(tc: dict[str, Any], shots: Path | None, deadline: float) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    def shot(page: Chromium, name: str) -> None:
        if shots is not None:
            page.screenshot(shots / f"{name}.png")

    with Chromium(tc["patient"]["joinUrl"]) as patient:
        seen["patient_first"] = patient.wait_for(
            f"{STATE} === 'waiting' && {STATE}", deadline, "the patient's waiting room"
        )
        shot(patient, "room-waiting")
        with Chromium(tc["joinUrl"]) as host:
            seen["host_waiting"] = host.wait_for(
                f"{WAITING_COUNT} === '1' && document.querySelector('#waiting li').textContent",
                deadline,
                "the patient in the host's waiting room",
            )
            shot(host, "room-host-lobby")
            host.evaluate("document.querySelector('[data-admit]').click()")
            seen["host_call"] = host.wait_for(PLAYING, deadline, "the host's call")
            seen["patient_call"] = patient.wait_for(PLAYING, deadline, "the patient's call")
            seen["host_status"] = host.evaluate(STATE)
            seen["patient_status"] = patient.evaluate(STATE)
            shot(host, "room-call-host")
            shot(patient, "room-call-patient")
            host.evaluate("document.getElementById('leave').click()")
            seen["patient_end"] = patient.wait_for(
                f"{STATE} === 'ended' && document.getElementById('status').textContent",
                deadline,
                "the end of the call on the patient's page",
            )
            seen["host_end"] = host.wait_for(f"{STATE} === 'ended'", deadline, "the end")
            shot(patient, "room-ended")
    seen["seconds_left"] = round(deadline - time.monotonic(), 1)
    return seen


def _unhappy_shots(server: ServerThread, alice: httpx.Client, shots: Path, deadline: float) -> None:
    """For review only: long names in a small window, the camera refused, a cancelled link,
    the sandbox gone while a page waits."""
    answer = plan(
        alice,
        start=in_days(3),
        patientName="Marie-Bernadette Pélissier-Delacroix de Saint-Exupéry-Montmorency",
        participants=[{"name": "Anne-Charlotte Pélissier-Delacroix (sa fille, aidante)"}],
    )
    assert answer.status_code == 201, answer.text
    tc = answer.json()
    small = (390, 800)
    with Chromium(tc["patient"]["joinUrl"], camera=False, size=small) as patient:
        patient.wait_for(f"{STATE} === 'waiting'", deadline, "the waiting room, camera refused")
        patient.screenshot(shots / "room-waiting-camera-refused-small.png")
        with Chromium(tc["joinUrl"], size=small) as host:
            host.wait_for(f"{WAITING_COUNT} === '1'", deadline, "the long name waiting")
            host.evaluate("document.getElementById('lobby').scrollIntoView()")
            host.screenshot(shots / "room-host-lobby-small.png")
        cancelled = alice.post(f"/teleconsultations/{tc['id']}/cancel", json={"reason": "Absent"})
        assert cancelled.status_code == 200, cancelled.text
        with Chromium(tc["patient"]["joinUrl"]) as again:
            again.wait_for("document.querySelector('h1')?.textContent", deadline, "the page")
            again.screenshot(shots / "room-cancelled.png")
        server.stop()
        patient.wait_for(f"{STATE} === 'lost'", deadline, "the lost connection")
        patient.screenshot(shots / "room-lost-small.png")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--result", type=Path, required=True)
    p.add_argument("--shots", type=Path)
    p.add_argument("--netns", action="store_true", help="bring up loopback first (unshare)")
    args = p.parse_args(argv)
    if args.netns:
        subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    with tempfile.TemporaryDirectory(prefix="room-call-") as work:
        try:
            seen = call(Path(work), args.shots)
        except Exception as exc:
            args.result.write_text(json.dumps({"error": f"{type(exc).__name__}: {exc}"}))
            raise
    args.result.write_text(json.dumps(seen, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
