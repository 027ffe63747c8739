"""Who may be a member of an équipe ressource, and under what name: a professional of the service
(an account) or of the directory, named by their MSSanté address. An address nobody is behind is
refused in French, naming the address, so that the declarant sees which one to correct."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from server.directory.records import MAILBOX_PERSON
from server.regional.errors import bad_request
from server.regional.models import TeamMember
from server.regional.validation import is_email

if TYPE_CHECKING:
    from server.context import Sandbox

MAX_MEMBERS = 50


@dataclass(frozen=True)
class Member:
    address: str
    name: str
    practitioner_id: str | None
    account_id: str | None


def resolve(sandbox: Sandbox, addresses: Sequence[str]) -> list[Member]:
    """The members named by `addresses` (duplicates once, in the order given)."""
    if len(addresses) > MAX_MEMBERS:
        raise bad_request(f"Une équipe compte au plus {MAX_MEMBERS} membres.", "too_many_members")
    found: dict[str, Member] = {}
    for raw in addresses:
        address = raw.strip()
        if not address:
            continue
        if not is_email(address):
            raise bad_request(
                f"« {address} » n'est pas une adresse MSSanté : choisissez le membre dans "
                "l'annuaire.",
                "invalid_member",
            )
        if address.casefold() not in found:
            found[address.casefold()] = _member(sandbox, address)
    return list(found.values())


def _member(sandbox: Sandbox, address: str) -> Member:
    account = sandbox.accounts.by_email(address)
    entry = sandbox.directory.lookup_email(address)
    person = entry if entry is not None and entry.kind == MAILBOX_PERSON else None
    if account is None and person is None:
        raise bad_request(
            f"Aucun professionnel n'a l'adresse {address} dans l'annuaire : un membre de l'équipe "
            "est un professionnel de santé, choisi dans l'annuaire.",
            "unknown_member",
        )
    return Member(
        address=person.email if person else address,
        name=person.name if person else account.display_name if account else address,
        practitioner_id=(person.practitioner_id if person else None)
        or (account.practitioner_id if account else None),
        account_id=account.id if account else None,
    )


def replace(conn: sqlite3.Connection, team_id: str, members: Sequence[Member]) -> None:
    conn.execute("DELETE FROM regional_team_members WHERE team_id = ?", (team_id,))
    conn.executemany(
        "INSERT INTO regional_team_members (team_id, address, name, practitioner_id, "
        "account_id, position) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (team_id, m.address, m.name, m.practitioner_id, m.account_id, i)
            for i, m in enumerate(members)
        ],
    )


def of_team(conn: sqlite3.Connection, team_id: str) -> list[TeamMember]:
    rows = conn.execute(
        "SELECT * FROM regional_team_members WHERE team_id = ? ORDER BY position",
        (team_id,),
    ).fetchall()
    return [
        TeamMember(
            mssante_address=r["address"], name=r["name"], practitioner_id=r["practitioner_id"]
        )
        for r in rows
    ]


__all__ = ["MAX_MEMBERS", "Member", "of_team", "replace", "resolve"]
