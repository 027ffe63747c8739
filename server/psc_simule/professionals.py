"""The professionals the simulé knows: the sandbox's accounts that have an RPPS, with what PSC
would say of them (contract B's claims), built from the directory's entry of that RPPS."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from server.accounts import Account
from server.directory.codes import PROFESSIONS

if TYPE_CHECKING:
    from server.context import Sandbox

# PSC's `sub` is opaque and stable; the simulé derives it from the RPPS in its own namespace.
_SUB_NAMESPACE = uuid.UUID("6f1f0c55-3d0e-4b8e-9c52-2b9d3c1f5a15")
_CIVILITE = {"Dr": "DR", "Pr": "PR", "M.": "M", "Mme": "MME"}


@dataclass(frozen=True)
class Activity:
    """One site where the professional practises (an `activities` item of SubjectRefPro)."""

    name: str  # raisonSocialeSite
    postal_code: str
    city: str
    finess: str
    structure_id: str


# The demo GP also works one day a week in a health centre: two practices, so that the app's
# practice picker is shown (the directory itself gives each demo account one).
EXTRA_ACTIVITIES: dict[str, tuple[Activity, ...]] = {
    "helene.garnier": (
        Activity(
            name="Maison de santé pluriprofessionnelle des Pentes",
            postal_code="69001",
            city="Lyon 1er",
            finess="690099991",
            structure_id="R10000000001",
        ),
    ),
}


@dataclass(frozen=True)
class Professional:
    rpps: str
    login: str
    display_name: str
    prefix: str
    given: str
    family: str
    profession_code: str
    specialty_code: str | None
    activities: tuple[Activity, ...]

    @property
    def national_id(self) -> str:
        """SubjectNameID: `8` + RPPS, what the relying party matches accounts by."""
        return "8" + self.rpps

    @property
    def sub(self) -> str:
        return str(uuid.uuid5(_SUB_NAMESPACE, self.rpps))

    @property
    def profession(self) -> str:
        return PROFESSIONS.get(self.profession_code, "Professionnel de santé")

    def claims(self) -> dict[str, Any]:
        """The identity claims of the ID token and of userinfo (contract B)."""
        activities = [
            {
                "codeModeExercice": "L",
                "raisonSocialeSite": a.name,
                "codePostalSite": a.postal_code,
                "communeSite": a.city,
                "numeroFinessSite": a.finess,
                "identifiantStructure": a.structure_id,
            }
            for a in self.activities
        ]
        exercice: dict[str, Any] = {
            "codeProfession": self.profession_code,
            "codeCategorieProfessionnelle": "C",  # civil
            "codeCiviliteDexercice": _CIVILITE.get(self.prefix, ""),
            "nomDexercice": self.family,
            "prenomDexercice": self.given,
            "activities": activities,
        }
        if self.specialty_code:
            exercice["codeSavoirFaire"] = self.specialty_code
        return {
            "SubjectNameID": self.national_id,
            "SubjectOrganization": self.activities[0].name,
            "given_name": self.given,
            "family_name": self.family,
            "preferred_username": self.national_id,
            "SubjectRefPro": {
                "codeCivilite": _CIVILITE.get(self.prefix, ""),
                "exercices": [exercice],
            },
        }


def professionals(sandbox: Sandbox) -> list[Professional]:
    """Every account with an RPPS, by name."""
    found = [_professional(sandbox, a) for a in sandbox.accounts.all() if a.rpps]
    return sorted(found, key=lambda p: (p.family.casefold(), p.given.casefold()))


def by_rpps(sandbox: Sandbox, rpps: str) -> Professional | None:
    account = sandbox.accounts.by_rpps(rpps)
    return _professional(sandbox, account) if account is not None and account.rpps else None


def by_login_hint(sandbox: Sandbox, hint: str) -> Professional | None:
    """A CIBA login_hint: the RPPS (11 digits) or the national id (`8` + RPPS)."""
    hint = hint.strip()
    if len(hint) == 12 and hint.startswith("8"):
        hint = hint[1:]
    if len(hint) != 11 or not hint.isdigit():
        return None
    return by_rpps(sandbox, hint)


def _professional(sandbox: Sandbox, account: Account) -> Professional:
    assert account.rpps is not None
    entry = sandbox.directory.practitioner_by_rpps(account.rpps)
    activities = tuple(
        Activity(r["name"], r["postal_code"], r["city"], r["finess"], r["id"])
        for r in _organizations(sandbox, account.rpps)
    )
    if not activities:  # an account with an RPPS the directory does not list
        activities = (Activity(f"Cabinet de {account.display_name}", "", "", "", ""),)
    activities += EXTRA_ACTIVITIES.get(account.login, ())
    if entry is not None:
        prefix, given, family = entry["prefix"], entry["given"], entry["family"]
        profession, specialty = entry["profession"], entry["specialty"]
    else:
        words = account.display_name.split()
        prefix = words[0] if words and words[0] in _CIVILITE else ""
        names = words[1:] if prefix else words
        given, family = " ".join(names[:-1]), (names[-1] if names else account.login)
        profession, specialty = "10", None
    return Professional(
        rpps=account.rpps,
        login=account.login,
        display_name=account.display_name,
        prefix=prefix,
        given=given,
        family=family,
        profession_code=profession,
        specialty_code=specialty,
        activities=activities,
    )


def _organizations(sandbox: Sandbox, rpps: str) -> list[Any]:
    with sandbox.db.read() as conn:
        return list(
            conn.execute(
                "SELECT o.id, o.name, o.postal_code, o.city, o.finess FROM dir_role r "
                "JOIN dir_practitioner p ON p.n = r.practitioner_n "
                "JOIN dir_organization o ON o.n = r.organization_n "
                "WHERE p.rpps = ? ORDER BY r.n",
                (rpps,),
            )
        )
