"""The composer's send path, without its widgets: the message the fields describe, handed to the
outbox (queued at once, then sent now when online, later otherwise), and the draft deleted once
the outbox owns the message — not before, so that a failure in between loses nothing, and not
after the window is gone, since the hand-over is a `tasks.change` the app awaits at close.

The composer then closes and says what became of the message (`Handed`): nothing when it went
or waits (the status bar and the outbox view say that one), the server's reason when it was
refused. Online, the message waits the undo delay of the settings ("Délai d'annulation de
l'envoi", 0 = none) before it leaves: the status bar counts it down with "Annuler"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app import settings as settings_mod
from app.message.compose import OutgoingMessage
from app.message.draft import outgoing
from app.records import Address, OutboxState
from app.session import AccountSession


@dataclass(frozen=True)
class Handed:
    """A message in the outbox: its row, and where it stood when the composer last looked."""

    outbox_id: str
    state: OutboxState
    error: str | None  # the server's reason, when it refused the message


def undo_delay_s() -> int:
    """The undo delay of the settings, in seconds (0: messages leave at once)."""
    return settings_mod.current().send_delay_s


async def hand_over(
    session: AccountSession,
    message: Callable[[Address], OutgoingMessage],
    draft_id: str,
    queued: Callable[[], None],
) -> Handed:
    """Queues `message(me)` (and sends it when online), calls `queued()` as soon as the outbox
    owns it, then deletes the draft."""
    me = await session.own_address()
    outbox_id = await session.send(message(me), delay_s=undo_delay_s())
    queued()
    await session.delete_draft(draft_id)
    row = next((r for r in session.outbox_list() if r.id == outbox_id), None)
    if row is None:
        return Handed(outbox_id, OutboxState.QUEUED, None)
    return Handed(outbox_id, row.state, row.error)


__all__ = ["Handed", "hand_over", "outgoing"]
