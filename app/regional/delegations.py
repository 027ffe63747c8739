"""Delegation of teleconsultation planning as the app uses it (FAQ: a secretary plans "au nom"
of a professional): the people I let plan in my name, adding and removing one, and the
professionals in whose name I may plan. The server decides (it refuses anyone not delegated with
`NotDelegated`); the app only shows and changes the lists, so no copy of them is kept."""

from __future__ import annotations

from app.regional.records import Delegate
from app.regional.service import RegionalService


class DelegationService(RegionalService):
    async def planning_for(self) -> list[Delegate]:
        """The professionals who let me plan in their name (the form's "au nom de" offers
        them, after myself)."""
        return await (await self.client()).delegators()

    async def list(self) -> list[Delegate]:
        """Who may plan my teleconsultations, oldest delegation first."""
        items = await (await self.client()).delegates()
        self.loaded()
        return items

    async def add(self, address: str | None = None, practitioner_id: str | None = None) -> Delegate:
        """Lets a person plan in my name: by MSSanté address when the directory gives one, else
        by the practitioner's directory id. Adding someone already there changes nothing."""
        client = await self.client()
        return await client.add_delegate(
            address=address, practitioner_id=None if address else practitioner_id
        )

    async def remove(self, account_id: str) -> None:
        """From now on, the server refuses their planning, editing and cancelling in my name."""
        await (await self.client()).remove_delegate(account_id)


__all__ = ["DelegationService"]
