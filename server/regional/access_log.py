"""The access journal of a patient's record (issue 9 §8): who saw the patient, when, how, and why
they follow the patient.

A regional patient directory is need-to-know: its traces are what lets the patient's care team
notice a curious colleague. So every search that shows the patient, every read of the record, of
its care team or of its portal page, and every follow, unfollow and creation writes one entry, in
the same transaction as what it records. Listing one's own file active writes nothing: it reads
only the patients whose follow (with its reason) is already in their journals.

The care team — the professionals who follow the patient — reads the journal, newest first, in
pages; to anyone else it answers as for an unknown patient, so the route tells an outsider
nothing, not even that the patient exists.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from server.regional.common import now, to_datetime
from server.regional.errors import bad_request
from server.regional.models import (
    AccessAction,
    AccessActor,
    AccessLog,
    AccessLogEntry,
    FollowReason,
    FollowReasonCode,
)

if TYPE_CHECKING:
    from server.context import Sandbox

# The reasons to follow a patient, in the order shown: codes of the API, labels of the UI.
FOLLOW_REASONS: dict[FollowReasonCode, str] = {
    "prise_en_charge": "Prise en charge en cours",
    "avis": "Demande d'avis / téléexpertise",
    "soins_coordonnes": "Soins coordonnés (équipe de soins, MSP, CPTS)",
    "remplacement": "Remplacement d'un confrère",
    "urgence": "Urgence",
}

PAGE_DEFAULT = 50
PAGE_MAX = 200


def follow_reasons() -> list[FollowReason]:
    return [FollowReason(code=code, label=label) for code, label in FOLLOW_REASONS.items()]


def checked_reason(value: str | None) -> FollowReasonCode:
    """The reason a follow request gives, or a 400 that lists the reasons to choose from."""
    choices = " ; ".join(FOLLOW_REASONS.values())
    if value is None or not value.strip():
        raise bad_request(
            f"Indiquez pourquoi vous suivez ce patient : {choices}.", "missing_reason"
        )
    for code in FOLLOW_REASONS:  # typed as the code it is, not as the str it came as
        if code == value.strip():
            return code
    raise bad_request(f"Motif de suivi inconnu : choisissez parmi {choices}.", "invalid_reason")


def record(
    conn: sqlite3.Connection,
    account_id: str,
    patient_id: str,
    action: AccessAction,
    reason: FollowReasonCode | None = None,
    at: int | None = None,
) -> None:
    """Writes one entry, inside the caller's write transaction."""
    conn.execute(
        "INSERT INTO regional_access_log (patient_id, account_id, at, action, reason) "
        "VALUES (?, ?, ?, ?, ?)",
        (patient_id, account_id, now() if at is None else at, action, reason),
    )


class AccessJournal:
    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox

    def page(
        self, conn: sqlite3.Connection, patient_id: str, cursor: str | None, limit: int
    ) -> AccessLog:
        """One page of the patient's journal, newest first; the cursor is where the last page
        ended (`at.n` of its last entry)."""
        where = "l.patient_id = ?"
        params: list[str | int] = [patient_id]
        if cursor:
            at, n = _parse_cursor(cursor)
            where += " AND (l.at < ? OR (l.at = ? AND l.n < ?))"
            params += [at, at, n]
        rows = conn.execute(
            "SELECT l.n, l.at, l.action, l.reason, a.display_name, a.email "
            "FROM regional_access_log l LEFT JOIN accounts a ON a.id = l.account_id "
            f"WHERE {where} ORDER BY l.at DESC, l.n DESC LIMIT ?",
            (*params, limit + 1),
        ).fetchall()
        actors: dict[str | None, AccessActor] = {}
        entries = []
        for r in rows[:limit]:
            if r["email"] not in actors:
                actors[r["email"]] = self._actor(r["display_name"], r["email"])
            reason: FollowReasonCode | None = r["reason"]
            entries.append(
                AccessLogEntry(
                    at=to_datetime(r["at"]),
                    action=r["action"],
                    actor=actors[r["email"]],
                    reason=reason,
                    reason_label=FOLLOW_REASONS.get(reason) if reason else None,
                )
            )
        last = rows[limit - 1] if len(rows) > limit else None
        return AccessLog(
            patient_id=patient_id,
            entries=entries,
            next_cursor=f"{last['at']}.{last['n']}" if last is not None else None,
        )

    def _actor(self, name: str | None, email: str | None) -> AccessActor:
        """The account, with what the directory says of its address (profession, specialty)."""
        entry = self._sandbox.directory.lookup_email(email) if email else None
        return AccessActor(
            name=name or "Compte supprimé",
            mssante_address=email,
            profession=entry.profession if entry is not None else None,
            specialty=entry.specialty if entry is not None else None,
        )


def _parse_cursor(cursor: str) -> tuple[int, int]:
    at, _, n = cursor.partition(".")
    if not (at.isdigit() and n.isdigit()) or len(cursor) > 40:
        raise bad_request("Curseur de pagination invalide : repartez de la première page.")
    return int(at), int(n)
