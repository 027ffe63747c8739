"""Indexed storage of practitioners, roles and organisations.

Searches must answer in a few milliseconds over 100,000 professionals, so every criterion has
its index: FTS5 tables (accent-folded) pick rowids for names and free text first, plain indexes
serve codes, postal codes and départements, and tables clustered by position give `near` the
rows of its region, filtered and ordered in SQL by an exact distance (see geo.py). Rows of the
FTS and position tables share the integer key `n` of the table they index.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from server.directory.codes import PROFESSIONS, SPECIALTIES
from server.directory.geo import Box, bounding_box, chord2, km_of_chord2, unit_vector
from server.directory.records import (
    MAILBOX_PERSON,
    DirectoryEntry,
    OrganizationRecord,
    PractitionerRecord,
    RoleRecord,
)
from server.directory.search import Query, StringFilter
from server.directory.text import fold, prefix_query, words
from server.regional.rate_limit import SlidingWindow
from server.storage import Migration

if TYPE_CHECKING:
    from server.context import Sandbox

_SCHEMA = """
    CREATE TABLE dir_organization (
        n INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        finess TEXT NOT NULL,
        insee TEXT NOT NULL,
        city TEXT NOT NULL,
        city_key TEXT NOT NULL,
        postal_code TEXT NOT NULL,
        departement TEXT NOT NULL,
        line TEXT NOT NULL,
        lat REAL NOT NULL,
        lon REAL NOT NULL,
        phone TEXT NOT NULL,
        services TEXT NOT NULL,
        sort_key TEXT NOT NULL
    );
    CREATE INDEX dir_organization_finess ON dir_organization (finess);
    CREATE INDEX dir_organization_postal ON dir_organization (postal_code);
    CREATE INDEX dir_organization_city ON dir_organization (city_key);
    CREATE INDEX dir_organization_dep ON dir_organization (departement);
    CREATE INDEX dir_organization_sort ON dir_organization (sort_key);
    CREATE TABLE dir_practitioner (
        n INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        rpps TEXT NOT NULL UNIQUE,
        prefix TEXT NOT NULL,
        given TEXT NOT NULL,
        family TEXT NOT NULL,
        gender TEXT NOT NULL,
        email TEXT NOT NULL COLLATE NOCASE,
        profession TEXT NOT NULL,
        specialty TEXT,
        expert INTEGER NOT NULL DEFAULT 0,
        sort_key TEXT NOT NULL,
        name_key TEXT NOT NULL
    );
    CREATE INDEX dir_practitioner_email ON dir_practitioner (email);
    CREATE INDEX dir_practitioner_sort ON dir_practitioner (sort_key);
    CREATE TABLE dir_role (
        n INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        practitioner_n INTEGER NOT NULL REFERENCES dir_practitioner (n),
        organization_n INTEGER NOT NULL REFERENCES dir_organization (n),
        profession TEXT NOT NULL,
        specialty TEXT,
        service TEXT NOT NULL,
        competences TEXT NOT NULL,
        email TEXT NOT NULL COLLATE NOCASE,
        expert INTEGER NOT NULL DEFAULT 0,
        postal_code TEXT NOT NULL,
        city_key TEXT NOT NULL,
        departement TEXT NOT NULL,
        lat REAL NOT NULL,
        lon REAL NOT NULL,
        sort_key TEXT NOT NULL
    );
    CREATE INDEX dir_role_practitioner ON dir_role (practitioner_n);
    CREATE INDEX dir_role_organization ON dir_role (organization_n);
    CREATE INDEX dir_role_profession ON dir_role (profession, departement, expert, sort_key);
    CREATE INDEX dir_role_specialty ON dir_role (specialty, departement, expert, sort_key);
    CREATE INDEX dir_role_postal ON dir_role (postal_code, profession, specialty);
    CREATE INDEX dir_role_city ON dir_role (city_key);
    CREATE INDEX dir_role_dep ON dir_role (departement, specialty, profession, expert);
    CREATE INDEX dir_role_email ON dir_role (email);
    CREATE INDEX dir_role_expert ON dir_role (expert) WHERE expert = 1;
    CREATE INDEX dir_role_sort ON dir_role (sort_key);
    CREATE TABLE dir_mailbox (
        email TEXT PRIMARY KEY COLLATE NOCASE,
        kind TEXT NOT NULL,
        label TEXT NOT NULL,
        organization_n INTEGER NOT NULL REFERENCES dir_organization (n)
    );
    CREATE INDEX dir_mailbox_organization ON dir_mailbox (organization_n);
    CREATE VIRTUAL TABLE dir_name_fts USING fts5 (
        family, given, tokenize = 'unicode61', prefix = '2 3');
    CREATE VIRTUAL TABLE dir_name_tri USING fts5 (family, given, tokenize = 'trigram');
    CREATE VIRTUAL TABLE dir_role_text USING fts5 (body, tokenize = 'unicode61', prefix = '2 3');
    CREATE VIRTUAL TABLE dir_org_fts USING fts5 (
        name, body, tokenize = 'unicode61', prefix = '2 3');
    CREATE VIRTUAL TABLE dir_org_tri USING fts5 (name, tokenize = 'trigram');
    CREATE VIRTUAL TABLE dir_role_geo USING rtree (n, min_lat, max_lat, min_lon, max_lon);
    CREATE VIRTUAL TABLE dir_org_geo USING rtree (n, min_lat, max_lat, min_lon, max_lon);
    """
# Copies of the role's criteria in dir_role_point, so `near` with criteria reads one table.
_ROLE_POINT_COLUMNS = (
    "practitioner_n",
    "profession",
    "specialty",
    "expert",
    "postal_code",
    "city_key",
    "departement",
)
_Point = tuple[int, float, float, str, tuple[Any, ...]]  # n, lat, lon, sort key, extra columns


def _add_points(conn: sqlite3.Connection) -> None:
    """Step 2: positions clustered by latitude with their unit vectors replace the R*Trees.

    Reading the R*Tree then each row cost a page lookup per candidate (30 ms for 17,000 roles
    around Lyon); a WITHOUT ROWID table keyed by position is read as one contiguous range.
    Also an index on the folded names, scanned instead of the table by 1- and 2-letter
    `:contains` searches, and one that sorts the roles of a set of people without reading
    the roles (name searches).
    """
    conn.execute("DROP TABLE dir_role_geo")
    conn.execute("DROP TABLE dir_org_geo")
    conn.execute("CREATE INDEX dir_practitioner_name ON dir_practitioner (name_key)")
    conn.execute("CREATE INDEX dir_role_practitioner_sort ON dir_role (practitioner_n, sort_key)")
    point = "lat REAL NOT NULL, lon REAL NOT NULL, n INTEGER NOT NULL, x REAL NOT NULL, "
    point += "y REAL NOT NULL, z REAL NOT NULL, sort_key TEXT NOT NULL"
    key = "PRIMARY KEY (lat, lon, n)) WITHOUT ROWID"
    conn.execute(f"CREATE TABLE dir_org_point ({point}, {key}")
    conn.execute(
        f"CREATE TABLE dir_role_point ({point}, practitioner_n INTEGER NOT NULL, "
        "profession TEXT NOT NULL, specialty TEXT, expert INTEGER NOT NULL, "
        f"postal_code TEXT NOT NULL, city_key TEXT NOT NULL, departement TEXT NOT NULL, {key}"
    )
    conn.execute("CREATE INDEX dir_role_point_practitioner ON dir_role_point (practitioner_n)")
    rows = conn.execute("SELECT n, lat, lon, sort_key FROM dir_organization").fetchall()
    _insert_points(conn, "dir_org_point", [(r[0], r[1], r[2], r[3], ()) for r in rows])
    columns = ", ".join(_ROLE_POINT_COLUMNS)
    rows = conn.execute(f"SELECT n, lat, lon, sort_key, {columns} FROM dir_role").fetchall()
    _insert_points(conn, "dir_role_point", [(r[0], r[1], r[2], r[3], tuple(r[4:])) for r in rows])
    if conn.execute("SELECT count(*) FROM dir_role").fetchone()[0] > 1000:
        conn.execute("ANALYZE")


def _insert_points(conn: sqlite3.Connection, table: str, rows: Sequence[_Point]) -> None:
    if not rows:
        return
    marks = ",".join("?" * (7 + len(rows[0][4])))
    conn.executemany(
        f"INSERT INTO {table} VALUES ({marks})",
        [(lat, lon, n, *unit_vector(lat, lon), key, *extra) for n, lat, lon, key, extra in rows],
    )


def _add_search_keys(conn: sqlite3.Connection) -> None:
    """Step 3: every criterion evaluated by SQLite over covering indexes, no id sets in Python.

    Roles get the folded names of their practitioner (`name_key`, beside the sort key in the
    index walked in name order), so 1- and 2-letter `:contains` words are found by scanning one
    index. The address indexes end with `practitioner_n`, so a Practitioner search by place
    collects its people without reading the roles. Practitioners get indexes on their profession,
    specialty and téléexpert flag, which their roles copy.
    """
    conn.execute("ALTER TABLE dir_role ADD COLUMN name_key TEXT NOT NULL DEFAULT ''")
    conn.execute(
        "UPDATE dir_role SET name_key = "
        "(SELECT p.name_key FROM dir_practitioner p WHERE p.n = dir_role.practitioner_n)"
    )
    for index in ("dir_role_sort", "dir_role_postal", "dir_role_dep", "dir_role_city"):
        conn.execute(f"DROP INDEX {index}")
    conn.execute("CREATE INDEX dir_role_sort ON dir_role (sort_key, name_key, practitioner_n)")
    conn.execute(
        "CREATE INDEX dir_role_postal ON dir_role "
        "(postal_code, profession, specialty, practitioner_n)"
    )
    conn.execute(
        "CREATE INDEX dir_role_dep ON dir_role "
        "(departement, specialty, profession, expert, practitioner_n)"
    )
    conn.execute("CREATE INDEX dir_role_city ON dir_role (city_key, practitioner_n)")
    for name, columns in (
        ("profession", "profession, specialty, expert"),
        ("specialty", "specialty, expert"),
        ("expert", "expert) WHERE (expert = 1"),
    ):
        conn.execute(f"CREATE INDEX dir_practitioner_{name} ON dir_practitioner ({columns})")
    if conn.execute("SELECT count(*) FROM dir_role").fetchone()[0] > 1000:
        conn.execute("ANALYZE")


# Issue 14 §4: a box may be on the "liste rouge" (served flagged, never found by a search).
_ADD_LISTE_ROUGE = "ALTER TABLE dir_mailbox ADD COLUMN liste_rouge INTEGER NOT NULL DEFAULT 0"

MIGRATIONS: list[Migration] = [_SCHEMA, _add_points, _add_search_keys, _ADD_LISTE_ROUGE]


@dataclass(frozen=True)
class Page:
    """One page of a search: the keys `n` of the matches in order, and their distances if near."""

    total: int
    keys: list[int]
    distances: dict[int, float]


class _Where:
    """WHERE clauses and their parameters, for one table alias."""

    def __init__(self) -> None:
        self.clauses: list[str] = []
        self.params: list[Any] = []

    def add(self, clause: str, *params: Any) -> None:
        self.clauses.append(clause)
        self.params.extend(params)

    def copy(self) -> _Where:
        other = _Where()
        other.clauses, other.params = list(self.clauses), list(self.params)
        return other

    def any_of(self, column: str, values: Sequence[str]) -> None:
        self.add(f"{column} IN ({','.join('?' * len(values))})", *values)

    def sql(self) -> str:
        return " AND ".join(self.clauses) if self.clauses else "1"


class DirectoryStore:
    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox
        self._db = sandbox.db
        self._db.migrate("directory", MIGRATIONS)
        self._one_role_each: bool | None = None  # see _single_role; reset by insert
        # Requests per second per application, as the national API counts them (issue 14 §4).
        limit = sandbox.config.directory_rate_limit
        self.rate_window = SlidingWindow(limit, 1.0) if limit else None

    # ---- writing -------------------------------------------------------------------------

    def insert(
        self,
        organizations: Sequence[OrganizationRecord],
        practitioners: Sequence[PractitionerRecord],
        roles: Sequence[RoleRecord],
    ) -> None:
        """Adds records in one transaction (the demo generator writes tens of thousands at once)."""
        self._one_role_each = None
        with self._db.write() as conn:
            org_n = self._insert_organizations(conn, organizations)
            prac = self._insert_practitioners(conn, practitioners)
            self._insert_roles(conn, roles, prac, org_n)
            if len(roles) > 1000:  # statistics so the planner picks the right index per criterion
                conn.execute("ANALYZE")

    def _next_n(self, conn: sqlite3.Connection, table: str) -> int:
        row = conn.execute(f"SELECT coalesce(max(n), 0) FROM {table}").fetchone()
        return int(row[0]) + 1

    def _insert_organizations(
        self, conn: sqlite3.Connection, organizations: Sequence[OrganizationRecord]
    ) -> dict[str, OrganizationRecord]:
        start = self._next_n(conn, "dir_organization")
        rows: list[tuple[Any, ...]] = []
        fts: list[tuple[int, str, str]] = []
        tri: list[tuple[int, str]] = []
        points: list[_Point] = []
        boxes: list[tuple[str, str, str, int, int]] = []
        for n, o in enumerate(organizations, start=start):
            rows.append(
                (
                    n,
                    o.id,
                    o.name,
                    o.kind,
                    o.finess,
                    o.insee,
                    o.city,
                    fold(o.city),
                    o.postal_code,
                    o.departement,
                    o.line,
                    o.lat,
                    o.lon,
                    o.phone,
                    json.dumps(o.services),
                    f"{fold(o.name)} {o.id}",
                )
            )
            body = " ".join([o.kind, o.city, *o.services, *(b.label for b in o.mailboxes)])
            fts.append((n, fold(o.name), fold(body)))
            tri.append((n, fold(o.name)))
            points.append((n, o.lat, o.lon, rows[-1][-1], ()))
            boxes.extend((b.email, b.kind, b.label, n, int(b.liste_rouge)) for b in o.mailboxes)
        conn.executemany(f"INSERT INTO dir_organization VALUES ({','.join('?' * 16)})", rows)
        conn.executemany("INSERT INTO dir_org_fts (rowid, name, body) VALUES (?, ?, ?)", fts)
        conn.executemany("INSERT INTO dir_org_tri (rowid, name) VALUES (?, ?)", tri)
        _insert_points(conn, "dir_org_point", points)
        conn.executemany(
            "INSERT INTO dir_mailbox (email, kind, label, organization_n, liste_rouge) "
            "VALUES (?, ?, ?, ?, ?)",
            boxes,
        )
        return {o.id: o for o in organizations}

    def _insert_practitioners(
        self, conn: sqlite3.Connection, practitioners: Sequence[PractitionerRecord]
    ) -> dict[str, tuple[int, PractitionerRecord]]:
        start = self._next_n(conn, "dir_practitioner")
        rows, names = [], []
        out: dict[str, tuple[int, PractitionerRecord]] = {}
        for n, p in enumerate(practitioners, start=start):
            rows.append(
                (
                    n,
                    p.id,
                    p.rpps,
                    p.prefix,
                    p.given,
                    p.family,
                    p.gender,
                    p.email,
                    p.profession,
                    p.specialty,
                    int(p.expert),
                    _person_sort_key(p.family, p.given, p.id),
                    f"{fold(p.family)}\x1f{fold(p.given)}",
                )
            )
            names.append((n, fold(p.family), fold(p.given)))
            out[p.id] = (n, p)
        conn.executemany(f"INSERT INTO dir_practitioner VALUES ({','.join('?' * 13)})", rows)
        conn.executemany("INSERT INTO dir_name_fts (rowid, family, given) VALUES (?, ?, ?)", names)
        conn.executemany("INSERT INTO dir_name_tri (rowid, family, given) VALUES (?, ?, ?)", names)
        return out

    def _insert_roles(
        self,
        conn: sqlite3.Connection,
        roles: Sequence[RoleRecord],
        practitioners: dict[str, tuple[int, PractitionerRecord]],
        organizations: dict[str, OrganizationRecord],
    ) -> None:
        org_rows = {
            r["id"]: r
            for r in conn.execute(
                "SELECT n, id, name, postal_code, city_key, departement, lat, lon "
                "FROM dir_organization WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted({r.organization_id for r in roles})),),
            )
        }
        start = self._next_n(conn, "dir_role")
        rows, text = [], []
        points: list[_Point] = []
        for n, r in enumerate(roles, start=start):
            p_n, p = practitioners[r.practitioner_id]
            o = org_rows[r.organization_id]
            rows.append(
                (
                    n,
                    r.id,
                    p_n,
                    o["n"],
                    p.profession,
                    p.specialty,
                    r.service,
                    json.dumps(r.competences),
                    p.email,
                    int(p.expert),
                    o["postal_code"],
                    o["city_key"],
                    o["departement"],
                    o["lat"],
                    o["lon"],
                    _person_sort_key(p.family, p.given, r.id),
                    f"{fold(p.family)}\x1f{fold(p.given)}",
                )
            )
            labels = [PROFESSIONS.get(p.profession, ""), SPECIALTIES.get(p.specialty or "", "")]
            body = " ".join([*labels, r.service, *r.competences, o["name"]])
            text.append((n, fold(body)))
            row = rows[-1]  # practitioner_n, profession, specialty, expert, postal, city, dep
            points.append((n, o["lat"], o["lon"], row[15], (*row[2:3], *row[4:6], *row[9:13])))
        conn.executemany(f"INSERT INTO dir_role VALUES ({','.join('?' * 17)})", rows)
        conn.executemany("INSERT INTO dir_role_text (rowid, body) VALUES (?, ?)", text)
        _insert_points(conn, "dir_role_point", points)

    def set_expert(self, practitioner_id: str, expert: bool) -> bool:
        """Marks a practitioner as a declared téléexpert (or not); False if the id is unknown."""
        with self._db.write() as conn:
            cursor = conn.execute(
                "UPDATE dir_practitioner SET expert = ? WHERE id = ?",
                (int(expert), practitioner_id),
            )
            conn.execute(
                "UPDATE dir_role SET expert = ? WHERE practitioner_n = "
                "(SELECT n FROM dir_practitioner WHERE id = ?)",
                (int(expert), practitioner_id),
            )
            conn.execute(
                "UPDATE dir_role_point SET expert = ? WHERE practitioner_n = "
                "(SELECT n FROM dir_practitioner WHERE id = ?)",
                (int(expert), practitioner_id),
            )
        return cursor.rowcount > 0

    def set_mailbox(self, conn: sqlite3.Connection, practitioner_id: str, email: str) -> None:
        """The practitioner's MSSanté address is now `email` (a Sara account just activated,
        server/registration.py), on the practitioner and its roles, in the caller's
        transaction. The sandbox's directory keeps one personal address per professional."""
        conn.execute("UPDATE dir_practitioner SET email = ? WHERE id = ?", (email, practitioner_id))
        conn.execute(
            "UPDATE dir_role SET email = ? WHERE practitioner_n = "
            "(SELECT n FROM dir_practitioner WHERE id = ?)",
            (email, practitioner_id),
        )

    # ---- reading -------------------------------------------------------------------------

    def practitioner_by_rpps(self, rpps: str) -> sqlite3.Row | None:
        """The directory's entry of an RPPS number (the registration checks the identity)."""
        with self._db.read() as conn:
            row: sqlite3.Row | None = conn.execute(
                "SELECT * FROM dir_practitioner WHERE rpps = ?", (rpps,)
            ).fetchone()
        return row

    def lookup_email(self, email: str) -> DirectoryEntry | None:
        """Who is behind an MSSanté address: a practitioner's box or an organisation's."""
        with self._db.read() as conn:
            row = conn.execute(
                "SELECT p.id, p.prefix, p.given, p.family, p.profession, p.specialty, p.expert, "
                "p.email, o.id AS org_id, o.name AS org_name FROM dir_practitioner p "
                "LEFT JOIN dir_role r ON r.practitioner_n = p.n "
                "LEFT JOIN dir_organization o ON o.n = r.organization_n "
                "WHERE p.email = ? ORDER BY r.n LIMIT 1",
                (email.strip(),),
            ).fetchone()
            if row is not None:
                return DirectoryEntry(
                    email=row["email"],
                    kind=MAILBOX_PERSON,
                    name=" ".join(x for x in (row["prefix"], row["given"], row["family"]) if x),
                    practitioner_id=row["id"],
                    profession_code=row["profession"],
                    profession=PROFESSIONS.get(row["profession"]),
                    specialty_code=row["specialty"],
                    specialty=SPECIALTIES.get(row["specialty"] or ""),
                    organization_id=row["org_id"],
                    organization=row["org_name"],
                    expert=bool(row["expert"]),
                )
            box = conn.execute(
                "SELECT m.email, m.kind, m.label, o.id, o.name FROM dir_mailbox m "
                "JOIN dir_organization o ON o.n = m.organization_n WHERE m.email = ?",
                (email.strip(),),
            ).fetchone()
        if box is None:
            return None
        return DirectoryEntry(
            email=box[0],
            kind=box[1],
            name=f"{box[2]} — {box[4]}" if box[2] else box[4],
            practitioner_id=None,
            profession_code=None,
            profession=None,
            specialty_code=None,
            specialty=None,
            organization_id=box[3],
            organization=box[4],
            expert=False,
        )

    def key_of(self, conn: sqlite3.Connection, resource: str, resource_id: str) -> int | None:
        row = conn.execute(f"SELECT n FROM {_TABLE[resource]} WHERE id = ?", (resource_id,))
        found = row.fetchone()
        return int(found[0]) if found else None

    def practitioners(self, conn: sqlite3.Connection, keys: Sequence[int]) -> list[sqlite3.Row]:
        return self._rows(conn, "SELECT * FROM dir_practitioner p", "p.n", keys)

    def organizations(self, conn: sqlite3.Connection, keys: Sequence[int]) -> list[sqlite3.Row]:
        return self._rows(conn, "SELECT * FROM dir_organization o", "o.n", keys)

    def roles(self, conn: sqlite3.Connection, keys: Sequence[int]) -> list[sqlite3.Row]:
        return self._rows(
            conn,
            "SELECT r.*, p.id AS practitioner_id, p.prefix, p.given, p.family, p.rpps, "
            "o.id AS organization_id, o.name AS organization_name FROM dir_role r "
            "JOIN dir_practitioner p ON p.n = r.practitioner_n "
            "JOIN dir_organization o ON o.n = r.organization_n",
            "r.n",
            keys,
        )

    def mailboxes(self, conn: sqlite3.Connection, org_keys: Sequence[int]) -> list[sqlite3.Row]:
        return list(
            conn.execute(
                "SELECT * FROM dir_mailbox WHERE organization_n IN "
                "(SELECT value FROM json_each(?)) ORDER BY email",
                (json.dumps(list(org_keys)),),
            )
        )

    def roles_of_practitioners(self, conn: sqlite3.Connection, keys: Sequence[int]) -> list[int]:
        return [
            int(r[0])
            for r in conn.execute(
                "SELECT n FROM dir_role WHERE practitioner_n IN "
                "(SELECT value FROM json_each(?)) ORDER BY n",
                (json.dumps(list(keys)),),
            )
        ]

    def _rows(
        self, conn: sqlite3.Connection, select: str, key: str, keys: Sequence[int]
    ) -> list[sqlite3.Row]:
        found = {
            int(row["n"]): row
            for row in conn.execute(
                f"{select} WHERE {key} IN (SELECT value FROM json_each(?))",
                (json.dumps(list(keys)),),
            )
        }
        return [found[k] for k in keys if k in found]

    # ---- searching -----------------------------------------------------------------------

    def search(
        self, conn: sqlite3.Connection, resource: str, query: Query, offset: int, count: int
    ) -> Page:
        """The matches of `query` in order (by name, or by distance with `near`), one page.

        Every criterion is a clause SQLite evaluates (FTS tables hand their rowids to an IN
        subquery, short `:contains` words are looked for in an index of folded names), and
        SQLite counts and orders: sets of ids never travel through Python.
        """
        if query.near is not None and resource != "Organization":
            near = self._roles_near(resource, query, self._single_role(conn))
            return self._near_page(conn, near, query, offset, count)
        if resource == "Organization":
            where = self._organization_where(query)
            if query.near is not None:
                return self._near_page(conn, _OrganizationsNear(where), query, offset, count)
            return self._sorted_page(conn, "dir_organization", "o", where, where, offset, count)
        if resource == "PractitionerRole":
            where = _Where()
            _role_criteria(where, query, "r")
            _place_criteria(where, query, "r")
            _person_criteria(where, query, "r", "r.practitioner_n", "r.name_key", "r.email")
            for ids in query.ids:
                where.any_of("r.id", ids)
            return self._sorted_page(conn, "dir_role", "r", where, where, offset, count)
        # A practitioner's profession, specialty and téléexpert flag are copied on its roles:
        # they are read on the practitioner; only places and free text need the roles.
        person = _Where()
        _role_criteria(person, query, "p")
        _person_criteria(person, query, "p", "p.n", "p.name_key", "p.email")
        for ids in query.ids:
            person.any_of("p.id", ids)
        place, checked = _Where(), _Where()
        _place_criteria(place, query, "r")
        _place_criteria(checked, query, "r", "+r.n")
        if not place.clauses:
            return self._sorted_page(conn, "dir_practitioner", "p", person, person, offset, count)
        counted, scanned = person.copy(), person.copy()
        counted.add(
            f"p.n IN (SELECT r.practitioner_n FROM dir_role r WHERE {place.sql()})", *place.params
        )
        scanned.add(
            f"EXISTS (SELECT 1 FROM dir_role r WHERE r.practitioner_n = p.n AND {checked.sql()})",
            *checked.params,
        )
        return self._sorted_page(conn, "dir_practitioner", "p", counted, scanned, offset, count)

    def _sorted_page(
        self,
        conn: sqlite3.Connection,
        table: str,
        alias: str,
        where: _Where,
        scan_where: _Where,
        offset: int,
        count: int,
    ) -> Page:
        """Counts the matches, then reads the page by the cheaper of two plans.

        Walking the index in name order stops after about (offset + count) × rows / total
        entries; collecting the matches and sorting them costs `total`. The exact count tells
        which is smaller, which SQLite's planner cannot know for FTS or `instr` criteria.
        `scan_where` is `where` written for the walk (EXISTS instead of IN where it matters).
        """
        total = int(
            conn.execute(
                f"SELECT count(*) FROM {table} {alias} WHERE {where.sql()}", where.params
            ).fetchone()[0]
        )
        if count == 0 or offset >= total:
            return Page(total, [], {})
        rows = int(conn.execute(f"SELECT coalesce(max(n), 0) FROM {table}").fetchone()[0])
        if (offset + count) * rows <= total * total:
            sql = (
                f"SELECT {alias}.n FROM {table} {alias} INDEXED BY {table}_sort "
                f"WHERE {scan_where.sql()} ORDER BY {alias}.sort_key LIMIT ? OFFSET ?"
            )
            params = scan_where.params
        else:
            sql = (
                f"WITH m AS MATERIALIZED (SELECT {alias}.n AS n, {alias}.sort_key AS s "
                f"FROM {table} {alias} WHERE {where.sql()}) "
                "SELECT n FROM m ORDER BY s LIMIT ? OFFSET ?"
            )
            params = where.params
        keys = [int(r[0]) for r in conn.execute(sql, [*params, count, offset])]
        return Page(total, keys, {})

    def _roles_near(self, resource: str, query: Query, single_role: bool) -> _Near:
        """Every criterion of a role is a column of `dir_role_point`: no other table is read."""
        where = _Where()
        _role_criteria(where, query, "q")
        _place_criteria(where, query, "q")
        _person_criteria(where, query, "q", "q.practitioner_n", None, None)
        for ids in query.ids:
            marks = ",".join("?" * len(ids))
            if resource == "Practitioner":
                where.add(
                    f"q.practitioner_n IN (SELECT n FROM dir_practitioner WHERE id IN ({marks}))",
                    *ids,
                )
            else:
                where.add(f"q.n IN (SELECT n FROM dir_role WHERE id IN ({marks}))", *ids)
        if resource == "Practitioner" and not single_role:
            return _RolesNear(where, "practitioner")
        return _RolesNear(where, "role" if resource == "PractitionerRole" else "single")

    def _near_page(
        self, conn: sqlite3.Connection, near: _Near, query: Query, offset: int, count: int
    ) -> Page:
        """Counts the whole disc, then orders only as many rows as the page needs.

        Ordering 100,000 rows costs several times more than counting them. A page near the
        start is looked for in the smallest disc that holds it, grown until it holds a full page
        (every row outside is farther than every row inside); a page past the middle is read
        from the far end (ORDER BY … DESC), so SQLite keeps only `total - offset` rows.
        """
        assert query.near is not None
        km = query.near.km
        total = int(conn.execute(*near.sql(query, km, "count(*)")).fetchone()[0])
        if count == 0 or offset >= total:
            return Page(total, [], {})
        wanted = offset + count
        if offset > total // 2:
            sql, params = near.sql(query, km, "n, d, s")
            first = max(total - wanted, 0)
            rows = conn.execute(
                f"{sql} ORDER BY d DESC, s DESC LIMIT ? OFFSET ?",
                [*params, total - offset - first, first],
            ).fetchall()[::-1]
        else:
            radius = km if total <= 4 * wanted else km * math.sqrt(2 * wanted / total)
            while True:
                sql, params = near.sql(query, radius, "n, d, s")
                rows = conn.execute(
                    f"{sql} ORDER BY d, s LIMIT ? OFFSET ?", [*params, count, offset]
                ).fetchall()
                if radius >= km or len(rows) == min(count, total - offset):
                    break
                radius = min(km, radius * 2)
        return Page(total, [int(r[0]) for r in rows], {int(r[0]): km_of_chord2(r[1]) for r in rows})

    def _single_role(self, conn: sqlite3.Connection) -> bool:
        """Whether no practitioner has two roles (then a practitioner is as near as its role)."""
        if self._one_role_each is None:
            self._one_role_each = (
                conn.execute(
                    "SELECT 1 FROM dir_role GROUP BY practitioner_n HAVING count(*) > 1 LIMIT 1"
                ).fetchone()
                is None
            )
        return self._one_role_each

    def _organization_where(self, query: Query) -> _Where:
        w = _Where()
        for f in query.name:
            if f.contains:
                for word in words(f.value) or [""]:
                    if len(word) >= 3:
                        w.add(_fts_in("o.n", "dir_org_tri"), f'{{name}} : "{word}"')
                    elif word:  # too short for trigrams: the folded name before the id
                        name = "substr(o.sort_key, 1, length(o.sort_key) - length(o.id))"
                        w.add(f"instr({name}, ?) > 0", word)
                    else:
                        w.add("0")
            else:
                _match(w, "o.n", "dir_org_fts", prefix_query(f.value, "name"))
        listed = "SELECT organization_n FROM dir_mailbox WHERE liste_rouge = 0"
        for email in query.mailbox:
            w.add(f"o.n IN ({listed} AND email = ?)", email)
        for part in query.mailbox_contains:
            w.add(f"o.n IN ({listed} AND instr(lower(email), lower(?)) > 0)", part)
        for kinds in query.mailbox_type:
            w.add(f"o.n IN ({listed} AND kind IN ({','.join('?' * len(kinds))}))", *kinds)
        _address(w, "o", query)
        for text in query.text:
            _match(w, "o.n", "dir_org_fts", prefix_query(text))
        for ids in query.ids:
            w.any_of("o.id", ids)
        for values in query.identifier:
            w.any_of("o.finess", values)
        return w


def _fts_in(key: str, table: str) -> str:
    return f"{key} IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)"


def _match(w: _Where, key: str, table: str, match: str | None) -> None:
    if match is None:  # nothing searchable in the value: nothing matches
        w.add("0")
    else:
        w.add(_fts_in(key, table), match)


def _role_criteria(w: _Where, query: Query, alias: str) -> None:
    """Profession, specialty, téléexpert: columns of roles, their positions and practitioners."""
    for codes in query.profession:
        w.any_of(f"{alias}.profession", codes)
    for codes in query.specialty:
        w.any_of(f"{alias}.specialty", codes)
    if query.expert is not None:
        w.add(f"{alias}.expert = ?", int(query.expert))


def _place_criteria(w: _Where, query: Query, alias: str, key: str | None = None) -> None:
    """Address and free text: criteria of a role, whose key is `key` (`alias.n` by default).

    A key of "+r.n" keeps SQLite from looping over the FTS rowids for every row it checks.
    """
    _address(w, alias, query)
    for text in query.text:
        _match(w, key or f"{alias}.n", "dir_role_text", prefix_query(text))


def _person_criteria(
    w: _Where,
    query: Query,
    alias: str,
    person: str,
    name_key: str | None,
    email: str | None,
) -> None:
    """Names, mailbox and RPPS of the practitioner whose key is the column `person`.

    `name_key` is a column holding "family\x1fgiven" folded, scanned for words too short for
    the trigram index; without it they are looked for in the practitioners' own.
    """
    for column, filters in ((None, query.name), ("family", query.family), ("given", query.given)):
        for f in filters:
            _name_criterion(w, f, column, person, name_key)
    for value in query.mailbox:
        if email is not None:
            w.add(f"{email} = ?", value)
        else:
            w.add(f"{person} IN (SELECT n FROM dir_practitioner WHERE email = ?)", value)
    for part in query.mailbox_contains:
        if email is not None:
            w.add(f"instr(lower({email}), lower(?)) > 0", part)
        else:
            w.add(
                f"{person} IN (SELECT n FROM dir_practitioner "
                "WHERE instr(lower(email), lower(?)) > 0)",
                part,
            )
    for kinds in query.mailbox_type:  # a professional's own box is personal (PER)
        if MAILBOX_PERSON not in kinds:
            w.add("0")
    for values in query.identifier:
        marks = ",".join("?" * len(values))
        w.add(f"{person} IN (SELECT n FROM dir_practitioner WHERE rpps IN ({marks}))", *values)


def _name_criterion(
    w: _Where, f: StringFilter, column: str | None, person: str, name_key: str | None
) -> None:
    columns = "{" + (column or "family given") + "}"
    if not f.contains:
        if len(words(f.value)) > 1 and column is None:  # words may spread over both names
            _match(w, person, "dir_name_fts", prefix_query(f.value))
        else:
            _match(w, person, "dir_name_fts", prefix_query(f.value, columns))
        return
    terms = words(f.value)
    if not terms:
        w.add("0")
    for word in terms:  # every word inside one of the names
        if len(word) >= 3:
            w.add(_fts_in(person, "dir_name_tri"), f'{columns} : "{word}"')
        elif name_key is None:
            w.add(
                f"{person} IN (SELECT p.n FROM dir_practitioner p "
                f"WHERE {_short_word('p.name_key', column)})",
                word,
            )
        else:
            w.add(_short_word(name_key, column), word)


def _short_word(name_key: str, column: str | None) -> str:
    """A clause true when the word `?` is inside the family and/or given part of `name_key`.

    A word never holds the separator, so its first occurrence lies in the family part exactly
    when the family holds it.
    """
    if column == "family":
        return f"instr({name_key}, ?) BETWEEN 1 AND instr({name_key}, char(31))"
    if column == "given":
        return f"instr(substr({name_key}, instr({name_key}, char(31))), ?) > 0"
    return f"instr({name_key}, ?) > 0"


def _distance_sql(query: Query, km: float) -> tuple[str, str, list[Any]]:
    """The squared chord to the centre (`d`) and the region clause, over a position table `q`."""
    assert query.near is not None
    x, y, z = unit_vector(query.near.lat, query.near.lon)
    box: Box = bounding_box(query.near.lat, query.near.lon, km)
    region = "q.lat BETWEEN ? AND ?"
    params: list[Any] = [box.min_lat, box.max_lat]
    if box.lon_ranges:
        region += " AND (" + " OR ".join("q.lon BETWEEN ? AND ?" for _ in box.lon_ranges) + ")"
        params.extend(v for lon_range in box.lon_ranges for v in lon_range)
    distance = "((q.x - ?) * (q.x - ?) + (q.y - ?) * (q.y - ?) + (q.z - ?) * (q.z - ?))"
    return distance, region, [x, x, y, y, z, z, *params]


class _Near(Protocol):
    """The matches of a `near` search within `km`, as rows (n, d = squared chord, s = sort key)."""

    def sql(self, query: Query, km: float, columns: str) -> tuple[str, list[Any]]: ...


class _OrganizationsNear:
    """Organisations: their position table, the other criteria on `dir_organization`."""

    def __init__(self, where: _Where) -> None:
        self._where = where

    def sql(self, query: Query, km: float, columns: str) -> tuple[str, list[Any]]:
        distance, region, params = _distance_sql(query, km)
        criteria = ""
        if self._where.clauses:
            criteria = f" AND q.n IN (SELECT o.n FROM dir_organization o WHERE {self._where.sql()})"
        sql = (
            f"SELECT {columns} FROM (SELECT q.n AS n, {distance} AS d, q.sort_key AS s "
            f"FROM dir_org_point q WHERE {region}{criteria}) WHERE d <= ?"
        )
        return sql, [*params, *self._where.params, chord2(km)]


class _RolesNear:
    """Roles, or practitioners at the distance of their nearest role meeting the criteria.

    `key` is "role", "practitioner", or "single" for practitioners when none has two roles
    (each is then at the distance of its only role, without grouping 100,000 rows).
    """

    def __init__(self, where: _Where, key: str) -> None:
        self._where, self._key = where, key

    def sql(self, query: Query, km: float, columns: str) -> tuple[str, list[Any]]:
        distance, region, params = _distance_sql(query, km)
        key = "q.n" if self._key == "role" else "q.practitioner_n"
        roles = (
            f"SELECT {key} AS n, {distance} AS d, q.sort_key AS s "
            f"FROM dir_role_point q WHERE {region} AND {self._where.sql()}"
        )
        if self._key == "practitioner":  # ties broken by the name-led sort key of the role
            roles = f"SELECT n, min(d) AS d, min(s) AS s FROM ({roles}) WHERE d <= ? GROUP BY n"
            return f"SELECT {columns} FROM ({roles})", [*params, *self._where.params, chord2(km)]
        sql = f"SELECT {columns} FROM ({roles}) WHERE d <= ?"
        return sql, [*params, *self._where.params, chord2(km)]


_TABLE = {
    "Practitioner": "dir_practitioner",
    "PractitionerRole": "dir_role",
    "Organization": "dir_organization",
}


def _person_sort_key(family: str, given: str, resource_id: str) -> str:
    return f"{fold(family)}\x1f{fold(given)}\x1f{resource_id}"


def _address(w: _Where, alias: str, query: Query) -> None:
    for prefixes in query.postal_code:
        clauses = []
        for prefix in prefixes:
            if len(prefix) == 5:
                clauses.append(f"{alias}.postal_code = ?")
                w.params.append(prefix)
            else:  # a start of postal code: a range the index can serve
                clauses.append(f"({alias}.postal_code >= ? AND {alias}.postal_code < ?)")
                w.params.extend([prefix, prefix + "\x7f"])
        w.clauses.append("(" + " OR ".join(clauses) + ")")
    for f in query.city:
        city = fold(f.value)
        if not city:  # nothing searchable in the value: nothing matches
            w.add("0")
            continue
        if f.contains:
            w.add(f"{alias}.city_key LIKE ? ESCAPE '\\'", f"%{_like(city)}%")
        elif f.exact:
            w.add(f"{alias}.city_key = ?", city)
        else:
            w.add(f"({alias}.city_key >= ? AND {alias}.city_key < ?)", city, city + "\x7f")
    for deps in query.departement:
        w.any_of(f"{alias}.departement", deps)


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
