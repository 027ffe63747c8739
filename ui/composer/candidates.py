"""The composer's recipient proposals as data: who a proposal is, whether it matches what is typed,
and their order.

Ranked by how often I wrote to each (the Sent mailbox's counts, `session.at_hand()`), then
favorites, then by distance from the practice where the directory knows it. Every typed word, in
any order, starts a word of the name, the address, the specialty or the city ("benali cardio"
finds Dr Karim Benali, cardiologue), folded the project's one way (`app.text.fold`: no accents, no
case).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.records import Address, AtHand, Correspondent, specialty_label
from app.text import fold
from ui.mailbox_types import mailbox_type_label

MAX_PROPOSALS = 12

_ADDRESS = re.compile(
    r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$"
)

# Where a proposal comes from, in the order they are listed.
FAVORITE, CARE_TEAM, RECENT, DIRECTORY = "Favori", "Acteur du dossier", "Récent", "Annuaire"
_SOURCE_ORDER = {FAVORITE: 0, CARE_TEAM: 1, RECENT: 2, DIRECTORY: 3}


@dataclass(frozen=True)
class Candidate:
    """One proposal: who, their MSSanté address, a line of detail and where it comes from."""

    name: str | None
    email: str
    detail: str
    source: str
    distance_km: float | None = None

    @property
    def address(self) -> Address:
        return Address(self.name, self.email)


def looks_like_address(text: str) -> bool:
    return bool(_ADDRESS.fullmatch(text.strip()))


def matches(candidate: Candidate, typed: str) -> bool:
    """Every typed word, in any order, starts the address or a word of the name or the detail
    (specialty, city)."""
    words = fold(typed).split()
    if not words:
        return False
    known = re.split(r"[\s'’·,()/-]+", fold(f"{candidate.name or ''} {candidate.detail}"))
    email = fold(candidate.email)
    return all(email.startswith(w) or any(k.startswith(w) for k in known if k) for w in words)


def merge(*groups: Iterable[Candidate], counts: dict[str, int] | None = None) -> list[Candidate]:
    """One proposal per address, the first source winning; the most written-to first (`counts`
    by lower-case address), then favorites, then the nearest, then by source."""
    seen: set[str] = set()
    out: list[Candidate] = []
    for group in groups:
        for candidate in group:
            key = candidate.email.casefold()
            if key not in seen:
                seen.add(key)
                out.append(candidate)
    written = counts or {}
    out.sort(
        key=lambda c: (
            -written.get(c.email.casefold(), 0),
            c.source != FAVORITE,
            c.distance_km is None,
            c.distance_km or 0.0,
            _SOURCE_ORDER.get(c.source, 9),
        )
    )
    return out[:MAX_PROPOSALS]


def from_correspondent(person: Correspondent, source: str = DIRECTORY) -> Candidate | None:
    if not person.mailbox:
        return None
    about = specialty_label(person.specialty_label) or person.profession_label
    kind = mailbox_type_label(person.mailbox_type())
    detail = " · ".join(part for part in (about, person.city, kind) if part)
    return Candidate(person.display_name, person.mailbox, detail, source, person.distance_km)


def from_favorite(address: str, display: Mapping[str, Any]) -> Candidate:
    """A favorite, from the card it was starred from."""
    name = display.get("name") or display.get("display_name")
    detail = " · ".join(
        str(p)
        for p in (
            specialty_label(display.get("specialty_label")) or display.get("profession_label"),
            display.get("city"),
        )
        if p
    )
    return Candidate(str(name) if name else None, address, detail, FAVORITE)


def at_hand(found: AtHand | None, recents: int) -> list[Candidate]:
    """The favorites and the `recents` best recent correspondents (none before they are read)."""
    if found is None:
        return []
    favorites = [from_favorite(f.address, f.display) for f in found.favorites]
    return [
        *favorites,
        *(Candidate(r.name, r.address, "", RECENT) for r in found.recents[:recents]),
    ]
