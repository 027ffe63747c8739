"""Mailboxes, emails and threads of every account."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from server.context import Sandbox


class MailStore:
    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox
