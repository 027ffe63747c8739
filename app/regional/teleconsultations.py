"""Teleconsultations as the app uses them: the signed-in professional's, read from the regional
server (planning happens on the portal), split into those to come and those past. The offline
rule and the "read again when older than a minute" rule are the base's (`stale`), so that the page
only asks whether to read again when it shows."""

from __future__ import annotations

import datetime as dt

from app.regional.records import Teleconsultation
from app.regional.service import RegionalService


def split_by_time(
    items: list[Teleconsultation], now: dt.datetime
) -> tuple[list[Teleconsultation], list[Teleconsultation]]:
    """(upcoming soonest first, past most recent first): a teleconsultation is past once ended."""
    upcoming = sorted((t for t in items if t.end >= now), key=lambda t: t.start)
    past = sorted((t for t in items if t.end < now), key=lambda t: t.start, reverse=True)
    return upcoming, past


class TeleconsultationService(RegionalService):
    async def list(self) -> list[Teleconsultation]:
        """All of mine, whatever their status (the page splits them by time)."""
        items = await (await self.client()).teleconsultations()
        self.loaded()
        return items

    async def get(self, teleconsultation_id: str) -> Teleconsultation:
        return await (await self.client()).get_teleconsultation(teleconsultation_id)


__all__ = ["TeleconsultationService", "split_by_time"]
