"""Refusals a test asks of the sandbox, to see how a client takes a server saying no.

A real server refuses a submission (a recipient it will not deliver to, a sender it does not
allow) or the creation of an email (invalid properties, a quota) for reasons the sandbox's own
data rarely produces; and a draft may vanish between its creation and its submission (another
client of the account deleted it, or the server lost it). A test sets them in Python on the
running instance (`server_thread.sandbox.refusals`); nothing on the network nor the command line
reaches them, so a demo server never refuses this way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Refusals:
    """Each, when set, is the SetError (RFC 8620 §5.3) every create of that kind gets."""

    email_create: dict[str, Any] | None = None  # Email/set create
    submission_create: dict[str, Any] | None = None  # EmailSubmission/set create
    # The next `drafts_lost` emails created are destroyed at once, though the answer says created.
    drafts_lost: int = 0
