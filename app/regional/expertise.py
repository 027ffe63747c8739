"""Téléexpertise as the app uses it (FAQ: a paid opinion asked of an expert about a patient, 4 per
patient and per year): my requests and those I received, the quota, asking, answering, closing,
and my expert profile. The page and the CLI call these; the offline rule (RegionalOffline at once)
and the "read again when old" rule are the base's, so that no page keeps its own."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from app.message.compose import OutgoingAttachment
from app.regional.records import (
    ExpertProfile,
    Quota,
    Teleexpertise,
    TeleexpertiseDocument,
    TeleexpertiseStatus,
)
from app.regional.service import Connect, RegionalService

# (file, MIME type) -> the blob id of the uploaded file, on my mail account (the session's JMAP).
Upload = Callable[[Path, str], Awaitable[str]]


def asked_by(te: Teleexpertise, address: str | None) -> bool:
    """`address` (my MSSanté address) asked for it; otherwise I am the expert asked."""
    mine = te.requester.mssante_address
    return bool(mine) and bool(address) and mine.casefold() == (address or "").casefold()


class ExpertiseService(RegionalService):
    def __init__(
        self,
        connect: Connect,
        online: Callable[[], bool],
        clock: Callable[[], float] = time.monotonic,
        upload: Upload | None = None,
    ) -> None:
        super().__init__(connect, online, clock)
        self._upload = upload

    async def list(self, status: TeleexpertiseStatus | None = None) -> list[Teleexpertise]:
        """Mine, as requester and as expert (of this status only, when given)."""
        items = await (await self.client()).teleexpertises(status)
        self.loaded()
        return items

    async def get(self, teleexpertise_id: str) -> Teleexpertise:
        return await (await self.client()).get_teleexpertise(teleexpertise_id)

    async def quota(self, patient_id: str) -> Quota:
        """What is left this year of the 4 téléexpertises per patient."""
        return await (await self.client()).teleexpertise_quota(patient_id)

    async def request(
        self,
        patient_id: str,
        question: str,
        *,
        expert_address: str | None = None,
        expert_practitioner_id: str | None = None,
        documents: Sequence[OutgoingAttachment] = (),
    ) -> Teleexpertise:
        """Asks the expert: by MSSanté address when the directory gives one, else by the
        practitioner's directory id (the server refuses past the yearly limit, in French). The
        documents are uploaded first, then travel with the request, named and typed."""
        client = await self.client()
        joined: list[TeleexpertiseDocument] = []
        for d in documents:
            if self._upload is None:
                raise ValueError("documents need the session's upload")
            blob_id = await self._upload(d.path, d.mime_type)
            joined.append(TeleexpertiseDocument(blob_id, d.name, d.type_label))
        return await client.request_teleexpertise(
            patient_id,
            question,
            expert_address=expert_address,
            expert_practitioner_id=None if expert_address else expert_practitioner_id,
            documents=joined,
        )

    async def answer(self, teleexpertise_id: str, answer: str) -> Teleexpertise:
        """The expert's opinion on a requested one (it cannot be changed afterwards)."""
        return await (await self.client()).answer_teleexpertise(teleexpertise_id, answer)

    async def close(self, teleexpertise_id: str, report: str) -> Teleexpertise:
        """Closes an answered one with the compte rendu, filed in the patient's record."""
        return await (await self.client()).close_teleexpertise(teleexpertise_id, report)

    async def profile(self) -> ExpertProfile:
        """Whether I am declared as an expert, and listed in the experts' directory."""
        return await (await self.client()).expert_profile()

    async def set_profile(
        self,
        activity_description: str,
        prerequisite_documents: Sequence[str] = (),
        listed_in_directory: bool = True,
        specialties: Sequence[str] = (),
        response_delay_days: int | None = None,
    ) -> ExpertProfile:
        """Declares me as téléexpert, or edits my declaration (what is sent replaces it)."""
        client = await self.client()
        return await client.set_expert_profile(
            activity_description,
            prerequisite_documents,
            listed_in_directory,
            specialties,
            response_delay_days,
        )

    async def withdraw(self) -> ExpertProfile:
        """ "Ne plus être télé-expert": my profile removed, the experts' directory without me."""
        return await (await self.client()).withdraw_expert_profile()

    async def expert_profile(
        self, *, practitioner_id: str | None = None, address: str | None = None
    ) -> ExpertProfile:
        """The prerequisite documents and delay of an expert listed in the directory."""
        client = await self.client()
        return await client.listed_expert_profile(practitioner_id=practitioner_id, address=address)


__all__ = ["ExpertiseService", "asked_by"]
