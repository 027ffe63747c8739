"""Indexed storage of practitioners, roles and organisations."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from server.context import Sandbox


class DirectoryStore:
    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox
