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
from collections.abc import Iterable, Sequence
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


MIGRATIONS: list[Migration] = [_SCHEMA, _add_points]


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

    def key_in(self, column: str, keys: Iterable[int]) -> None:
        self.add(f"{column} IN (SELECT value FROM json_each(?))", json.dumps(sorted(keys)))

    def any_of(self, column: str, values: Sequence[str]) -> None:
        self.add(f"{column} IN ({','.join('?' * len(values))})", *values)

    def sql(self) -> str:
        return " AND ".join(self.clauses) if self.clauses else "1"


class DirectoryStore:
    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox
        self._db = sandbox.db
        self._db.migrate("directory", MIGRATIONS)

    # ---- writing -------------------------------------------------------------------------

    def insert(
        self,
        organizations: Sequence[OrganizationRecord],
        practitioners: Sequence[PractitionerRecord],
        roles: Sequence[RoleRecord],
    ) -> None:
        """Adds records in one transaction (the demo generator writes tens of thousands at once)."""
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
        boxes: list[tuple[str, str, str, int]] = []
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
            boxes.extend((b.email, b.kind, b.label, n) for b in o.mailboxes)
        conn.executemany(f"INSERT INTO dir_organization VALUES ({','.join('?' * 16)})", rows)
        conn.executemany("INSERT INTO dir_org_fts (rowid, name, body) VALUES (?, ?, ?)", fts)
        conn.executemany("INSERT INTO dir_org_tri (rowid, name) VALUES (?, ?)", tri)
        _insert_points(conn, "dir_org_point", points)
        conn.executemany("INSERT INTO dir_mailbox VALUES (?, ?, ?, ?)", boxes)
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
                )
            )
            labels = [PROFESSIONS.get(p.profession, ""), SPECIALTIES.get(p.specialty or "", "")]
            body = " ".join([*labels, r.service, *r.competences, o["name"]])
            text.append((n, fold(body)))
            row = rows[-1]  # practitioner_n, profession, specialty, expert, postal, city, dep
            points.append((n, o["lat"], o["lon"], row[-1], (*row[2:3], *row[4:6], *row[9:13])))
        conn.executemany(f"INSERT INTO dir_role VALUES ({','.join('?' * 16)})", rows)
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

    # ---- reading -------------------------------------------------------------------------

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
        """The matches of `query` in order (by name, or by distance with `near`), one page."""
        if query.near is not None and resource != "Organization":
            return self._near_page(
                conn, self._roles_near(conn, resource, query), query, offset, count
            )
        if resource == "Organization":
            where, main = self._organization_where(conn, query), "dir_organization o"
        else:
            role_where = self._role_where(conn, query)
            person_where = self._person_where(conn, query)
            if resource == "PractitionerRole":
                if person_where.clauses:
                    role_where.add(
                        f"r.practitioner_n IN (SELECT p.n FROM dir_practitioner p "
                        f"WHERE {person_where.sql()})",
                        *person_where.params,
                    )
                for ids in query.ids:
                    role_where.any_of("r.id", ids)
                where, main = role_where, "dir_role r"
            else:
                for ids in query.ids:
                    person_where.any_of("p.id", ids)
                if role_where.clauses:
                    person_where.add(
                        "p.n IN (SELECT r.practitioner_n FROM dir_role r "
                        f"WHERE {role_where.sql()})",
                        *role_where.params,
                    )
                where, main = person_where, "dir_practitioner p"
        alias = main[-1]
        if query.near is not None:
            return self._near_page(conn, _OrganizationsNear(where), query, offset, count)
        total = conn.execute(f"SELECT count(*) FROM {main} WHERE {where.sql()}", where.params)
        keys = conn.execute(
            f"SELECT {alias}.n FROM {main} WHERE {where.sql()} "
            f"ORDER BY {alias}.sort_key LIMIT ? OFFSET ?",
            [*where.params, count, offset],
        )
        return Page(int(total.fetchone()[0]), [int(r[0]) for r in keys], {})

    def _roles_near(self, conn: sqlite3.Connection, resource: str, query: Query) -> _Near:
        """Every criterion of a role is a column of `dir_role_point`: no other table is read."""
        where = self._role_where(conn, query, "q")
        person_where = self._person_where(conn, query)
        for ids in query.ids:
            if resource == "Practitioner":
                person_where.any_of("p.id", ids)
            else:
                where.add(
                    f"q.n IN (SELECT n FROM dir_role WHERE id IN ({','.join('?' * len(ids))}))",
                    *ids,
                )
        if person_where.clauses:
            where.add(
                f"q.practitioner_n IN (SELECT p.n FROM dir_practitioner p "
                f"WHERE {person_where.sql()})",
                *person_where.params,
            )
        return _RolesNear(where, by_practitioner=resource == "Practitioner")

    def _near_page(
        self, conn: sqlite3.Connection, near: _Near, query: Query, offset: int, count: int
    ) -> Page:
        """Counts the whole disc, then reads the page from the smallest disc that holds it.

        Ordering 17,000 roles to keep 50 costs as much as counting them again, so when the
        page is a small part of the matches it is looked for in a disc sized for it, grown
        until it holds a full page (every row outside is farther than every row inside).
        """
        assert query.near is not None
        km = query.near.km
        total = int(conn.execute(*near.sql(query, km, "count(*)")).fetchone()[0])
        if count == 0 or offset >= total:
            return Page(total, [], {})
        wanted = offset + count
        radius = km if total <= 4 * wanted else km * math.sqrt(2 * wanted / total)
        while True:
            sql, params = near.sql(query, radius, "n, d")
            rows = conn.execute(
                f"{sql} ORDER BY d, s LIMIT ? OFFSET ?", [*params, count, offset]
            ).fetchall()
            if radius >= km or len(rows) == min(count, total - offset):
                break
            radius = min(km, radius * 2)
        return Page(total, [int(r[0]) for r in rows], {int(r[0]): km_of_chord2(r[1]) for r in rows})

    def _role_where(self, conn: sqlite3.Connection, query: Query, alias: str = "r") -> _Where:
        """Criteria on roles, over `dir_role` or `dir_role_point` (which copies these columns)."""
        w = _Where()
        for codes in query.profession:
            w.any_of(f"{alias}.profession", codes)
        for codes in query.specialty:
            w.any_of(f"{alias}.specialty", codes)
        _address(w, alias, query)
        if query.expert is not None:
            w.add(f"{alias}.expert = ?", int(query.expert))
        for text in query.text:
            w.key_in(f"{alias}.n", self._fts(conn, "dir_role_text", prefix_query(text)))
        return w

    def _person_where(self, conn: sqlite3.Connection, query: Query) -> _Where:
        w = _Where()
        for f in query.name:
            w.key_in("p.n", self._names(conn, f, None))
        for f in query.family:
            w.key_in("p.n", self._names(conn, f, "family"))
        for f in query.given:
            w.key_in("p.n", self._names(conn, f, "given"))
        for email in query.mailbox:
            w.add("p.email = ?", email)
        for values in query.identifier:
            w.any_of("p.rpps", values)
        return w

    def _organization_where(self, conn: sqlite3.Connection, query: Query) -> _Where:
        w = _Where()
        for f in query.name:
            if f.contains:
                w.key_in("o.n", self._contains(conn, "dir_org_tri", f.value, ["name"]))
            else:
                w.key_in("o.n", self._fts(conn, "dir_org_fts", prefix_query(f.value, "name")))
        for email in query.mailbox:
            w.add("o.n IN (SELECT organization_n FROM dir_mailbox WHERE email = ?)", email)
        _address(w, "o", query)
        for text in query.text:
            w.key_in("o.n", self._fts(conn, "dir_org_fts", prefix_query(text)))
        for ids in query.ids:
            w.any_of("o.id", ids)
        for values in query.identifier:
            w.any_of("o.finess", values)
        return w

    def _names(self, conn: sqlite3.Connection, f: StringFilter, column: str | None) -> set[int]:
        columns = [column] if column else ["family", "given"]
        if f.contains:
            return self._contains(conn, "dir_name_tri", f.value, columns)
        if len(words(f.value)) > 1 and column is None:
            return self._fts(conn, "dir_name_fts", prefix_query(f.value))
        return self._fts(conn, "dir_name_fts", prefix_query(f.value, "{" + " ".join(columns) + "}"))

    def _fts(self, conn: sqlite3.Connection, table: str, match: str | None) -> set[int]:
        if match is None:  # nothing searchable in the value: nothing matches
            return set()
        return {
            int(r[0])
            for r in conn.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ?", (match,))
        }

    def _contains(
        self, conn: sqlite3.Connection, table: str, value: str, columns: list[str]
    ) -> set[int]:
        """Rows where every word of `value` occurs inside one of `columns` (trigram index)."""
        result: set[int] | None = None
        for word in words(value):
            if len(word) >= 3:
                target = "{" + " ".join(columns) + "}"
                rows: list[Any] = conn.execute(
                    f"SELECT rowid FROM {table} WHERE {table} MATCH ?", (f'{target} : "{word}"',)
                ).fetchall()
            elif table == "dir_name_tri":  # too short for trigrams: scan the folded names
                part = {"family": 0, "given": 1}.get(columns[0]) if len(columns) == 1 else None
                rows = [
                    (r[0],)
                    for r in conn.execute(
                        "SELECT n, name_key FROM dir_practitioner WHERE instr(name_key, ?) > 0",
                        (word,),
                    )
                    if part is None or word in r[1].split("\x1f")[part]
                ]
            else:
                rows = list(
                    conn.execute(f"SELECT rowid FROM {table} WHERE name LIKE ?", (f"%{word}%",))
                )
            found = {int(r[0]) for r in rows}
            result = found if result is None else result & found
            if not result:
                return set()
        return result or set()


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
    """Roles, or practitioners at the distance of their nearest role meeting the criteria."""

    def __init__(self, where: _Where, by_practitioner: bool) -> None:
        self._where, self._by_practitioner = where, by_practitioner

    def sql(self, query: Query, km: float, columns: str) -> tuple[str, list[Any]]:
        distance, region, params = _distance_sql(query, km)
        roles = (
            f"SELECT q.n AS n, q.practitioner_n AS pn, {distance} AS d, q.sort_key AS s "
            f"FROM dir_role_point q WHERE {region} AND {self._where.sql()}"
        )
        if self._by_practitioner:  # ties broken by the name-led sort key of the role
            roles = (
                f"SELECT pn AS n, min(d) AS d, min(s) AS s FROM ({roles}) WHERE d <= ? GROUP BY pn"
            )
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
