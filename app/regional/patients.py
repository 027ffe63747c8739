"""Mes patients as a service: the file active, the regional patient directory (search, create),
following and unfollowing with a reason, a patient's care team and access journal. The page, the
access-log panel and the patient pickers ask this service, never the HTTP client, so that the
offline rule (refused at once, no request waits), when the file active is old enough to read
again, and the follow reasons asked once live in one place, testable without a display.

Nothing about patients is kept here beyond the follow reasons (the server's list, not patient
data): every answer goes to the caller, which shows it and forgets it.

The pure helpers below (a patient's name as care records write it, the local filter of the file
active, a patient once unfollowed, the care team's addresses) are the page's rules in words; the
CLI and tests use them as the UI does."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from app.dates import numeric_date
from app.regional.records import (
    AccessLogPage,
    CareTeam,
    FollowReason,
    Patient,
    PatientMatches,
    Sex,
)
from app.regional.service import Connect, RegionalService
from app.store.records import Address
from app.text import fold


@dataclass(frozen=True)
class SearchCriteria:
    """What a directory search sends: an INS alone, or a family name (birth or usual, whole) with
    a birth date, maybe narrowed by the beginning of the first name."""

    family: str | None = None
    given: str | None = None
    birth_date: dt.date | None = None
    ins: str | None = None


@dataclass(frozen=True)
class NewPatient:
    """A patient's file to create in the regional directory (its creator follows the patient)."""

    given: str
    family: str  # the birth name
    birth_date: dt.date
    sex: Sex = "unknown"
    usual_family: str | None = None
    ins: str | None = None


class PatientsService(RegionalService):
    """`session.patients`. `me` gives the account's own MSSanté address (the care team shows it
    as "(vous)" and a message to the team leaves it out)."""

    def __init__(
        self,
        connect: Connect,
        online: Callable[[], bool],
        me: Callable[[], Awaitable[Address]],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(connect, online, clock)
        self._me = me
        self._reasons: list[FollowReason] | None = None

    async def me(self) -> str:
        return (await self._me()).email

    # The file active ------------------------------------------------------------------------------

    async def file_active(self) -> list[Patient]:
        """The patients I follow. A failed read makes the list stale, so it is read again the next
        time its page shows."""
        try:
            patients = await (await self.client()).file_active()
        except BaseException:
            self._loaded_at = None
            raise
        self.loaded()
        return patients

    async def follow_reasons(self) -> list[FollowReason]:
        """The server's reasons for following a patient, asked once per session."""
        if self._reasons is None:
            self._reasons = await (await self.client()).follow_reasons()
        return list(self._reasons)

    async def follow(self, patient_id: str, reason: str) -> Patient:
        """Adds the patient to my file active for `reason` (a FollowReason code)."""
        return await (await self.client()).follow_patient(patient_id, reason)

    async def unfollow(self, patient_id: str) -> None:
        await (await self.client()).unfollow_patient(patient_id)

    # The regional patient directory ---------------------------------------------------------------

    async def search(self, criteria: SearchCriteria) -> PatientMatches:
        """PatientSearchTooBroad when the criteria do not single a patient out."""
        client = await self.client()
        return await client.search_patients(
            criteria.family, criteria.birth_date, given=criteria.given, ins=criteria.ins
        )

    async def create(self, new: NewPatient, reason: str) -> Patient:
        """Creates the patient's file; I follow the patient for `reason`."""
        client = await self.client()
        return await client.create_patient(
            new.given, new.family, new.birth_date, reason=reason, sex=new.sex,
            usual_family=new.usual_family, ins=new.ins,
        )  # fmt: skip

    # A followed patient's record -----------------------------------------------------------------

    async def care_team(self, patient_id: str) -> CareTeam:
        return await (await self.client()).care_team(patient_id)

    async def access_log(
        self, patient_id: str, cursor: str | None = None, limit: int | None = None
    ) -> AccessLogPage:
        """One page of the patient's access journal, newest first (for the patient's followers)."""
        return await (await self.client()).access_log(patient_id, cursor, limit)


# --- The page's rules in words -----------------------------------------------------------------


def display_name(patient: Patient) -> str:
    """'DUPONT Marie': the family name in capitals first, as French care records write it."""
    return " ".join(part for part in (patient.family.upper(), patient.given) if part)


def matches(patient: Patient, text: str) -> bool:
    """The local filter: every word of `text` is in the name, the birth date or the INS; digits
    alone (an INS typed with or without its spaces) match the INS only."""
    compact = text.replace(" ", "")
    if compact.isdigit():
        return compact in (patient.ins or "")
    haystack = fold(
        " ".join(
            (
                patient.family,
                patient.given,
                numeric_date(patient.birth_date),
                patient.birth_date.isoformat(),
                (patient.ins or ""),
                patient.city,
            )
        )
    )
    return all(word in haystack for word in fold(text).split())


def unfollowed(patient: Patient) -> Patient:
    """The patient as the directory shows them once I no longer follow them: no contact
    details."""
    return dataclasses.replace(patient, in_file_active=False, email=None, mobile=None, city="")


def team_addresses(team: CareTeam, me: str | None = None) -> list[Address]:
    """The care team's MSSanté addresses, each once, without mine (one does not write to
    oneself)."""
    mine = (me or "").casefold()
    seen: set[str] = set()
    out: list[Address] = []
    for member in team.members:
        email = (member.mssante_address or "").strip()
        key = email.casefold()
        if not email or key == mine or key in seen:
            continue
        seen.add(key)
        out.append(Address(member.name or None, email))
    return out


__all__ = [
    "NewPatient",
    "PatientsService",
    "SearchCriteria",
    "display_name",
    "matches",
    "team_addresses",
    "unfollowed",
]
