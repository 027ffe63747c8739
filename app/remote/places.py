"""Communes and their positions, for the practice location that "autour de moi" searches from.

The client has no gazetteer of its own: positions come from the directory, whose Organization
addresses carry the standard FHIR `geolocation` extension (latitude, longitude). A commune is
found by searching organisations by city (as typed, from its start) or by postal code; its
position is the median of the positions of the organisations listed there — a point among real
addresses of the commune, never an invented one. The user's own practice is read the same way,
from the organisation of their role in the directory. A directory without positions gives no
place, and the caller says so.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

from app import logs
from app.remote.around import position_of as _position
from app.remote.directory import DirectoryClient

log = logs.get("directory")

SEARCH_COUNT = 200  # organisations read to gather the communes matching what was typed


@dataclass(frozen=True)
class Place:
    commune: str
    postal_code: str
    lat: float
    lon: float
    organization: str | None = None  # set when the place is one organisation's address

    @property
    def label(self) -> str:
        return f"{self.commune} ({self.postal_code})" if self.postal_code else self.commune


def organization_place(org: dict[str, Any]) -> Place | None:
    """The address of an Organization resource with its position; None without a position."""
    for address in org.get("address") or []:
        if not isinstance(address, dict):
            continue
        position = _position(address)
        city = address.get("city")
        if position is None or not isinstance(city, str) or not city.strip():
            continue
        postal = address.get("postalCode")
        name = org.get("name")
        return Place(
            city.strip(),
            postal.strip() if isinstance(postal, str) else "",
            position[0],
            position[1],
            name if isinstance(name, str) and name else None,
        )
    return None


def _organizations(bundle: Any) -> list[dict[str, Any]]:
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        return []
    out = []
    for entry in bundle.get("entry") or []:
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(resource, dict) and resource.get("resourceType") == "Organization":
            out.append(resource)
    return out


def communes_in(bundle: Any, typed: str = "", limit: int = 8) -> list[Place]:
    """One place per (commune, postal code) of the bundle's organisations, at the median of their
    positions; the communes whose name starts like `typed` first, then by name."""
    groups: dict[tuple[str, str], list[Place]] = {}
    for org in _organizations(bundle):
        place = organization_place(org)
        if place is not None:
            groups.setdefault((place.commune, place.postal_code), []).append(place)
    places = [
        Place(
            commune,
            postal,
            statistics.median(p.lat for p in members),
            statistics.median(p.lon for p in members),
        )
        for (commune, postal), members in groups.items()
    ]
    start = typed.strip().casefold()
    places.sort(
        key=lambda p: (
            not p.commune.casefold().startswith(start),
            p.commune.casefold(),
            p.postal_code,
        )
    )
    return places[:limit]


class PlaceFinder(DirectoryClient):
    """Communes and practice addresses, read from the directory's organisations."""

    async def communes(self, text: str, limit: int = 8) -> list[Place]:
        """Communes matching a name (its start) or a postal code (or its start)."""
        typed = text.strip()
        if not typed:
            return []
        digits = typed.replace(" ", "")
        key = "address-postalcode" if digits.isdigit() else "address-city"
        params = [(key, digits if digits.isdigit() else typed), ("_count", str(SEARCH_COUNT))]
        bundle = await self._get(f"{self._base}/Organization", params)
        places = communes_in(bundle, "" if digits.isdigit() else typed, limit)
        log.debug("commune search: %d place(s)", len(places))
        return places

    async def practice_of(self, mailbox: str) -> Place | None:
        """The address of the organisation where the owner of this MSSanté address practises."""
        params = [
            ("mailbox-mss", mailbox),
            ("_include", "PractitionerRole:organization"),
            ("_count", "5"),
        ]
        bundle = await self._get(f"{self._base}/PractitionerRole", params)
        for org in _organizations(bundle):
            place = organization_place(org)
            if place is not None:
                return place
        return None
