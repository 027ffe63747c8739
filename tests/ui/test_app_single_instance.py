"""One app per user and data folder: a second claim fails and brings the first forward; a socket
left by a crashed instance does not block the next start."""

from __future__ import annotations

import socket
from pathlib import Path

from PySide6.QtNetwork import QLocalServer
from pytestqt.qtbot import QtBot

from ui.single_instance import SingleInstance, key_for


def test_second_instance_is_told_already_running_and_the_first_comes_forward(
    qtbot: QtBot, tmp_path: Path
) -> None:
    key = key_for(tmp_path)
    first, second = SingleInstance(key), SingleInstance(key)
    try:
        assert first.claim() is True
        calls: list[bool] = []
        first.activated.connect(lambda: calls.append(True))
        assert second.claim() is False
        qtbot.waitUntil(lambda: calls == [True], timeout=5_000)
    finally:
        first.release()
        second.release()
    third = SingleInstance(key)
    assert third.claim() is True  # released: the next start is the first again
    third.release()


def test_keys_differ_per_user_and_per_data_folder(tmp_path: Path) -> None:
    a = key_for(tmp_path / "a", "alice")
    assert a == key_for(tmp_path / "a", "alice")
    assert a != key_for(tmp_path / "b", "alice")
    assert a != key_for(tmp_path / "a", "bob")


def test_a_socket_left_by_a_crashed_instance_is_taken_over(qtbot: QtBot, tmp_path: Path) -> None:
    key = key_for(tmp_path)
    probe = QLocalServer()
    assert probe.listen(key)
    path = probe.fullServerName()
    probe.close()
    # What a crash leaves: the socket file, with nobody accepting on it.
    with socket.socket(socket.AF_UNIX) as dead:
        dead.bind(path)
    assert Path(path).exists()
    instance = SingleInstance(key)
    try:
        assert instance.claim() is True
        assert instance.is_listening()
    finally:
        instance.release()
