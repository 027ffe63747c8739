"""`make demo`: the sandbox with its demo data, then the app on its login window with the demo
account pre-filled; quitting the app stops the sandbox.

The sandbox's first stdout line is a JSON object (its URL and the demo logins); the app gets the
URL and the GP's login as a hint. Data stay in --data (server/ and client/) across runs.
Works on a desktop and under `xvfb-run -a`; Ctrl+C (or SIGTERM) ends both. On Linux without a
display (no DISPLAY, no WAYLAND_DISPLAY: ssh, a container, CI), Qt would stop on an error about
the "xcb" platform plugin that does not say why: the script says so and runs itself again under
`xvfb-run` (the window is then invisible), or says what to install.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from types import FrameType

PREFERRED_LOGIN = "helene.garnier"  # the GP: the richest demo inbox


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--data", type=Path, default=Path(".demo-data"))
    p.add_argument("app_args", nargs="*", help="more options for the app (after --)")
    return p.parse_args(argv)


def virtual_display(environ: Mapping[str, str], platform: str, xvfb_run: str | None) -> list[str]:
    """The command to put before this script's to give it a display: empty when it has one (or
    Qt is told to draw elsewhere, QT_QPA_PLATFORM); SystemExit with what to do when none can be."""
    if not platform.startswith("linux") or environ.get("QT_QPA_PLATFORM"):
        return []
    if environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        return []
    if xvfb_run is None:
        raise SystemExit(
            "demo: pas d'écran (ni DISPLAY ni WAYLAND_DISPLAY) et pas de xvfb-run. Lancez "
            "make demo dans une session graphique, ou installez Xvfb "
            "(sudo apt-get install xvfb xauth) et relancez make demo."
        )
    return [xvfb_run, "-a", "-s", "-screen 0 1280x800x24"]


def start_server(data: Path) -> tuple[subprocess.Popen[str], dict[str, object]]:
    server = subprocess.Popen(  # noqa: S603 (a fixed argv, no shell)
        [
            *(sys.executable, "-m", "server.cli", "--demo", "--psc-simule"),
            *("--port", "0", "--data", str(data)),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    line = server.stdout.readline()
    if not line:
        server.wait()
        raise SystemExit(f"demo: le serveur ne s'est pas lancé (code {server.returncode}).")
    # Keep reading what else it prints so that a full pipe never blocks it.
    threading.Thread(target=server.stdout.read, daemon=True).start()
    info: dict[str, object] = json.loads(line)
    return server, info


def demo_account(info: dict[str, object]) -> dict[str, str]:
    accounts = info.get("accounts")
    if not isinstance(accounts, list) or not accounts:
        raise SystemExit("demo: le serveur n'a pas de compte de démonstration.")
    chosen = next((a for a in accounts if a.get("login") == PREFERRED_LOGIN), accounts[0])
    return {"login": str(chosen["login"]), "password": str(chosen["password"])}


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    wrapper = virtual_display(os.environ, sys.platform, shutil.which("xvfb-run"))
    if wrapper:
        print(
            "demo: pas d'écran (ni DISPLAY ni WAYLAND_DISPLAY) : l'application s'ouvre sous Xvfb, "
            "invisible ; Ctrl+C pour arrêter. Pour la voir, lancez make demo dans une session "
            "graphique.",
            flush=True,
        )
        again = [sys.argv[0], *(sys.argv[1:] if argv is None else argv)]
        os.execv(wrapper[0], [*wrapper, sys.executable, *again])  # noqa: S606 (fixed argv)
    data: Path = args.data.resolve()
    server, info = start_server(data / "server")
    app: subprocess.Popen[str] | None = None

    def forward(signum: int, frame: FrameType | None) -> None:
        if app is not None and app.poll() is None:
            app.terminate()

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    try:
        hint = json.dumps(demo_account(info), ensure_ascii=False)
        print(f"demo: serveur {info['url']} ; ouverture de MonSisra bureau…", flush=True)
        app = subprocess.Popen(  # noqa: S603 (a fixed argv, no shell)
            [
                sys.executable,
                "-m",
                "ui.app",
                "--server",
                str(info["url"]),
                "--data",
                str(data / "client"),
                "--demo-hint",
                hint,
                *args.app_args,
            ],
            text=True,
        )
        code = app.wait()
    finally:
        if app is not None:
            stop(app)
        stop(server)
    print("demo: application fermée, serveur arrêté.", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
