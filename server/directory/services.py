"""Équipes ressources in the directory (issue 13 §4): each declared team is a HealthcareService in
the Annuaire Santé's shapes — its name, its activity (`comment`), the prerequisites for requesters
(`extraDetails`) and its contact MSSanté address as the directory writes a service's box — so that
requesters find teams with the same search as professionals and establishments.

The teams live in the regional store (server/regional/teams.py); this module only reads them and
filters them as the other resources are (name words at the start of a word, or anywhere with
`:contains`; `_text` over all their words; `mailbox-mss`; `_id`). There are a few teams, not
100,000 professionals: they are filtered in Python, without indexes of their own."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from server.directory.fhir import IG, SOURCE, mailbox_telecom
from server.directory.records import MAILBOX_ORGANIZATION
from server.directory.search import Query, StringFilter
from server.directory.text import fold, words
from server.regional.errors import RegionalError
from server.regional.models import ResourceTeam

if TYPE_CHECKING:
    from server.context import Sandbox

RESOURCE = "HealthcareService"
CATEGORY_SYSTEM = "https://monsisra.example/fhir/CodeSystem/healthcareservice-category"
TEAM_CATEGORY = "equipe-ressource"
TEMPLATES_EXTENSION = "https://monsisra.example/fhir/StructureDefinition/document-templates"


def find(sandbox: Sandbox, query: Query, base_url: str) -> list[ResourceTeam]:
    """The teams matching every criterion of `query`, by name."""
    text = " ".join(query.text) or None
    teams = sandbox.regional.teams.search(text, base_url)
    return [t for t in teams if _matches(t, query)]


def get(sandbox: Sandbox, team_id: str, base_url: str) -> ResourceTeam | None:
    try:
        return sandbox.regional.teams.get(team_id, base_url)
    except RegionalError:
        return None


def _matches(team: ResourceTeam, query: Query) -> bool:
    name = fold(team.name)
    if not all(_name_matches(name, f) for f in query.name):
        return False
    contact = team.contact_address.casefold()
    if not all(box.casefold() == contact for box in query.mailbox):
        return False
    if not all(part.casefold() in contact for part in query.mailbox_contains):
        return False
    if not all(MAILBOX_ORGANIZATION in kinds for kinds in query.mailbox_type):
        return False
    return all(team.id in ids for ids in query.ids)


def _name_matches(folded_name: str, wanted: StringFilter) -> bool:
    if wanted.contains:
        return all(w in folded_name for w in words(wanted.value))
    padded = " " + folded_name
    return all(f" {w}" in padded for w in words(wanted.value))


def healthcare_service(team: ResourceTeam) -> dict[str, Any]:
    """The team as a HealthcareService: what a requester needs to choose it and write to it."""
    resource: dict[str, Any] = {
        "resourceType": RESOURCE,
        "id": team.id,
        "meta": {"source": SOURCE, "profile": [IG + "as-healthcareservice"]},
        "active": True,
        "category": [
            {
                "coding": [
                    {
                        "system": CATEGORY_SYSTEM,
                        "code": TEAM_CATEGORY,
                        "display": "Équipe ressource",
                    }
                ]
            }
        ],
        "name": team.name,
        "telecom": [mailbox_telecom(team.contact_address, MAILBOX_ORGANIZATION, rank=1)],
    }
    if team.activity_description:
        resource["comment"] = team.activity_description
    if team.prerequisites:
        resource["extraDetails"] = team.prerequisites
    if team.templates:
        resource["extension"] = [{"url": TEMPLATES_EXTENSION, "valueInteger": len(team.templates)}]
    return resource


__all__ = ["RESOURCE", "find", "get", "healthcare_service"]
