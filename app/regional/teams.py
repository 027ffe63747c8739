"""Équipes ressources as the app uses them (FAQ: "Comment se déclarer comme équipe ressource ?"):
my teams (declared by me, or of which I am a member), declaring, editing and withdrawing one, its
templates uploaded and deleted within the server's limits (said before an upload, not learnt from
its refusal), and, for a requester, finding a team, downloading a template and sending it back
filled, in one step, to the team's contact address.

The server decides who may change a team (its declarant); the service only carries the calls, and
the files: a template is read and written off the event loop."""

from __future__ import annotations

import asyncio
import mimetypes
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from app import messages
from app.attachments import runs_code, safe_file_name
from app.message import doctypes
from app.message.draft import Draft, DraftDocument
from app.records import Address
from app.regional.errors import RegionalError
from app.regional.records import ResourceTeam, TeamLimits, Template
from app.regional.service import Connect, RegionalService
from app.units import file_size


def declared_by(team: ResourceTeam, address: str | None) -> bool:
    """`address` (my MSSanté address) declared the team: I may edit, upload and withdraw."""
    mine = team.declarant_address
    return bool(mine) and bool(address) and mine.casefold() == (address or "").casefold()


def send_back_draft(team: ResourceTeam, filled: Path) -> Draft:
    """The message that returns a filled template: to the team's contact address, the file
    attached (read when the message is sent, so the saved, filled version leaves)."""
    return Draft(
        to=(Address(team.name, team.contact_address),),
        subject=f"{team.name} — {filled.stem}",
        documents=(DraftDocument(filled, doctypes.OTHER_CODE),),
    )


class TeamService(RegionalService):
    def __init__(
        self,
        connect: Connect,
        online: Callable[[], bool],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(connect, online, clock)
        self._limits: TeamLimits | None = None

    async def mine(self) -> list[ResourceTeam]:
        """The teams I declared, then those I am a member of."""
        items = await (await self.client()).my_resource_teams()
        self.loaded()
        return items

    async def search(self, text: str | None = None) -> list[ResourceTeam]:
        """Every team, or those whose name, activity, prerequisites or address hold the words."""
        return await (await self.client()).resource_teams((text or "").strip() or None)

    async def get(self, team_id: str) -> ResourceTeam:
        return await (await self.client()).get_resource_team(team_id)

    async def limits(self) -> TeamLimits:
        """The server's limits (read once: they do not change while the app runs)."""
        if self._limits is None:
            self._limits = await (await self.client()).team_limits()
        return self._limits

    async def declare(
        self,
        name: str,
        activity_description: str,
        contact_address: str,
        prerequisites: str = "",
        members: Sequence[str] = (),
    ) -> ResourceTeam:
        client = await self.client()
        return await client.create_resource_team(
            name, activity_description, contact_address, prerequisites, members
        )

    async def update(
        self,
        team_id: str,
        name: str,
        activity_description: str,
        contact_address: str,
        prerequisites: str,
        members: Sequence[str],
    ) -> ResourceTeam:
        """What the form shows replaces the team's (the members too)."""
        return await (await self.client()).update_resource_team(
            team_id,
            name=name,
            activity_description=activity_description,
            contact_address=contact_address,
            prerequisites=prerequisites,
            members=members,
        )

    async def withdraw(self, team_id: str) -> None:
        """Requesters no longer find it; its templates go with it."""
        await (await self.client()).withdraw_resource_team(team_id)

    async def leave(self, team_id: str) -> None:
        """My name off a team someone else declared."""
        await (await self.client()).leave_resource_team(team_id)

    async def upload_template(self, team: ResourceTeam, path: Path) -> Template:
        """Checked against the server's limits first (a French sentence that names the file),
        then read off the event loop and uploaded."""
        limits = await self.limits()
        if len(team.templates) >= limits.max_templates:
            raise RegionalError(
                "too many templates", messages.TEMPLATES_FULL.fill(count=limits.max_templates)
            )
        size = (await asyncio.to_thread(path.stat)).st_size
        name = safe_file_name(path.name)
        if size > limits.max_template_bytes:
            raise RegionalError(
                "template too large",
                messages.TEMPLATE_TOO_LARGE.fill(
                    name=name, size=file_size(size), limit=file_size(limits.max_template_bytes)
                ),
            )
        if size == 0:
            raise RegionalError("empty template", messages.TEMPLATE_EMPTY.fill(name=name))
        content = await asyncio.to_thread(path.read_bytes)
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return await (await self.client()).upload_template(team.id, name, content, mime)

    async def delete_template(self, team_id: str, template_id: str) -> None:
        await (await self.client()).delete_template(team_id, template_id)

    async def save_template(self, team_id: str, template: Template, target: Path) -> Path:
        """The template downloaded into `target` (written beside, then renamed: never half a
        file), readable by its owner only, as the app's documents are."""
        downloaded = await (await self.client()).download_template(team_id, template.id)
        await asyncio.to_thread(_write, target, downloaded.content)
        return target


def opens_safely(template: Template) -> bool:
    """Whether the system may open it for filling: never a program, whatever the team says."""
    return not runs_code(template.file_name, template.content_type)


def _write(target: Path, content: bytes) -> None:
    partial = target.with_name(target.name + ".part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(content)
    os.replace(partial, target)


__all__ = ["TeamService", "declared_by", "opens_safely", "send_back_draft"]
