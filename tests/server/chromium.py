"""A headless Chromium (Debian's `chromium`) driven through the DevTools protocol over its
WebSocket: open a page, evaluate JavaScript in it, take a screenshot. For the teleconsultation
room's test (room_call.py); the browser is always killed on leaving the `with` block.

The flags: fake camera and microphone (a test pattern and a beep), granted without asking;
loopback interfaces offered to WebRTC (Chromium leaves them out otherwise) and host candidates
not hidden behind mDNS names; sound allowed to play without a click; none of Chromium's own
background traffic.
"""

from __future__ import annotations

import base64
import itertools
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from websockets.sync.client import ClientConnection, connect

FLAGS = (
    "--headless=new",
    "--no-sandbox",  # runs as root (CI), where Chromium's sandbox refuses to start
    "--remote-debugging-port=0",
    "--use-fake-device-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
    "--autoplay-policy=no-user-gesture-required",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--hide-scrollbars",
)
STARTUP_SECONDS = 20.0


class BrowserError(RuntimeError):
    pass


class Chromium:
    """`with Chromium(url) as page:` → a headless Chromium showing `url`; `camera=False`: the
    user refuses the camera and microphone; `size`: the window's, in CSS pixels."""

    def __init__(
        self, url: str, *, camera: bool = True, size: tuple[int, int] = (1000, 860)
    ) -> None:
        self._url = url
        self._flags = [
            *FLAGS,
            "--use-fake-ui-for-media-stream" if camera else "--deny-permission-prompts",
            f"--window-size={size[0]},{size[1]}",
        ]
        self._profile = Path(tempfile.mkdtemp(prefix="room-chromium-"))
        self._process: subprocess.Popen[bytes] | None = None
        self._socket: ClientConnection | None = None
        self._ids = itertools.count(1)

    def __enter__(self) -> Self:
        try:
            self._start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _start(self) -> None:
        self._process = subprocess.Popen(
            ["chromium", *self._flags, f"--user-data-dir={self._profile}", self._url],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = self._profile / "DevToolsActivePort"
        deadline = time.monotonic() + STARTUP_SECONDS
        while not (port_file.exists() and len(port_file.read_text().split()) >= 2):
            if self._process.poll() is not None or time.monotonic() > deadline:
                raise BrowserError("Chromium did not start")
            time.sleep(0.05)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
            targets = json.load(r)
        page = next(t for t in targets if t["type"] == "page")
        self._socket = connect(page["webSocketDebuggerUrl"], max_size=None, open_timeout=10)

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
        if self._process is not None:
            self._process.kill()
            self._process.wait(timeout=10)
        shutil.rmtree(self._profile, ignore_errors=True)

    def command(self, method: str, **params: Any) -> dict[str, Any]:
        assert self._socket is not None
        call_id = next(self._ids)
        self._socket.send(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            answer = json.loads(self._socket.recv(timeout=20))
            if answer.get("id") == call_id:
                if "error" in answer:
                    raise BrowserError(f"{method}: {answer['error']}")
                result: dict[str, Any] = answer["result"]
                return result

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (JSON-like), promises awaited."""
        result = self.command(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, deadline: float, what: str) -> Any:
        """Polls `expression` until it is truthy; BrowserError naming `what` past `deadline`
        (time.monotonic())."""
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise BrowserError(f"timed out waiting for {what} (last: {value!r})")
            time.sleep(0.1)

    def screenshot(self, path: Path) -> Path:
        data = self.command("Page.captureScreenshot", format="png")["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path
