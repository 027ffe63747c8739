"""The health directory (FHIR R4, shapes of the national Annuaire Santé API; DESIGN §2.3).

A search asks for PractitionerRole with its Practitioner and Organization included, and flattens
each role into a `Correspondent` — what the composer and the address book show. Organisations
("établissement") are searched as Organization, équipes ressources as HealthcareService (issue 13
§4: a team's card itself comes from the regional API). The same code can query the national API: the
base URL and the `ESANTE-API-KEY` header are settings.

What comes back is parsed tolerantly (missing fields, several names, unknown extensions are
normal in the national data) but a bundle that is not a Bundle is a DirectoryError, never a
KeyError.
"""

from __future__ import annotations

import asyncio
import email.utils
import math
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal
from urllib.parse import quote

import httpx

from app import logs, messages
from app.errors import CoreError
from app.messages import Message
from app.remote.around import distance_km, position_of, postal_prefixes_around
from app.remote.http import tls_reason
from app.remote.origins import origin_of
from app.remote.rate import TokenBucket
from app.text import strip_invisible

log = logs.get("directory")

API_KEY_HEADER = "ESANTE-API-KEY"
FHIR_JSON = "application/fhir+json"
PROFESSION_SYSTEM_PART = "TRE_G15"
SPECIALTY_SYSTEM_PART = "TRE_R38"
_REGISTER_SUFFIX = re.compile(r"\s*\((SM|SCD|SI|SP)\)\s*$")


def specialty_label(label: str | None) -> str | None:
    """A TRE_R38 label as people say it: 'Cardiologie et Maladies vasculaires (SM)' without the
    register it belongs to (a code no reader knows)."""
    if label is None:
        return None
    return _REGISTER_SUFFIX.sub("", label).strip() or label


EMAIL_TYPE_EXTENSION_PART = "contact-point-email-type"
MAILBOX_METADATA_EXTENSION_PART = "mailbox-mss-metadata"
ROLE_NAME_EXTENSION_PART = "practitionerrole-name"
TELEEXPERT_EXTENSION_PART = "/teleexpert"
DISTANCE_EXTENSION = "http://hl7.org/fhir/StructureDefinition/location-distance"
RPPS_SYSTEM = "https://rpps.esante.gouv.fr"
MAX_COUNT = 500
# "Autour de moi" without `near` reads every page of the départements around, up to this.
AROUND_MAX_ROWS = 10_000

ORGANIZATION = "etablissement"
# Profession categories offered in the search form → TRE_G15 codes. "etablissement" searches
# organisations instead of people.
CATEGORIES: dict[str, tuple[str, str]] = {
    "medecin": ("10", "Médecin"),
    "pharmacien": ("21", "Pharmacien"),
    "chirurgien-dentiste": ("40", "Chirurgien-dentiste"),
    "sage-femme": ("50", "Sage-femme"),
    "infirmier": ("60", "Infirmier"),
    "masseur-kinesitherapeute": ("70", "Masseur-kinésithérapeute"),
    "pedicure-podologue": ("80", "Pédicure-podologue"),
    "orthophoniste": ("91", "Orthophoniste"),
    "psychologue": ("93", "Psychologue"),
}
TEAMS = "equipe-ressource"  # searches the équipes ressources (HealthcareService)
CATEGORY_LABELS: dict[str, str] = {k: v[1] for k, v in CATEGORIES.items()} | {
    ORGANIZATION: "Établissement",
    TEAMS: "Équipe ressource",
}
# TRE_R257-TypeBAL, the type of an MSSanté box: a person's own first, an application's last.
_MAILBOX_ORDER = {"PER": 0, "CAB": 1, "ORG": 2, "APP": 3}
# 429 from the directory (the national API allows 17 requests per second): waits Retry-After
# (at most RETRY_AFTER_MAX seconds; DEFAULT_RETRY_AFTER when it is missing), RETRIES times.
RETRIES = 3
DEFAULT_RETRY_AFTER = 1.0
RETRY_AFTER_MAX = 30.0
_MAILBOX_ADDRESS = re.compile(
    r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+"
)


def mailbox_in(text: str) -> str | None:
    """The MSSanté address that `text` is (pasted from a letter: surrounding spaces, any case,
    invisible characters of a web page or a label), lower-cased; None when it is not one address
    (a name, a service)."""
    address = strip_invisible(text).strip().strip("<>").strip()
    return address.lower() if _MAILBOX_ADDRESS.fullmatch(address) else None


class DirectoryError(CoreError):
    message = messages.DIRECTORY_UNREADABLE


class DirectoryUnreachable(DirectoryError):
    message = messages.DIRECTORY_UNREACHABLE


class DirectoryRefused(DirectoryError):
    """The directory answered with an error (bad criterion, key refused…)."""

    message = messages.DIRECTORY_REFUSED

    def __init__(self, detail: str, status: int, message: Message | None = None) -> None:
        super().__init__(detail, message)
        self.status = status


@dataclass(frozen=True)
class Near:
    lat: float
    lon: float
    km: float


@dataclass(frozen=True)
class DirectoryQuery:
    """Every criterion of DESIGN §2.3; all given ones combine (AND)."""

    name: str | None = None  # family or given name
    family: str | None = None
    given: str | None = None
    contains: bool = False  # names match anywhere, not only at the start
    specialty: str | None = None  # TRE_R38 code (SM04…)
    profession: str | None = None  # TRE_G15 code (10…)
    category: str | None = None  # a key of CATEGORIES, ORGANIZATION or TEAMS
    text: str | None = None  # service or competence, free text
    postal_code: str | None = None  # a code or its start
    city: str | None = None
    departement: str | None = None
    near: Near | None = None  # "autour de moi"
    mailbox: str | None = None  # an MSSanté address (whole: exact; a part: contains)
    mailbox_type: str | None = None  # TRE_R257: PER, CAB, ORG or APP
    experts_only: bool = False
    count: int = 50

    @property
    def searches_organizations(self) -> bool:
        return self.category == ORGANIZATION

    @property
    def searches_teams(self) -> bool:
        return self.category == TEAMS


@dataclass(frozen=True)
class Correspondent:
    """A professional (one of their roles), an organisation or an équipe ressource, flattened for
    display."""

    kind: Literal["practitioner", "organization", "team"]
    id: str  # PractitionerRole id, Organization id, or HealthcareService id (the team's)
    display_name: str
    practitioner_id: str | None = None
    prefix: str = ""
    given: str = ""
    family: str = ""
    profession_code: str | None = None
    profession_label: str | None = None
    specialty_code: str | None = None
    specialty_label: str | None = None
    organization_id: str | None = None
    organization_name: str | None = None
    address_line: str = ""
    postal_code: str = ""
    city: str = ""
    mailboxes: tuple[str, ...] = ()  # MSSanté addresses, the person's own first
    # (address in lower case, TRE_R257 type) of each address the directory typed.
    mailbox_types: tuple[tuple[str, str], ...] = ()
    rpps: str | None = None
    expert: bool = False
    distance_km: float | None = None
    services: str = ""  # service / competences text
    phone: str = ""  # the role's telephone, or its organisation's, as the directory writes it
    position: tuple[float, float] | None = (
        None  # (lat, lon) of the address, when the directory has it
    )

    @property
    def mailbox(self) -> str | None:
        return self.mailboxes[0] if self.mailboxes else None

    def mailbox_type(self, address: str | None = None) -> str | None:
        """The type (PER, CAB, ORG, APP) of `address` (the first box by default), if known."""
        key = (address or self.mailbox or "").lower()
        return next((kind for box, kind in self.mailbox_types if box == key), None)


@dataclass(frozen=True)
class DirectoryPage:
    correspondents: list[Correspondent]
    total: int | None
    next_url: str | None = None
    resource: str = "PractitionerRole"
    skipped: int = field(default=0, compare=False)  # entries that were not usable
    # "Autour de moi" searched the départements around (the directory has no `near`).
    near_fallback: bool = False


# --- Tolerant readers -------------------------------------------------------------------------


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _dicts(value: Any) -> Iterator[dict[str, Any]]:
    return (item for item in _list(value) if isinstance(item, dict))


def _extensions(resource: dict[str, Any], url_part: str) -> list[dict[str, Any]]:
    return [e for e in _dicts(resource.get("extension")) if url_part in _str(e.get("url"))]


def _coding(concepts: Any, system_part: str) -> tuple[str | None, str | None]:
    """(code, display) of the first coding whose system names `system_part` (e.g. TRE_R38)."""
    for concept in [concepts] if isinstance(concepts, dict) else _list(concepts):
        for coding in _dicts(_dict(concept).get("coding")):
            if system_part.replace("_", "-") in _str(coding.get("system")).replace("_", "-"):
                code = _str(coding.get("code")) or None
                return code, _str(coding.get("display")) or None
    return None, None


def _human_name(names: Any) -> tuple[str, str, str]:
    """(prefix, given, family) of the best name: usual, then official, then the first."""
    candidates = list(_dicts(names))
    if isinstance(names, dict):
        candidates = [names]
    if not candidates:
        return "", "", ""
    ranked = sorted(
        candidates, key=lambda n: {"usual": 0, "official": 1}.get(_str(n.get("use")), 2)
    )
    best = ranked[0]
    given = " ".join(_str(g) for g in _list(best.get("given")) if _str(g))
    prefix = " ".join(_str(p) for p in _list(best.get("prefix")) if _str(p))
    family = _str(best.get("family"))
    if not (given or family):
        family = _str(best.get("text"))
    return prefix, given, family


def _is_mssante(telecom: dict[str, Any]) -> bool:
    if _str(telecom.get("system")) != "email" or not _str(telecom.get("value")):
        return False
    for extension in _extensions(telecom, EMAIL_TYPE_EXTENSION_PART):
        coding = _dict(extension.get("valueCoding"))
        code = _str(coding.get("code")) or _str(extension.get("valueCode"))
        if code.upper() == "MSSANTE":
            return True
    return False


def _mailbox_metadata(telecom: dict[str, Any]) -> tuple[str, bool]:
    """(TRE_R257 type, on the liste rouge) of an MSSanté telecom."""
    kind, liste_rouge = "PER", False
    for extension in _extensions(telecom, MAILBOX_METADATA_EXTENSION_PART):
        for sub in _dicts(extension.get("extension")):
            url = _str(sub.get("url"))
            if url == "type":
                code, _ = _coding(sub.get("valueCodeableConcept"), "TRE_R257")
                kind = code.upper() if code else kind
            elif url == "listeRouge" and sub.get("valueBoolean") is True:
                liste_rouge = True
    return kind, liste_rouge


def _mailboxes(*resources: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """(address, type) of the MSSanté boxes of the resources, personal boxes before service
    boxes. A box on the liste rouge is never listed: its holder asked not to be found."""
    found: list[tuple[int, int, str, str]] = []
    seen: set[str] = set()
    for rank, resource in enumerate(resources):
        for telecom in _dicts(resource.get("telecom")):
            if not _is_mssante(telecom):
                continue
            address = _str(telecom.get("value"))
            kind, liste_rouge = _mailbox_metadata(telecom)
            if liste_rouge or address.lower() in seen:
                continue
            seen.add(address.lower())
            found.append((_MAILBOX_ORDER.get(kind, 4), rank, address, kind))
    return tuple((a, k) for _, _, a, k in sorted(found, key=lambda x: (x[0], x[1])))


def _boxes(*resources: dict[str, Any]) -> dict[str, Any]:
    """The `mailboxes` and `mailbox_types` fields of a Correspondent."""
    boxes = _mailboxes(*resources)
    return {
        "mailboxes": tuple(a for a, _ in boxes),
        "mailbox_types": tuple((a.lower(), k) for a, k in boxes),
    }


def _phone(*resources: dict[str, Any]) -> str:
    """The first resource's best-ranked telephone (a role's own before its organisation's)."""
    for resource in resources:
        phones = [
            (int(t["rank"]) if isinstance(t.get("rank"), int) else 99, _str(t.get("value")))
            for t in _dicts(resource.get("telecom"))
            if _str(t.get("system")) == "phone" and _str(t.get("value")).strip()
        ]
        if phones:
            return min(phones)[1].strip()
    return ""


def _expert(*resources: dict[str, Any]) -> bool:
    return any(
        extension.get("valueBoolean") is True
        for resource in resources
        for extension in _extensions(resource, TELEEXPERT_EXTENSION_PART)
    )


def _rpps(*resources: dict[str, Any]) -> str | None:
    for resource in resources:
        for identifier in _dicts(resource.get("identifier")):
            if _str(identifier.get("system")).rstrip("/") == RPPS_SYSTEM:
                return _str(identifier.get("value")) or None
    return None


def _distance(entry: dict[str, Any]) -> float | None:
    for extension in _dicts(_dict(entry.get("search")).get("extension")):
        if _str(extension.get("url")) == DISTANCE_EXTENSION:
            value = _dict(extension.get("valueDistance")).get("value")
            if isinstance(value, int | float) and not isinstance(value, bool):
                number = float(value)
                return number if math.isfinite(number) else None
    return None


def _reference_id(reference: Any, resource_type: str) -> str | None:
    text = _str(_dict(reference).get("reference"))
    head, _, tail = text.rstrip("/").rpartition("/")
    if tail and head.endswith(resource_type):
        return tail
    return None


def _address(organization: dict[str, Any]) -> tuple[str, str, str]:
    for address in _dicts(organization.get("address")):
        lines = [_str(line) for line in _list(address.get("line")) if _str(line)]
        return ", ".join(lines), _str(address.get("postalCode")), _str(address.get("city"))
    return "", "", ""


def _position(organization: dict[str, Any]) -> tuple[float, float] | None:
    for address in _dicts(organization.get("address")):
        return position_of(address)
    return None


def _services(resource: dict[str, Any]) -> str:
    texts = [_str(e.get("valueString")) for e in _extensions(resource, "service-competence")]
    texts += [_str(a) for a in _list(resource.get("alias"))]
    return "; ".join(t for t in texts if t)


def _display(prefix: str, given: str, family: str, fallback: str) -> str:
    name = " ".join(p for p in (prefix, given, family) if p)
    return name or fallback or "Sans nom"


def _role_correspondent(
    entry: dict[str, Any],
    role: dict[str, Any],
    included: dict[tuple[str, str], dict[str, Any]],
) -> Correspondent:
    practitioner_id = _reference_id(role.get("practitioner"), "Practitioner")
    organization_id = _reference_id(role.get("organization"), "Organization")
    person = included.get(("Practitioner", practitioner_id or ""), {})
    organization = included.get(("Organization", organization_id or ""), {})
    role_names = [
        _dict(e.get("valueHumanName")) for e in _extensions(role, ROLE_NAME_EXTENSION_PART)
    ]
    prefix, given, family = _human_name(role_names or person.get("name"))
    if not (given or family):
        prefix, given, family = _human_name(person.get("name"))
    profession_code, profession_label = _coding(role.get("code"), PROFESSION_SYSTEM_PART)
    specialty_code, specialty_label = _coding(role.get("specialty"), SPECIALTY_SYSTEM_PART)
    if profession_code is None:
        quals = [_dict(q).get("code") for q in _list(person.get("qualification"))]
        profession_code, profession_label = _coding(quals, PROFESSION_SYSTEM_PART)
    if specialty_code is None:
        quals = [_dict(q).get("code") for q in _list(person.get("qualification"))]
        specialty_code, specialty_label = _coding(quals, SPECIALTY_SYSTEM_PART)
    line, postal_code, city = _address(organization)
    org_name = _str(organization.get("name")) or _str(
        _dict(role.get("organization")).get("display")
    )
    return Correspondent(
        kind="practitioner",
        id=_str(role.get("id")),
        display_name=_display(
            prefix, given, family, _str(_dict(role.get("practitioner")).get("display"))
        ),
        practitioner_id=practitioner_id,
        prefix=prefix,
        given=given,
        family=family,
        profession_code=profession_code,
        profession_label=profession_label,
        specialty_code=specialty_code,
        specialty_label=specialty_label,
        organization_id=organization_id,
        organization_name=org_name or None,
        address_line=line,
        postal_code=postal_code,
        city=city,
        **_boxes(role, person, organization),
        rpps=_rpps(role, person),
        expert=_expert(role, person),
        distance_km=_distance(entry),
        services=_services(role),
        phone=_phone(role, organization),
        position=_position(organization),
    )


def _organization_correspondent(entry: dict[str, Any], org: dict[str, Any]) -> Correspondent:
    line, postal_code, city = _address(org)
    name = _str(org.get("name"))
    return Correspondent(
        kind="organization",
        id=_str(org.get("id")),
        display_name=name or "Établissement sans nom",
        organization_id=_str(org.get("id")) or None,
        organization_name=name or None,
        address_line=line,
        postal_code=postal_code,
        city=city,
        **_boxes(org),
        distance_km=_distance(entry),
        services=_services(org),
        phone=_phone(org),
        position=_position(org),
    )


def _team_correspondent(entry: dict[str, Any], service: dict[str, Any]) -> Correspondent:
    """An équipe ressource: its name, its contact box, its activity where a role has services."""
    name = _str(service.get("name"))
    return Correspondent(
        kind="team",
        id=_str(service.get("id")),
        display_name=name or "Équipe sans nom",
        **_boxes(service),
        services=_str(service.get("comment")),
        distance_km=_distance(entry),
    )


def parse_bundle(body: Any) -> DirectoryPage:
    """A searchset Bundle → a page of correspondents. Entries that are not usable (no id, wrong
    type) are skipped; a body that is not a Bundle is a DirectoryError."""
    if not isinstance(body, dict) or body.get("resourceType") != "Bundle":
        raise DirectoryError("not a FHIR Bundle")
    entries = body.get("entry", [])
    if not isinstance(entries, list):
        raise DirectoryError("Bundle.entry is not a list")
    total = body.get("total")
    if not isinstance(total, int) or isinstance(total, bool) or total < 0:
        total = None
    next_url = None
    for link in _dicts(body.get("link")):
        if _str(link.get("relation")) == "next" and _str(link.get("url")):
            next_url = _str(link.get("url"))
    included: dict[tuple[str, str], dict[str, Any]] = {}
    matches: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for entry in _dicts(entries):
        resource = _dict(entry.get("resource"))
        kind, ident = _str(resource.get("resourceType")), _str(resource.get("id"))
        if not kind or not ident:
            continue
        mode = _str(_dict(entry.get("search")).get("mode")) or "match"
        if mode == "include":
            included[(kind, ident)] = resource
        else:
            matches.append((entry, resource))
    people: list[Correspondent] = []
    skipped = 0
    resource_type = "PractitionerRole"
    for entry, resource in matches:
        kind = _str(resource.get("resourceType"))
        if kind == "PractitionerRole":
            people.append(_role_correspondent(entry, resource, included))
        elif kind == "Organization":
            resource_type = "Organization"
            people.append(_organization_correspondent(entry, resource))
        elif kind == "Practitioner":
            resource_type = "Practitioner"
            people.append(_practitioner_correspondent(entry, resource, included))
        elif kind == "HealthcareService":
            resource_type = "HealthcareService"
            people.append(_team_correspondent(entry, resource))
        else:
            skipped += 1  # OperationOutcome warnings and the like
    return DirectoryPage(people, total, next_url, resource_type, skipped)


def _practitioner_correspondent(
    entry: dict[str, Any], person: dict[str, Any], included: dict[tuple[str, str], dict[str, Any]]
) -> Correspondent:
    """A Practitioner without a role: name, profession and boxes from the person alone."""
    roles = [
        r
        for (kind, _), r in included.items()
        if kind == "PractitionerRole"
        and _reference_id(r.get("practitioner"), "Practitioner") == _str(person.get("id"))
    ]
    if roles:
        return _role_correspondent(
            entry, roles[0], included | {("Practitioner", _str(person.get("id"))): person}
        )
    prefix, given, family = _human_name(person.get("name"))
    quals = [_dict(q).get("code") for q in _list(person.get("qualification"))]
    profession_code, profession_label = _coding(quals, PROFESSION_SYSTEM_PART)
    specialty_code, specialty_label = _coding(quals, SPECIALTY_SYSTEM_PART)
    return Correspondent(
        kind="practitioner",
        id=_str(person.get("id")),
        display_name=_display(prefix, given, family, ""),
        practitioner_id=_str(person.get("id")),
        prefix=prefix,
        given=given,
        family=family,
        profession_code=profession_code,
        profession_label=profession_label,
        specialty_code=specialty_code,
        specialty_label=specialty_label,
        **_boxes(person),
        rpps=_rpps(person),
        expert=_expert(person),
        distance_km=_distance(entry),
    )


# --- The client -------------------------------------------------------------------------------


def _team_params(query: DirectoryQuery) -> list[tuple[str, str]]:
    """A team has a name, words and a box: the criteria of places and professions are not its."""
    params: list[tuple[str, str]] = []
    if query.name and query.name.strip():
        params.append(("name:contains" if query.contains else "name", query.name.strip()))
    if query.text and query.text.strip():
        params.append(("_text", query.text.strip()))
    params += _mailbox_params(query)
    params.append(("_count", str(max(1, min(query.count, MAX_COUNT)))))
    return params


def _mailbox_params(query: DirectoryQuery) -> list[tuple[str, str]]:
    """`mailbox-mss:exact` for a whole address, `:contains` for a part of one (both on the
    national API), and the box type."""
    params: list[tuple[str, str]] = []
    typed = (query.mailbox or "").strip()
    if typed:
        whole = mailbox_in(typed)
        params.append(("mailbox-mss:exact", whole) if whole else ("mailbox-mss:contains", typed))
    if query.mailbox_type:
        params.append(("mailbox-mss-type", query.mailbox_type))
    return params


def search_params(query: DirectoryQuery) -> list[tuple[str, str]]:
    """The FHIR search parameters of a query (PractitionerRole, Organization or, for the
    équipes ressources, HealthcareService)."""
    if query.searches_teams:
        return _team_params(query)
    params: list[tuple[str, str]] = []
    suffix = ":contains" if query.contains else ""
    organizations = query.searches_organizations
    for key, value in (("name", query.name), ("family", query.family), ("given", query.given)):
        if value and value.strip() and not (organizations and key != "name"):
            params.append((key + suffix, value.strip()))
    if not organizations:
        profession = query.profession
        if profession is None and query.category in CATEGORIES:
            profession = CATEGORIES[query.category][0]
        if profession:
            params.append(("role", profession))
        if query.specialty:
            params.append(("specialty", query.specialty.strip()))
        if query.experts_only:
            params.append(("expert", "true"))
    if query.text and query.text.strip():
        params.append(("_text", query.text.strip()))
    if query.postal_code and query.postal_code.strip():
        params.append(("address-postalcode", query.postal_code.strip()))
    if query.city and query.city.strip():
        params.append(("address-city", query.city.strip()))
    if query.departement and query.departement.strip():
        params.append(("departement", query.departement.strip()))
    if query.near is not None:
        near = query.near
        params.append(("near", f"{near.lat:.6f}|{near.lon:.6f}|{near.km:g}|km"))
    params += _mailbox_params(query)
    if not organizations:
        params.append(("_include", "PractitionerRole:practitioner"))
        params.append(("_include", "PractitionerRole:organization"))
    params.append(("_count", str(max(1, min(query.count, MAX_COUNT)))))
    return params


def _searched_first(page: DirectoryPage, address: str) -> DirectoryPage:
    key = address.strip().lower()

    def first(c: Correspondent) -> Correspondent:
        found = [m for m in c.mailboxes if m.lower() == key]
        others = tuple(m for m in c.mailboxes if m.lower() != key)
        return replace(c, mailboxes=(*found, *others)) if found else c

    return replace(page, correspondents=[first(c) for c in page.correspondents])


WaitListener = Callable[[Message], None]


class DirectoryClient:
    """Searches the directory at `base_url` through `http` (which carries the login's auth).

    Every request takes a token of `bucket` (one per session: the national API counts the
    requests of the application, 17 per second), and a 429 pauses the bucket for its
    Retry-After, tells `on_wait` (a French status for the user) and tries again."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        api_key: str | None = None,
        bucket: TokenBucket | None = None,
        on_wait: WaitListener | None = None,
    ) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._headers = {"Accept": FHIR_JSON}
        if api_key:
            self._headers[API_KEY_HEADER] = api_key
        self._bucket = bucket or TokenBucket()
        self._on_wait = on_wait
        self._search_params: dict[str, frozenset[str]] | None = None

    @property
    def base_url(self) -> str:
        return self._base

    async def search_parameters(self) -> dict[str, frozenset[str]]:
        """The search parameters of each resource type, from the CapabilityStatement
        (`/metadata`), read once per client."""
        if self._search_params is None:
            body = await self._get(f"{self._base}/metadata", None)
            found: dict[str, frozenset[str]] = {}
            for rest in _dicts(_dict(body).get("rest")):
                for resource in _dicts(rest.get("resource")):
                    names = {_str(p.get("name")) for p in _dicts(resource.get("searchParam"))}
                    found[_str(resource.get("type"))] = frozenset(names - {""})
            self._search_params = found
        return self._search_params

    async def offers_near(self, resource: str = "PractitionerRole") -> bool:
        """Whether the directory searches by distance (`near`, a regional extension)."""
        return "near" in (await self.search_parameters()).get(resource, frozenset())

    async def search(self, query: DirectoryQuery) -> DirectoryPage:
        """One page of results. An MSSanté address that no professional's role holds is looked
        for among the organisations: a service's or an establishment's box is an Organization's
        telecom in the Annuaire Santé's shapes. The searched address comes first in each result's
        addresses, so that the row shows the one the user has."""
        if query.near is not None and not await self.offers_near(_resource_of(query)):
            return await self._search_around(query, query.near)
        page = await self._search(query)
        if query.mailbox and query.category is None and not page.correspondents:
            page = await self._search(replace(query, category=ORGANIZATION))
        if query.mailbox and query.category is None and not page.correspondents:
            page = await self._search(replace(query, category=TEAMS))  # a team's contact box
        if query.mailbox:
            page = _searched_first(page, query.mailbox)
        return page

    async def _search_around(self, query: DirectoryQuery, near: Near) -> DirectoryPage:
        """ "Autour de moi" without `near`: the postal codes of the départements around the
        practice (app/remote/around.py), each result's distance computed from the position of
        its address where the directory gives one."""
        postal_code = query.postal_code or postal_prefixes_around(near.lat, near.lon, near.km)
        # The directory orders by name: the nearest may be on any page. All of them (up to
        # AROUND_MAX_ROWS), then as `near` would: within the radius, nearest first, in one page
        # (no next link: the rest is read already). Those without a position cannot be placed
        # and come after.
        page = await self._search(
            replace(query, near=None, postal_code=postal_code, count=MAX_COUNT)
        )
        found = list(page.correspondents)
        while page.next_url is not None and len(found) < AROUND_MAX_ROWS:
            following = await self.next_page(page)
            if following is None:
                break
            page = following
            found += page.correspondents
        placed = _with_distances(replace(page, correspondents=found), near).correspondents
        within = sorted(
            (c for c in placed if c.distance_km is not None and c.distance_km <= near.km),
            key=lambda c: (c.distance_km or 0.0, c.display_name),
        )
        shown = within + [c for c in placed if c.distance_km is None]
        return DirectoryPage(shown, len(shown), resource=page.resource, near_fallback=True)

    async def _search(self, query: DirectoryQuery) -> DirectoryPage:
        resource = _resource_of(query)
        body = await self._get(f"{self._base}/{resource}", search_params(query))
        page = parse_bundle(body)
        log.debug("directory search on %s: %d result(s)", resource, len(page.correspondents))
        return page

    async def next_page(self, page: DirectoryPage) -> DirectoryPage | None:
        """The following page, or None at the end. Only follows links on the directory's own
        origin, so the API key never leaves for another host."""
        if page.next_url is None:
            return None
        try:
            elsewhere = origin_of(page.next_url) != origin_of(self._base)
        except ValueError:
            elsewhere = True
        if elsewhere:
            raise DirectoryError("next link on another origin")
        return parse_bundle(await self._get(page.next_url, None))

    async def get_practitioner(self, practitioner_id: str) -> Correspondent | None:
        """A professional by Practitioner id, with their first role and its organisation."""
        person = await self._get(
            f"{self._base}/Practitioner/{quote(practitioner_id, safe='')}", None, missing_ok=True
        )
        if person is None:
            return None
        if not isinstance(person, dict) or person.get("resourceType") != "Practitioner":
            raise DirectoryError("not a Practitioner")
        rpps = _rpps(person)
        if rpps:
            params = [
                ("identifier", f"{RPPS_SYSTEM}|{rpps}"),
                ("_include", "PractitionerRole:practitioner"),
                ("_include", "PractitionerRole:organization"),
            ]
            page = parse_bundle(await self._get(f"{self._base}/PractitionerRole", params))
            mine = [c for c in page.correspondents if c.practitioner_id == practitioner_id]
            if mine:
                return mine[0]
        return _practitioner_correspondent({}, person, {})

    async def _get(
        self, url: str, params: list[tuple[str, str]] | None, missing_ok: bool = False
    ) -> Any:
        for attempt in range(RETRIES + 1):
            await self._bucket.take()
            try:
                # No `params` at all for a next link: an empty one would wipe the link's query.
                if params is None:
                    response = await self._http.get(url, headers=self._headers)
                else:
                    response = await self._http.get(
                        url, params=tuple(params), headers=self._headers
                    )
            except httpx.HTTPError as exc:
                raise DirectoryUnreachable(type(exc).__name__, await tls_reason(exc)) from None
            if response.status_code != 429 or attempt == RETRIES:
                break
            wait = retry_after(response.headers.get("Retry-After"))
            log.info("directory: 429, waiting %.1f s", wait)
            self._bucket.pause(wait)
            if self._on_wait is not None:
                seconds = max(1, math.ceil(wait))
                count = (messages.SECONDS_ONE if seconds == 1 else messages.SECONDS_MANY).fill(
                    count=seconds
                )
                self._on_wait(messages.DIRECTORY_WAITING.fill(wait=count))
            await asyncio.sleep(0)  # the next take() waits out the pause
        if missing_ok and response.status_code in (404, 410):
            return None
        if response.status_code >= 400:
            raise _refusal(response)
        try:
            return response.json()
        except ValueError:
            raise DirectoryError("response is not JSON") from None


def _resource_of(query: DirectoryQuery) -> str:
    if query.searches_teams:
        return "HealthcareService"
    return "Organization" if query.searches_organizations else "PractitionerRole"


def _with_distances(page: DirectoryPage, near: Near) -> DirectoryPage:
    def placed(c: Correspondent) -> Correspondent:
        if c.position is None:
            return c
        return replace(c, distance_km=distance_km(near.lat, near.lon, *c.position))

    return replace(page, correspondents=[placed(c) for c in page.correspondents])


def retry_after(value: str | None) -> float:
    """The seconds a Retry-After asks for (RFC 9110 §10.2.3: seconds or an HTTP date), within
    0 and RETRY_AFTER_MAX; DEFAULT_RETRY_AFTER when missing or unreadable."""
    text = (value or "").strip()
    if text.isdigit():
        return min(float(text), RETRY_AFTER_MAX)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return DEFAULT_RETRY_AFTER
    if when.tzinfo is None:
        return DEFAULT_RETRY_AFTER
    return min(max(when.timestamp() - time.time(), 0.0), RETRY_AFTER_MAX)


def _refusal(response: httpx.Response) -> DirectoryRefused:
    status = response.status_code
    diagnostics = ""
    try:
        body = response.json()
        issues = list(_dicts(_dict(body).get("issue")))
        diagnostics = _str(issues[0].get("diagnostics")) if issues else ""
    except ValueError:
        pass
    if status in (401, 403):
        return DirectoryRefused(
            f"HTTP {status}",
            status,
            messages.DIRECTORY_ACCESS_REFUSED,
        )
    if status == 429:
        return DirectoryRefused("HTTP 429", status, messages.DIRECTORY_RATE_LIMITED)
    if status >= 500:
        return DirectoryRefused(f"HTTP {status}", status, messages.DIRECTORY_FAILING)
    return DirectoryRefused(f"HTTP {status}: {diagnostics[:200]}", status)
