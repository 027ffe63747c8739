"""A teleconsultant's agenda: one teleconsultation at a time. Planning or moving one onto a
moment already taken by another of the same teleconsultant is refused with the time it clashes
with; a cancelled one frees its slot, and one ending when the next starts does not clash.

The refusal names the time only, not the patient: a secretary planning in a professional's name
may not take part in the other teleconsultation."""

from __future__ import annotations

import sqlite3

from server.regional.common import to_datetime
from server.regional.errors import conflict


def require_free(
    conn: sqlite3.Connection,
    teleconsultant_account_id: str,
    start: int,
    end: int,
    *,
    lead_name: str,
    by_lead: bool,
    moving: str | None = None,
) -> None:
    """409 `overlapping` when [start, end) meets another planned teleconsultation of the
    teleconsultant (`moving`: the one being edited, which does not clash with itself)."""
    other = conn.execute(
        "SELECT start, end FROM regional_teleconsultations WHERE teleconsultant_account_id = ? "
        "AND status != 'cancelled' AND start < ? AND ? < end AND id != ? ORDER BY start LIMIT 1",
        (teleconsultant_account_id, end, start, moving or ""),
    ).fetchone()
    if other is None:
        return
    begin, finish = to_datetime(other["start"]), to_datetime(other["end"])
    who = "Vous avez" if by_lead else f"{lead_name} a"
    raise conflict(
        "overlapping",
        f"{who} déjà une téléconsultation le {begin:%d/%m/%Y} de {begin:%H} h {begin:%M} à "
        f"{finish:%H} h {finish:%M} (heure de Paris) : choisissez un autre horaire.",
    )


__all__ = ["require_free"]
