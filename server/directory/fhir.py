"""FHIR R4 resources in the shapes of the national Annuaire Santé API (IG fhir-annuaire, v2)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from server.directory.codes import (
    CATEGORY_SYSTEM,
    PROFESSION_SYSTEM,
    PROFESSIONS,
    SPECIALTIES,
    SPECIALTY_SYSTEM,
)
from server.directory.records import MAILBOX_PERSON
from server.directory.search import FINESS_SYSTEM, PARAMETERS, RPPS_SYSTEM

FHIR_JSON = "application/fhir+json"
TELEEXPERT_EXTENSION = "https://monsisra.example/fhir/StructureDefinition/teleexpert"
IG = "https://interop.esante.gouv.fr/ig/fhir/annuaire/StructureDefinition/"
IDENTIFIER_TYPE_SYSTEM = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203"
EMAIL_TYPE_EXTENSION = (
    "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-contact-point-email-type"
)
EMAIL_TYPE_SYSTEM = (
    "https://mos.esante.gouv.fr/NOS/TRE_R256-TypeMessagerie/FHIR/TRE-R256-TypeMessagerie"
)
MAILBOX_TYPE_SYSTEM = "https://mos.esante.gouv.fr/NOS/TRE_R257-TypeBAL/FHIR/TRE-R257-TypeBAL"
INSEE_EXTENSION = "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-address-insee-code"
COMMUNE_SYSTEM = "https://mos.esante.gouv.fr/NOS/TRE_R13-Commune/FHIR/TRE-R13-Commune"
GEOLOCATION_EXTENSION = "http://hl7.org/fhir/StructureDefinition/geolocation"
DISTANCE_EXTENSION = "http://hl7.org/fhir/StructureDefinition/location-distance"
SOURCE = "https://annuaire.sante.fr"


def mailbox_telecom(
    email: str, kind: str, rank: int | None = 1, liste_rouge: bool = False
) -> dict[str, Any]:
    """An MSSanté address as Practitioner-mss-example.json writes it, with the `listeRouge`
    flag of the ANS example AsOrganizationExampleNancy (a box on the liste rouge is served
    flagged; no client shows it)."""
    telecom: dict[str, Any] = {
        "extension": [
            {
                "url": EMAIL_TYPE_EXTENSION,
                "valueCoding": {"system": EMAIL_TYPE_SYSTEM, "code": "MSSANTE"},
            },
            {
                "extension": [
                    {
                        "url": "type",
                        "valueCodeableConcept": {
                            "coding": [{"system": MAILBOX_TYPE_SYSTEM, "code": kind}]
                        },
                    },
                    {"url": "listeRouge", "valueBoolean": liste_rouge},
                ],
                "url": IG + "as-ext-mailbox-mss-metadata",
            },
        ],
        "system": "email",
        "value": email,
    }
    if rank is not None:
        telecom["rank"] = rank
    return telecom


def _profession_coding(code: str) -> list[dict[str, str]]:
    return [
        {"system": PROFESSION_SYSTEM, "code": code, "display": PROFESSIONS.get(code, code)},
        {"system": CATEGORY_SYSTEM, "code": "C"},
    ]


def _specialty(code: str) -> dict[str, Any]:
    return {
        "coding": [
            {"system": SPECIALTY_SYSTEM, "code": code, "display": SPECIALTIES.get(code, code)}
        ]
    }


def _expert_extension(expert: bool) -> list[dict[str, Any]]:
    return [{"url": TELEEXPERT_EXTENSION, "valueBoolean": True}] if expert else []


def practitioner(row: sqlite3.Row) -> dict[str, Any]:
    qualification: list[dict[str, Any]] = [
        {"code": {"coding": _profession_coding(row["profession"])}}
    ]
    if row["specialty"]:
        qualification.append({"code": _specialty(row["specialty"])})
    resource: dict[str, Any] = {
        "resourceType": "Practitioner",
        "id": row["id"],
        "meta": {
            "source": SOURCE,
            "profile": [
                "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-practitioner",
                IG + "as-dr-practitioner",
            ],
        },
    }
    extension = _expert_extension(bool(row["expert"]))
    if extension:
        resource["extension"] = extension
    resource.update(
        {
            "identifier": [
                _identifier("IDNPS", "urn:oid:1.2.250.1.71.4.2.1", "8" + row["rpps"]),
                _identifier("RPPS", RPPS_SYSTEM, row["rpps"]),
            ],
            "active": True,
            "name": [
                {
                    "use": "usual",
                    "family": row["family"],
                    "given": [row["given"]],
                    "prefix": [row["prefix"]],
                }
            ],
            "telecom": [mailbox_telecom(row["email"], MAILBOX_PERSON)],
            "gender": row["gender"],
            "qualification": qualification,
        }
    )
    return resource


def _identifier(type_code: str, system: str, value: str) -> dict[str, Any]:
    return {
        "use": "official",
        "type": {"coding": [{"system": IDENTIFIER_TYPE_SYSTEM, "code": type_code}]},
        "system": system,
        "value": value,
    }


def practitioner_role(row: sqlite3.Row) -> dict[str, Any]:
    extension: list[dict[str, Any]] = [
        {
            "url": IG + "as-ext-practitionerrole-name",
            "valueHumanName": {
                "family": row["family"],
                "given": [row["given"]],
                "prefix": [row["prefix"]],
            },
        },
        *_expert_extension(bool(row["expert"])),
    ]
    resource: dict[str, Any] = {
        "resourceType": "PractitionerRole",
        "id": row["id"],
        "meta": {"source": SOURCE, "profile": [IG + "as-dp-practitionerrole"]},
        "extension": extension,
        "identifier": [{"system": RPPS_SYSTEM, "value": row["rpps"]}],
        "active": True,
        "practitioner": {
            "reference": f"Practitioner/{row['practitioner_id']}",
            "display": f"{row['prefix']} {row['given']} {row['family']}",
        },
        "organization": {
            "reference": f"Organization/{row['organization_id']}",
            "display": row["organization_name"],
        },
        "code": [{"coding": _profession_coding(row["profession"])}],
    }
    if row["specialty"]:
        resource["specialty"] = [_specialty(row["specialty"])]
    competences = json.loads(row["competences"])
    if row["service"] or competences:
        resource["extension"].append(
            {
                "url": "https://monsisra.example/fhir/StructureDefinition/service-competence",
                "valueString": "; ".join([x for x in (row["service"], *competences) if x]),
            }
        )
    resource["telecom"] = [mailbox_telecom(row["email"], MAILBOX_PERSON)]
    return resource


def organization(row: sqlite3.Row, mailboxes: list[sqlite3.Row]) -> dict[str, Any]:
    telecom: list[dict[str, Any]] = []
    if row["phone"]:
        telecom.append({"system": "phone", "value": row["phone"], "rank": 1})
    telecom.extend(
        mailbox_telecom(m["email"], m["kind"], rank=None, liste_rouge=bool(m["liste_rouge"]))
        for m in mailboxes
    )
    resource: dict[str, Any] = {
        "resourceType": "Organization",
        "id": row["id"],
        "meta": {"source": SOURCE, "profile": [IG + "as-organization"]},
        "identifier": [
            {
                "use": "official",
                "type": {"coding": [{"system": IDENTIFIER_TYPE_SYSTEM, "code": "IDNST"}]},
                "system": "urn:oid:1.2.250.1.71.4.2.2",
                "value": "1" + row["finess"],
            },
            {
                "type": {"coding": [{"system": IDENTIFIER_TYPE_SYSTEM, "code": "FINEG"}]},
                "system": FINESS_SYSTEM,
                "value": row["finess"],
            },
        ],
        "active": True,
        "type": [{"text": row["kind"]}],
        "name": row["name"],
        "address": [
            {
                "extension": [
                    {
                        "url": INSEE_EXTENSION,
                        "valueCoding": {"system": COMMUNE_SYSTEM, "code": row["insee"]},
                    },
                    {
                        "url": GEOLOCATION_EXTENSION,
                        "extension": [
                            {"url": "latitude", "valueDecimal": row["lat"]},
                            {"url": "longitude", "valueDecimal": row["lon"]},
                        ],
                    },
                ],
                "line": [row["line"]],
                "city": row["city"],
                "district": row["departement"],
                "postalCode": row["postal_code"],
                "country": "FR",
            }
        ],
    }
    if telecom:
        resource["telecom"] = telecom
    services = json.loads(row["services"])
    if services:
        resource["alias"] = services
    return resource


def outcome(code: str, message: str) -> dict[str, Any]:
    """An OperationOutcome: `code` from the FHIR issue-type value set (invalid, not-found…)."""
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": code, "diagnostics": message}],
    }


def capability_statement(base_url: str, near: bool = True) -> dict[str, Any]:
    """What the sandbox searches; without `near` when it runs like the national API (clients
    read this to decide how to search "autour de moi")."""
    types = {
        "token": {
            "specialty",
            "role",
            "profession",
            "mailbox-mss",
            "mailbox-mss-type",
            "_id",
            "identifier",
        },
        "special": {"near"},
        "string": {"name", "family", "given", "address-postalcode", "address-city", "_text"},
    }

    def param_type(name: str) -> str:
        for kind, names in types.items():
            if name in names:
                return kind
        return "token"

    resources = []
    for resource, params in PARAMETERS.items():
        entry: dict[str, Any] = {
            "type": resource,
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "searchParam": [
                {"name": p, "type": param_type(p)} for p in sorted(params) if near or p != "near"
            ],
        }
        if resource == "PractitionerRole":
            entry["searchInclude"] = [
                "PractitionerRole:practitioner",
                "PractitionerRole:organization",
            ]
        if resource == "Practitioner":
            entry["searchRevInclude"] = ["PractitionerRole:practitioner"]
        resources.append(entry)
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-01-01",
        "kind": "instance",
        "software": {"name": "MonSisra regional server (sandbox)"},
        "implementation": {"description": "Sandbox directory", "url": base_url},
        "fhirVersion": "4.0.1",
        "format": ["json"],
        "rest": [{"mode": "server", "resource": resources}],
    }
