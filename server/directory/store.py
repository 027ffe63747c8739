"""Indexed storage of practitioners, roles and organisations.

Searches must answer in a few milliseconds over 100,000 professionals, so every criterion has
its index: FTS5 tables (accent-folded) pick rowids for names and free text first, plain indexes
serve codes, postal codes and départements, and an R*Tree gives the candidates of `near` before
the exact haversine filter. Rows of the FTS and R*Tree tables share the integer key `n` of the
table they index.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from server.directory.codes import PROFESSIONS, SPECIALTIES
from server.directory.records import (
    MAILBOX_PERSON,
    DirectoryEntry,
    OrganizationRecord,
    PractitionerRecord,
    RoleRecord,
)
from server.directory.search import Query, StringFilter, haversine_km
from server.directory.text import fold, prefix_query, words

if TYPE_CHECKING:
    from server.context import Sandbox

MIGRATIONS = [
    """
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
]


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
        geo: list[tuple[int, float, float, float, float]] = []
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
            geo.append((n, o.lat, o.lat, o.lon, o.lon))
            boxes.extend((b.email, b.kind, b.label, n) for b in o.mailboxes)
        conn.executemany(f"INSERT INTO dir_organization VALUES ({','.join('?' * 16)})", rows)
        conn.executemany("INSERT INTO dir_org_fts (rowid, name, body) VALUES (?, ?, ?)", fts)
        conn.executemany("INSERT INTO dir_org_tri (rowid, name) VALUES (?, ?)", tri)
        conn.executemany("INSERT INTO dir_org_geo VALUES (?, ?, ?, ?, ?)", geo)
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
        rows, text, geo = [], [], []
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
            geo.append((n, o["lat"], o["lat"], o["lon"], o["lon"]))
        conn.executemany(f"INSERT INTO dir_role VALUES ({','.join('?' * 16)})", rows)
        conn.executemany("INSERT INTO dir_role_text (rowid, body) VALUES (?, ?)", text)
        conn.executemany("INSERT INTO dir_role_geo VALUES (?, ?, ?, ?, ?)", geo)

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
            return self._near_page(conn, resource, query, where, offset, count)
        total = conn.execute(f"SELECT count(*) FROM {main} WHERE {where.sql()}", where.params)
        keys = conn.execute(
            f"SELECT {alias}.n FROM {main} WHERE {where.sql()} "
            f"ORDER BY {alias}.sort_key LIMIT ? OFFSET ?",
            [*where.params, count, offset],
        )
        return Page(int(total.fetchone()[0]), [int(r[0]) for r in keys], {})

    def _near_page(
        self,
        conn: sqlite3.Connection,
        resource: str,
        query: Query,
        where: _Where,
        offset: int,
        count: int,
    ) -> Page:
        assert query.near is not None
        near = query.near
        if resource == "Organization":
            sql = (
                f"SELECT o.n, o.lat, o.lon, o.sort_key FROM dir_organization o WHERE {where.sql()}"
            )
        elif resource == "PractitionerRole":
            sql = f"SELECT r.n, r.lat, r.lon, r.sort_key FROM dir_role r WHERE {where.sql()}"
        else:
            sql = (
                "SELECT p.n, r.lat, r.lon, p.sort_key FROM dir_practitioner p "
                f"JOIN dir_role r ON r.practitioner_n = p.n WHERE {where.sql()}"
            )
        best: dict[int, tuple[float, str]] = {}
        for n, lat, lon, sort_key in conn.execute(sql, where.params):
            d = haversine_km(near.lat, near.lon, lat, lon)
            if d <= near.km and (n not in best or d < best[n][0]):
                best[n] = (d, sort_key)
        ordered = sorted(best, key=lambda k: best[k])
        page = ordered[offset : offset + count]
        return Page(len(ordered), page, {k: best[k][0] for k in page})

    def _bbox(self, w: _Where, column: str, table: str, query: Query) -> None:
        """Candidates of `near`: the R*Tree's bounding box, refined later by haversine."""
        assert query.near is not None
        near = query.near
        dlat = near.km / 111.0
        cos = max(math.cos(math.radians(near.lat)), 0.01)
        dlon = min(near.km / (111.32 * cos), 360.0)
        w.add(
            f"{column} IN (SELECT n FROM {table} WHERE max_lat >= ? AND min_lat <= ? "
            "AND max_lon >= ? AND min_lon <= ?)",
            near.lat - dlat,
            near.lat + dlat,
            near.lon - dlon,
            near.lon + dlon,
        )

    def _role_where(self, conn: sqlite3.Connection, query: Query) -> _Where:
        w = _Where()
        for codes in query.profession:
            w.any_of("r.profession", codes)
        for codes in query.specialty:
            w.any_of("r.specialty", codes)
        _address(w, "r", query)
        if query.expert is not None:
            w.add("r.expert = ?", int(query.expert))
        for text in query.text:
            w.key_in("r.n", self._fts(conn, "dir_role_text", prefix_query(text)))
        if query.near is not None:
            self._bbox(w, "r.n", "dir_role_geo", query)
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
        if query.near is not None:
            self._bbox(w, "o.n", "dir_org_geo", query)
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
