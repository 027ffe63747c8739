"""FHIR search parameters of the directory, parsed and checked before any SQL is built.

Anything the store receives here is already validated: codes are known, numbers are numbers,
strings are bounded. A bad value becomes a SearchError, which the routes turn into a 400
OperationOutcome.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from server.directory.codes import PROFESSION_SYSTEM, PROFESSIONS, SPECIALTIES, SPECIALTY_SYSTEM

DEFAULT_COUNT = 50
MAX_COUNT = 500
# Like the national directory and most search engines, results are served down to a depth: past
# it the search must be refined. It keeps every search fast (a deep page of a huge result set
# costs a sort of all of it) and no person pages through 10,000 professionals.
MAX_DEPTH = 10_000
# "Autour de moi" is sorted by distance: its deep pages would sort a whole region. The nearest
# thousand are served; farther than that, a postal code or a smaller radius says what is meant.
NEAR_MAX_DEPTH = 1_000
MAX_VALUE_LENGTH = 200
MAX_NEAR_KM = 2000.0
RPPS_SYSTEM = "https://rpps.esante.gouv.fr"
FINESS_SYSTEM = "https://finess.esante.gouv.fr"

_DEPARTEMENT = re.compile(r"^(?:\d{2}|2[AB]|97[1-6])$")
_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
MAILBOX_TYPES = frozenset({"PER", "CAB", "ORG", "APP"})  # TRE_R257-TypeBAL
# Standard parameters a client may send that change nothing here.
IGNORED = frozenset({"_format", "_pretty", "_total"})


class SearchError(ValueError):
    """A parameter the client got wrong; the message is shown to the client."""


@dataclass(frozen=True)
class StringFilter:
    value: str
    contains: bool
    exact: bool = False


@dataclass(frozen=True)
class Near:
    lat: float
    lon: float
    km: float


@dataclass
class Query:
    """The criteria of one search; every list holds one entry per parameter occurrence (AND)."""

    name: list[StringFilter] = field(default_factory=list)
    family: list[StringFilter] = field(default_factory=list)
    given: list[StringFilter] = field(default_factory=list)
    mailbox: list[str] = field(default_factory=list)  # whole addresses (plain or :exact)
    mailbox_contains: list[str] = field(default_factory=list)  # mailbox-mss:contains
    mailbox_type: list[list[str]] = field(default_factory=list)  # TRE_R257: PER, CAB, ORG, APP
    specialty: list[list[str]] = field(default_factory=list)  # inner list: OR of codes
    profession: list[list[str]] = field(default_factory=list)
    postal_code: list[list[str]] = field(default_factory=list)  # prefixes
    city: list[StringFilter] = field(default_factory=list)
    departement: list[list[str]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    expert: bool | None = None
    ids: list[list[str]] = field(default_factory=list)
    identifier: list[list[str]] = field(default_factory=list)
    near: Near | None = None


@dataclass
class Paging:
    count: int = DEFAULT_COUNT
    offset: int = 0


@dataclass
class Search:
    query: Query
    paging: Paging
    include: set[str]
    revinclude: set[str]


# Which parameters each resource type accepts (besides the paging and include ones).
COMMON = {"_id", "address-postalcode", "address-city", "departement", "near", "_text"}
PERSON = {
    "name",
    "family",
    "given",
    "mailbox-mss",
    "mailbox-mss-type",
    "specialty",
    "role",
    "profession",
    "expert",
}
PARAMETERS: dict[str, set[str]] = {
    "PractitionerRole": COMMON | PERSON | {"identifier"},
    "Practitioner": COMMON | PERSON | {"identifier"},
    "Organization": COMMON | {"name", "mailbox-mss", "mailbox-mss-type", "identifier"},
    # Équipes ressources (issue 13 §4, server/directory/services.py): no place, no profession.
    "HealthcareService": {"name", "_text", "mailbox-mss", "mailbox-mss-type", "_id"},
}
INCLUDES: dict[str, set[str]] = {
    "PractitionerRole": {"PractitionerRole:practitioner", "PractitionerRole:organization"},
    "Practitioner": set(),
    "Organization": set(),
    "HealthcareService": set(),
}
REVINCLUDES: dict[str, set[str]] = {
    "PractitionerRole": set(),
    "Practitioner": {"PractitionerRole:practitioner"},
    "Organization": set(),
    "HealthcareService": set(),
}


def parse(resource: str, params: Iterable[tuple[str, str]], near: bool = True) -> Search:
    """`near` False: the server runs like the national API, which has no `near` search."""
    query = Query()
    paging = Paging()
    include: set[str] = set()
    revinclude: set[str] = set()
    allowed = PARAMETERS[resource] if near else PARAMETERS[resource] - {"near"}
    for raw_key, value in params:
        key, _, modifier = raw_key.partition(":")
        if len(value) > MAX_VALUE_LENGTH:
            raise SearchError(f"Value of '{key}' is too long (at most {MAX_VALUE_LENGTH}).")
        if key in IGNORED:
            continue
        if key == "_count":
            paging.count = min(_integer(key, value), MAX_COUNT)
            continue
        if key == "_offset":
            paging.offset = _integer(key, value)
            continue
        if key == "_include":
            include |= _choices(key, value, INCLUDES[resource])
            continue
        if key == "_revinclude":
            revinclude |= _choices(key, value, REVINCLUDES[resource])
            continue
        if key not in allowed:
            supported = ", ".join(
                sorted(allowed | {"_count", "_offset", "_include", "_revinclude"})
            )
            raise SearchError(f"Unknown search parameter '{key}' on {resource}; use {supported}.")
        _apply(query, key, modifier, value)
    if query.near is not None and paging.offset + paging.count > NEAR_MAX_DEPTH:
        raise SearchError(
            f"Only the {NEAR_MAX_DEPTH} nearest results are served: refine the search "
            "(a smaller radius, a profession or a postal code)."
        )
    if paging.offset + paging.count > MAX_DEPTH:
        raise SearchError(
            f"Only the first {MAX_DEPTH} results are served: refine the search "
            "(a name, a profession, a postal code or a smaller radius)."
        )
    return Search(query=query, paging=paging, include=include, revinclude=revinclude)


def _apply(query: Query, key: str, modifier: str, value: str) -> None:
    string_keys = {"name", "family", "given", "address-city"}
    if modifier and not (
        (key in string_keys and modifier == "contains")
        or (key in ("address-city", "mailbox-mss") and modifier in ("contains", "exact"))
    ):
        raise SearchError(f"Modifier ':{modifier}' is not supported on '{key}'.")
    if key in string_keys:
        target = {
            "name": query.name,
            "family": query.family,
            "given": query.given,
            "address-city": query.city,
        }[key]
        target.append(StringFilter(value, modifier == "contains", modifier == "exact"))
    elif key == "mailbox-mss" and modifier == "contains":
        query.mailbox_contains.append(value.strip())
    elif key == "mailbox-mss":  # plain and :exact: the whole address, in any case
        query.mailbox.append(value.strip())
    elif key == "mailbox-mss-type":
        kinds = [v.rpartition("|")[2].strip().upper() for v in value.split(",")]
        if not all(k in MAILBOX_TYPES for k in kinds):
            raise SearchError("mailbox-mss-type is PER, CAB, ORG or APP (TRE_R257-TypeBAL).")
        query.mailbox_type.append(kinds)
    elif key == "specialty":
        query.specialty.append(_codes(key, value, SPECIALTY_SYSTEM, SPECIALTIES))
    elif key in ("role", "profession"):
        query.profession.append(_codes(key, value, PROFESSION_SYSTEM, PROFESSIONS))
    elif key == "address-postalcode":
        codes = [v.strip() for v in value.split(",")]
        if not all(c.isdigit() and 1 <= len(c) <= 5 for c in codes):
            raise SearchError("address-postalcode takes digits (a postal code or its start).")
        query.postal_code.append(codes)
    elif key == "departement":
        deps = [v.strip().upper() for v in value.split(",")]
        if not all(_DEPARTEMENT.match(d) for d in deps):
            raise SearchError("departement is a code of 2 or 3 characters: 69, 2A, 974.")
        query.departement.append(deps)
    elif key == "_text":
        query.text.append(value)
    elif key == "expert":
        if value not in ("true", "false"):
            raise SearchError("expert is true or false.")
        query.expert = value == "true"
    elif key == "_id":
        ids = [v.strip() for v in value.split(",")]
        if not all(_ID.match(i) for i in ids):
            raise SearchError("_id holds resource ids (letters, digits, '-' and '.').")
        query.ids.append(ids)
    elif key == "identifier":
        query.identifier.append([v.rpartition("|")[2].strip() for v in value.split(",")])
    elif key == "near":
        if query.near is not None:
            raise SearchError("near may be given once.")
        query.near = _near(value)


def _integer(key: str, value: str) -> int:
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        raise SearchError(f"{key} must be a non-negative integer.")
    return int(value)


def _choices(key: str, value: str, allowed: set[str]) -> set[str]:
    chosen = {v.strip() for v in value.split(",")}
    unknown = chosen - allowed
    if unknown:
        known = ", ".join(sorted(allowed)) or "none"
        raise SearchError(f"Unsupported {key} value {sorted(unknown)[0]!r}; supported: {known}.")
    return chosen


def _codes(key: str, value: str, system: str, known: dict[str, str]) -> list[str]:
    codes: list[str] = []
    for token in value.split(","):
        token_system, bar, code = token.rpartition("|")
        if bar and token_system and token_system != system:
            raise SearchError(f"{key}: unknown code system {token_system!r}; use {system}.")
        code = code.strip()
        if code not in known:
            raise SearchError(f"{key}: unknown code {code!r} (see {system}).")
        codes.append(code)
    return codes


def _near(value: str) -> Near:
    parts = value.split("|")
    if len(parts) not in (2, 3, 4):
        raise SearchError("near is lat|lon|km (or lat|lon|distance|unit).")
    try:
        lat, lon = float(parts[0]), float(parts[1])
        distance = float(parts[2]) if len(parts) > 2 and parts[2] else 10.0
    except ValueError:
        raise SearchError("near: latitude, longitude and distance must be numbers.") from None
    unit = parts[3].strip() if len(parts) == 4 and parts[3].strip() else "km"
    factors = {"km": 1.0, "m": 0.001, "[mi_i]": 1.609344, "mi": 1.609344}
    if unit not in factors:
        raise SearchError("near: the distance unit is km, m or [mi_i].")
    km = distance * factors[unit]
    if not all(math.isfinite(x) for x in (lat, lon, km)):
        raise SearchError("near: numbers must be finite.")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise SearchError("near: latitude is within ±90 and longitude within ±180.")
    if not 0 < km <= MAX_NEAR_KM:
        raise SearchError(f"near: the distance must be above 0 and at most {MAX_NEAR_KM:g} km.")
    return Near(lat, lon, km)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))
