"""One running app per user and data folder: a second launch tells the first to come forward and
exits. A local socket (QLocalServer: a Unix socket, a named pipe on Windows) keyed by the user's
name and the data folder, so a demo and a real account, or two users of one machine, never meet."""

from __future__ import annotations

import getpass
import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger("monsisra.single_instance")

MESSAGE = b"come-forward\n"
CONNECT_TIMEOUT_MS = 500


def key_for(data_root: Path, user: str | None = None) -> str:
    who = user if user is not None else getpass.getuser()
    digest = hashlib.sha256(f"{who}\n{data_root.resolve()}".encode()).hexdigest()[:16]
    return f"monsisra-bureau-{digest}"


class SingleInstance(QObject):
    """`claim()` → True: we are the first (and `activated` fires when another launch asks us to
    come forward); False: another one runs and has been told to come forward."""

    activated = Signal()

    def __init__(self, key: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self._server: QLocalServer | None = None

    def claim(self) -> bool:
        if self._tell_running():
            log.info("another instance runs: asked it to come forward")
            return False
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.key):
            # A socket file left by a crashed instance: nobody answered above, so remove it.
            QLocalServer.removeServer(self.key)
            if not server.listen(self.key):
                log.warning("single-instance socket unavailable: %s", server.errorString())
                return True
        server.newConnection.connect(self._on_connection)
        self._server = server
        log.info("single-instance socket listening")
        return True

    def _tell_running(self) -> bool:
        socket = QLocalSocket(self)
        socket.connectToServer(self.key)
        if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
            socket.deleteLater()
            return False
        socket.write(MESSAGE)
        socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
        socket.disconnectFromServer()
        if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            socket.waitForDisconnected(CONNECT_TIMEOUT_MS)
        socket.deleteLater()
        return True

    def _on_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._on_message(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._on_message(socket)

    def _on_message(self, socket: QLocalSocket) -> None:
        data = bytes(socket.readAll().data())
        if MESSAGE.strip() in data:
            log.info("asked to come forward by a second launch")
            self.activated.emit()

    def is_listening(self) -> bool:
        return self._server is not None and self._server.isListening()

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
