"""Delegation of teleconsultation planning: a professional names the accounts (a secretary, a
colleague) that may plan, and cancel, teleconsultations in their name; the server refuses everyone
else. Before this, any account could plan "au nom de" any professional (a nurse planned in a
cardiologist's name and got 201), so the rule lives here, next to the SQL, and planning asks it.

A delegation is between accounts: the delegate is named by the directory id of their practitioner
or by their MSSanté address (a secretary has an address but no RPPS), as the other regional routes
name people.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from server.accounts import Account
from server.regional.common import now, to_datetime
from server.regional.errors import RegionalError, bad_request, not_found
from server.regional.models import Delegate, DelegateAdd

if TYPE_CHECKING:
    from server.context import Sandbox

MAX_DELEGATES = 50


def delegated(conn: sqlite3.Connection, owner_id: str, delegate_id: str) -> bool:
    """`delegate_id` may plan in the name of `owner_id` (everyone may in their own name)."""
    if owner_id == delegate_id:
        return True
    row = conn.execute(
        "SELECT 1 FROM regional_delegations WHERE owner_account_id = ? AND delegate_account_id = ?",
        (owner_id, delegate_id),
    ).fetchone()
    return row is not None


def not_delegated(owner: str) -> RegionalError:
    return RegionalError(
        403,
        "not_delegated",
        f"{owner} ne vous a pas délégué la planification de ses téléconsultations : "
        "demandez-lui de vous ajouter dans ses réglages (Délégation de la planification).",
    )


class Delegations:
    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox

    def delegates(self, caller: Account) -> list[Delegate]:
        """Who may plan in my name."""
        return self._list(
            "SELECT delegate_account_id AS other, created_at FROM regional_delegations "
            "WHERE owner_account_id = ? ORDER BY created_at, rowid",
            caller.id,
        )

    def delegators(self, caller: Account) -> list[Delegate]:
        """In whose name I may plan (besides my own)."""
        return self._list(
            "SELECT owner_account_id AS other, created_at FROM regional_delegations "
            "WHERE delegate_account_id = ? ORDER BY created_at, rowid",
            caller.id,
        )

    def add(self, caller: Account, body: DelegateAdd) -> Delegate:
        delegate = self._account(body)
        if delegate.id == caller.id:
            raise bad_request(
                "Vous planifiez toujours vos propres téléconsultations : choisissez une autre "
                "personne.",
                "self_delegation",
            )
        with self._sandbox.db.write() as conn:
            count = conn.execute(
                "SELECT COUNT(*) FROM regional_delegations WHERE owner_account_id = ?",
                (caller.id,),
            ).fetchone()[0]
            if count >= MAX_DELEGATES and not delegated(conn, caller.id, delegate.id):
                raise bad_request(
                    f"Vous ne pouvez pas déléguer à plus de {MAX_DELEGATES} personnes : retirez "
                    "d'abord celles qui ne planifient plus pour vous.",
                    "too_many_delegates",
                )
            conn.execute(
                "INSERT INTO regional_delegations (owner_account_id, delegate_account_id, "
                "created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (caller.id, delegate.id, now()),
            )
            since = conn.execute(
                "SELECT created_at FROM regional_delegations WHERE owner_account_id = ? "
                "AND delegate_account_id = ?",
                (caller.id, delegate.id),
            ).fetchone()[0]
        return _delegate(delegate, since)

    def remove(self, caller: Account, delegate_account_id: str) -> None:
        with self._sandbox.db.write() as conn:
            gone = conn.execute(
                "DELETE FROM regional_delegations WHERE owner_account_id = ? "
                "AND delegate_account_id = ?",
                (caller.id, delegate_account_id),
            ).rowcount
        if not gone:
            raise not_found("Cette personne ne planifie pas pour vous.")

    def _account(self, body: DelegateAdd) -> Account:
        account: Account | None = None
        if body.practitioner_id:
            account = self._sandbox.regional.teleconsultations.account_by_practitioner(
                body.practitioner_id
            )
        elif body.address:
            account = self._sandbox.accounts.by_email(body.address.strip())
        else:
            raise bad_request(
                "Indiquez la personne par son identifiant dans l'annuaire ou son adresse MSSanté.",
                "missing_delegate",
            )
        if account is None:
            raise bad_request(
                "Cette personne n'a pas de compte de télémédecine : elle ne peut pas planifier "
                "pour vous.",
                "unknown_delegate",
            )
        return account

    def _list(self, sql: str, caller_id: str) -> list[Delegate]:
        with self._sandbox.db.read() as conn:
            rows = conn.execute(sql, (caller_id,)).fetchall()
        found = []
        for row in rows:
            account = self._sandbox.accounts.by_id(row["other"])
            if account is not None:
                found.append(_delegate(account, row["created_at"]))
        return found


def _delegate(account: Account, since: int) -> Delegate:
    return Delegate(
        account_id=account.id,
        name=account.display_name,
        mssante_address=account.email,
        practitioner_id=account.practitioner_id,
        since=to_datetime(since),
    )
