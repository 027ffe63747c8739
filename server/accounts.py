"""The sandbox's users: login, password hash, display name and MSSanté address."""

from __future__ import annotations

import secrets
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass

from server.auth.passwords import dummy_hash, hash_password, verify_password
from server.storage import Database

MIGRATIONS = [
    """
    CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        login TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        display_name TEXT NOT NULL,
        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        rpps TEXT,
        practitioner_id TEXT,
        created_at INTEGER NOT NULL
    );
    """,
    # Issue 13 §5: an account created from the registration page ("Créer un compte Sara") waits
    # for the activation link sent to its e-mail (server/registration.py); the others are active.
    "ALTER TABLE accounts ADD COLUMN active INTEGER NOT NULL DEFAULT 1",
]


@dataclass(frozen=True)
class Account:
    id: str
    login: str
    display_name: str
    email: str
    rpps: str | None
    practitioner_id: str | None
    active: bool = True  # False until a registered account's activation link is opened


AccountHook = Callable[[sqlite3.Connection, Account], None]


class Accounts:
    def __init__(self, db: Database, password_hash_log_n: int) -> None:
        self._db = db
        self._log_n = password_hash_log_n
        self._dummy_hash = dummy_hash(password_hash_log_n)
        # Other areas (mail: mailboxes and identity) set a new account up in the same transaction.
        self.on_created: list[AccountHook] = []
        db.migrate("accounts", MIGRATIONS)

    def create(
        self,
        login: str,
        password: str,
        display_name: str,
        email: str,
        rpps: str | None = None,
        practitioner_id: str | None = None,
        account_id: str | None = None,
        active: bool = True,
    ) -> Account:
        account = Account(
            id=account_id or "a" + secrets.token_hex(6),
            login=login,
            display_name=display_name,
            email=email,
            rpps=rpps,
            practitioner_id=practitioner_id,
            active=active,
        )
        password_hash = hash_password(password, self._log_n)
        with self._db.write() as conn:
            conn.execute(
                "INSERT INTO accounts (id, login, password_hash, display_name, email, rpps, "
                "practitioner_id, created_at, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    account.id,
                    login,
                    password_hash,
                    display_name,
                    email,
                    rpps,
                    practitioner_id,
                    int(time.time()),
                    int(active),
                ),
            )
            for hook in self.on_created:
                hook(conn, account)
        return account

    def by_id(self, account_id: str) -> Account | None:
        return self._one("id = ?", account_id)

    def by_login(self, login: str) -> Account | None:
        return self._one("login = ?", login)

    def by_email(self, email: str) -> Account | None:
        return self._one("email = ?", email)

    def by_rpps(self, rpps: str) -> Account | None:
        return self._one("rpps = ?", rpps)

    def all(self) -> list[Account]:
        with self._db.read() as conn:
            rows = conn.execute("SELECT * FROM accounts ORDER BY created_at, id").fetchall()
        return [_account(r) for r in rows]

    def check_password(self, login: str, password: str) -> Account | None:
        with self._db.read() as conn:
            row = conn.execute("SELECT * FROM accounts WHERE login = ?", (login,)).fetchone()
        stored = row["password_hash"] if row else self._dummy_hash
        ok = verify_password(password, stored)
        return _account(row) if ok and row else None

    def set_password(self, account_id: str, password: str) -> None:
        password_hash = hash_password(password, self._log_n)
        with self._db.write() as conn:
            conn.execute(
                "UPDATE accounts SET password_hash = ? WHERE id = ?", (password_hash, account_id)
            )

    def link_practitioner(self, account_id: str, practitioner_id: str, rpps: str) -> None:
        """Ties an account to its directory entry (the demo does it once the directory exists)."""
        with self._db.write() as conn:
            conn.execute(
                "UPDATE accounts SET practitioner_id = ?, rpps = ? WHERE id = ?",
                (practitioner_id, rpps, account_id),
            )

    def activate(self, conn: sqlite3.Connection, account_id: str, practitioner_id: str) -> None:
        """A registered account, activated (in the caller's transaction) and tied to its
        directory entry."""
        conn.execute(
            "UPDATE accounts SET active = 1, practitioner_id = ? WHERE id = ?",
            (practitioner_id, account_id),
        )

    def _one(self, where: str, value: str) -> Account | None:
        with self._db.read() as conn:
            row = conn.execute(f"SELECT * FROM accounts WHERE {where}", (value,)).fetchone()
        return _account(row) if row else None


def _account(row: sqlite3.Row) -> Account:
    return Account(
        id=row["id"],
        login=row["login"],
        display_name=row["display_name"],
        email=row["email"],
        rpps=row["rpps"],
        practitioner_id=row["practitioner_id"],
        active=bool(row["active"]),
    )
