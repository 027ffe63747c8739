"""What a server typed by the user did when asked for its public Session: the state a login
screen or the settings' "Tester la connexion" react to.

Apart from the operations (app/account/sign_in.py) on purpose: this module imports nothing of the
core's HTTP, crypto or cache, so that the login window can name these states before the core is
loaded in a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.messages import Message


class ServerState(StrEnum):
    """What a server typed by the user did when asked for its public Session."""

    ANSWERS = "answers"
    UNREACHABLE = "unreachable"  # no answer: an account known here may open offline
    REFUSED = "refused"  # it answered, but its secure connection is refused (`message`: why)
    UNKNOWN = "unknown"  # not a server address, or an odd answer: the login will say what is wrong


@dataclass(frozen=True)
class ServerProbe:
    state: ServerState
    message: Message | None = None  # why, when it does not answer as it should
    registration_url: str | None = None  # "Créer un compte Sara", when the server names it

    @property
    def message_fr(self) -> str:
        return "" if self.message is None else self.message.text()
