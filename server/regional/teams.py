"""Équipes ressources: declared teams that requesters can find, with document templates to fill.

Only the declarant edits a team (its words, its members, its templates) and withdraws it: the
team speaks in the declarant's name, and a member withdrawing it would undo a colleague's work. A
member may leave it (their name then no longer shows). Any professional reads the teams and
downloads their templates: that is what they are for."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from server.accounts import Account
from server.regional import team_members
from server.regional.common import new_id, now, to_datetime
from server.regional.errors import RegionalError, bad_request, forbidden, not_found
from server.regional.models import (
    ResourceTeam,
    ResourceTeamCreate,
    ResourceTeamUpdate,
    TeamLimits,
    Template,
)
from server.regional.patients import clean_email
from server.regional.validation import fold, like_pattern, safe_filename
from server.urls import REGIONAL_API_PATH

if TYPE_CHECKING:
    from server.context import Sandbox

MAX_TEMPLATE_BYTES = 10 * 1024 * 1024
MAX_TEMPLATES_PER_TEAM = 20


@dataclass(frozen=True)
class TemplateFile:
    file_name: str
    content_type: str
    data: bytes


class ResourceTeams:
    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox

    def template_limit(self) -> int:
        return min(MAX_TEMPLATE_BYTES, self._sandbox.config.max_size_upload)

    def limits(self) -> TeamLimits:
        return TeamLimits(
            max_template_bytes=self.template_limit(),
            max_templates=MAX_TEMPLATES_PER_TEAM,
            max_members=team_members.MAX_MEMBERS,
        )

    def declare(self, caller: Account, body: ResourceTeamCreate, base_url: str) -> ResourceTeam:
        name, contact = self._name_and_contact(body.name, body.contact_address)
        members = team_members.resolve(self._sandbox, body.members)
        team_id = new_id("rt")
        with self._sandbox.db.write() as conn:
            self.insert(conn, team_id, caller.id, name, body, contact)
            team_members.replace(conn, team_id, members)
        return self.get(team_id, base_url)

    def insert(
        self,
        conn: sqlite3.Connection,
        team_id: str,
        account_id: str,
        name: str,
        body: ResourceTeamCreate,
        contact: str,
    ) -> None:
        description = body.activity_description.strip()
        prerequisites = body.prerequisites.strip()
        conn.execute(
            "INSERT INTO regional_resource_teams (id, account_id, name, activity_description, "
            "prerequisites, contact_address, folded_text, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                team_id,
                account_id,
                name,
                description,
                prerequisites,
                contact,
                _folded(name, description, prerequisites, contact),
                now(),
            ),
        )

    def update(
        self, caller: Account, team_id: str, body: ResourceTeamUpdate, base_url: str
    ) -> ResourceTeam:
        """The fields sent replace the team's; `members` replaces the whole list."""
        with self._sandbox.db.read() as conn:
            row = self._own_row(conn, caller, team_id, "modifier")
        name, contact = self._name_and_contact(
            row["name"] if body.name is None else body.name,
            row["contact_address"] if body.contact_address is None else body.contact_address,
        )
        description = (
            row["activity_description"]
            if body.activity_description is None
            else body.activity_description.strip()
        )
        prerequisites = (
            row["prerequisites"] if body.prerequisites is None else body.prerequisites.strip()
        )
        members = (
            None if body.members is None else team_members.resolve(self._sandbox, body.members)
        )
        with self._sandbox.db.write() as conn:
            self._own_row(conn, caller, team_id, "modifier")
            conn.execute(
                "UPDATE regional_resource_teams SET name = ?, activity_description = ?, "
                "prerequisites = ?, contact_address = ?, folded_text = ?, updated_at = ? "
                "WHERE id = ?",
                (
                    name,
                    description,
                    prerequisites,
                    contact,
                    _folded(name, description, prerequisites, contact),
                    now(),
                    team_id,
                ),
            )
            if members is not None:
                team_members.replace(conn, team_id, members)
        return self.get(team_id, base_url)

    def withdraw(self, caller: Account, team_id: str) -> None:
        """The team, its members and its templates removed: requesters no longer find it."""
        with self._sandbox.db.write() as conn:
            self._own_row(conn, caller, team_id, "retirer")
            for table in ("regional_team_templates", "regional_team_members"):
                conn.execute(f"DELETE FROM {table} WHERE team_id = ?", (team_id,))
            conn.execute("DELETE FROM regional_resource_teams WHERE id = ?", (team_id,))

    def leave(self, caller: Account, team_id: str) -> None:
        """A member takes their name off a team they did not declare."""
        with self._sandbox.db.write() as conn:
            self._row(conn, team_id)
            gone = conn.execute(
                "DELETE FROM regional_team_members WHERE team_id = ? "
                "AND (account_id = ? OR address = ?)",
                (team_id, caller.id, caller.email),
            ).rowcount
        if not gone:
            raise not_found("Vous n'êtes pas membre de cette équipe.")

    def delete_template(self, caller: Account, team_id: str, template_id: str) -> None:
        with self._sandbox.db.write() as conn:
            self._own_row(conn, caller, team_id, "modifier")
            gone = conn.execute(
                "DELETE FROM regional_team_templates WHERE id = ? AND team_id = ?",
                (template_id, team_id),
            ).rowcount
        if not gone:
            raise not_found("Modèle de document introuvable.")

    def mine(self, caller: Account, base_url: str) -> list[ResourceTeam]:
        """The teams I declared, then those I am a member of."""
        with self._sandbox.db.read() as conn:
            rows = conn.execute(
                "SELECT t.* FROM regional_resource_teams t WHERE t.account_id = ? "
                "OR t.id IN (SELECT team_id FROM regional_team_members "
                "WHERE account_id = ? OR address = ?) "
                "ORDER BY t.account_id != ?, t.name, t.id",
                (caller.id, caller.id, caller.email, caller.id),
            ).fetchall()
            return [self._model(conn, r, base_url) for r in rows]

    def _own_row(
        self, conn: sqlite3.Connection, caller: Account, team_id: str, verb: str
    ) -> sqlite3.Row:
        row = self._row(conn, team_id)
        if row["account_id"] != caller.id:
            raise forbidden(f"Seul le déclarant de l'équipe peut la {verb}.")
        return row

    @staticmethod
    def _name_and_contact(name: str, contact_address: str) -> tuple[str, str]:
        contact = clean_email(contact_address, "L'adresse MSSanté de contact est invalide.")
        name = name.strip()
        if not name or contact is None:
            raise bad_request("Le nom de l'équipe et son adresse MSSanté de contact sont requis.")
        return name, contact

    def search(self, text: str | None, base_url: str) -> list[ResourceTeam]:
        where: list[str] = []
        params: list[str] = []
        for word in fold(text or "").split()[:8]:
            where.append("folded_text LIKE ? ESCAPE '\\'")
            params.append(like_pattern(word))
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        with self._sandbox.db.read() as conn:
            rows = conn.execute(
                f"SELECT * FROM regional_resource_teams {clause} ORDER BY name, id LIMIT 200",
                params,
            ).fetchall()
            return [self._model(conn, r, base_url) for r in rows]

    def get(self, team_id: str, base_url: str) -> ResourceTeam:
        with self._sandbox.db.read() as conn:
            return self._model(conn, self._row(conn, team_id), base_url)

    def add_template(
        self, caller: Account, team_id: str, upload: TemplateFile, base_url: str
    ) -> Template:
        if not upload.data:
            raise bad_request("Le fichier du modèle est vide.", "empty_file")
        if len(upload.data) > self.template_limit():
            raise too_large(self.template_limit())
        with self._sandbox.db.write() as conn:
            team = self._row(conn, team_id)
            if team["account_id"] != caller.id:
                raise forbidden("Seul le déclarant de l'équipe peut y ajouter des modèles.")
            count = conn.execute(
                "SELECT COUNT(*) FROM regional_team_templates WHERE team_id = ?", (team_id,)
            ).fetchone()[0]
            if count >= MAX_TEMPLATES_PER_TEAM:
                raise bad_request(
                    f"Une équipe propose au plus {MAX_TEMPLATES_PER_TEAM} modèles de documents : "
                    "supprimez-en un avant d'en ajouter un autre.",
                    "too_many_templates",
                )
            template_id = self.insert_template(conn, caller.id, team_id, upload)
        return self._template(team_id, template_id, base_url)

    def insert_template(
        self, conn: sqlite3.Connection, account_id: str, team_id: str, upload: TemplateFile
    ) -> str:
        content_type = upload.content_type.strip().lower() or "application/octet-stream"
        if "/" not in content_type or len(content_type) > 100 or not content_type.isascii():
            content_type = "application/octet-stream"
        blob = self._sandbox.blobs.put_bytes(conn, account_id, upload.data, content_type)
        template_id = new_id("tpl")
        conn.execute(
            "INSERT INTO regional_team_templates (id, team_id, blob_id, file_name, "
            "content_type, size, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                template_id,
                team_id,
                blob.id,
                safe_filename(upload.file_name),
                content_type,
                blob.size,
                now(),
            ),
        )
        return template_id

    def template_file(self, team_id: str, template_id: str) -> TemplateFile:
        """Any professional may download a team's templates: that is what they are for."""
        with self._sandbox.db.read() as conn:
            row = conn.execute(
                "SELECT * FROM regional_team_templates WHERE id = ? AND team_id = ?",
                (template_id, team_id),
            ).fetchone()
        if row is None:
            raise not_found("Modèle de document introuvable.")
        data = self._sandbox.blobs.read_bytes(row["blob_id"])
        return TemplateFile(row["file_name"], row["content_type"], data)

    def _template(self, team_id: str, template_id: str, base_url: str) -> Template:
        team = self.get(team_id, base_url)
        return next(t for t in team.templates if t.id == template_id)

    @staticmethod
    def _row(conn: sqlite3.Connection, team_id: str) -> sqlite3.Row:
        row: sqlite3.Row | None = conn.execute(
            "SELECT * FROM regional_resource_teams WHERE id = ?", (team_id,)
        ).fetchone()
        if row is None:
            raise not_found("Équipe ressource introuvable.")
        return row

    def _model(self, conn: sqlite3.Connection, row: sqlite3.Row, base_url: str) -> ResourceTeam:
        templates = conn.execute(
            "SELECT * FROM regional_team_templates WHERE team_id = ? ORDER BY created_at, id",
            (row["id"],),
        ).fetchall()
        account = self._sandbox.accounts.by_id(row["account_id"])
        updated = row["updated_at"]
        base = f"{base_url.rstrip('/')}{REGIONAL_API_PATH}/resource-teams/{row['id']}/templates/"
        return ResourceTeam(
            id=row["id"],
            name=row["name"],
            activity_description=row["activity_description"],
            prerequisites=row["prerequisites"],
            contact_address=row["contact_address"],
            declared_by=account.display_name if account else "",
            declarant_address=account.email if account else "",
            members=team_members.of_team(conn, row["id"]),
            templates=[
                Template(
                    id=t["id"],
                    file_name=t["file_name"],
                    content_type=t["content_type"],
                    size=t["size"],
                    download_url=base + t["id"],
                )
                for t in templates
            ],
            created_at=to_datetime(row["created_at"]),
            updated_at=to_datetime(updated) if updated is not None else None,
        )


def _folded(name: str, description: str, prerequisites: str, contact: str) -> str:
    return fold(f"{name} {description} {prerequisites} {contact}")


def too_large(limit: int) -> RegionalError:
    return RegionalError(
        413, "too_large", f"Le modèle dépasse la taille maximale de {limit // (1024 * 1024)} Mo."
    )
