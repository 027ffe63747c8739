"""The regional portal opened in the browser already signed in: the server gives a one-time code
and the URL that carries it (`RegionalClient.portal_code` checks that URL is one the account's
credentials may go to). "Ouvrir le portail" and a patient's record on the portal ask here
(teleconsultations are planned, and the téléexpert declared, in the app itself); offline,
RegionalOffline at once (the caller falls back to the portal's plain address, where the user
signs in)."""

from __future__ import annotations

from app.regional.records import PortalCode, PortalPage
from app.regional.service import RegionalService


class PortalService(RegionalService):
    async def code(self, page: PortalPage = "mespatients", ins: str | None = None) -> PortalCode:
        """A one-time code for `page` (the patient's record when `ins` is given)."""
        return await (await self.client()).portal_code(page, ins)


__all__ = ["PortalService"]
