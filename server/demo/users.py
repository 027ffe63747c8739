"""The demo's accounts: a GP in Lyon and the colleagues she works with (fictional people)."""

from __future__ import annotations

from server.demo.world import DemoUserSpec

# Printed at every start and shown as a hint on the login window: a demo secret, not a real one.
DEMO_PASSWORD = "sisra-demo-2026"  # noqa: S105

DEMO_USERS: tuple[DemoUserSpec, ...] = (
    DemoUserSpec(
        key="gp",
        login="helene.garnier",
        password=DEMO_PASSWORD,
        prefix="Dr",
        given="Hélène",
        family="Garnier",
        profession_code="10",
        specialty_code="SM54",
        insee_code="69383",  # Lyon 3e arrondissement
        organization_name="Cabinet médical Garnier-Vasseur",
        organization_kind="cabinet",
        note="médecin généraliste à Lyon (le compte principal de la démo)",
    ),
    DemoUserSpec(
        key="cardio",
        login="karim.benali",
        password=DEMO_PASSWORD,
        prefix="Dr",
        given="Karim",
        family="Benali",
        profession_code="10",
        specialty_code="SM04",
        insee_code="69388",  # Lyon 8e
        organization_name="CHU de Lyon — Hôpital cardiologique Est",
        organization_kind="chu",
        note="cardiologue hospitalier",
    ),
    DemoUserSpec(
        key="dermato",
        login="nadia.lefevre",
        password=DEMO_PASSWORD,
        prefix="Dr",
        given="Nadia",
        family="Lefèvre",
        profession_code="10",
        specialty_code="SM15",
        insee_code="38185",  # Grenoble
        organization_name="Clinique des Alpes — Dermatologie",
        organization_kind="clinique",
        is_expert=True,
        note="dermatologue, déclarée téléexperte",
    ),
    DemoUserSpec(
        key="pharma",
        login="julie.perrin",
        password=DEMO_PASSWORD,
        prefix="Mme",
        given="Julie",
        family="Perrin",
        profession_code="21",
        specialty_code=None,
        insee_code="69386",  # Lyon 6e
        organization_name="Pharmacie du Parc",
        organization_kind="pharmacie",
        note="pharmacienne d'officine",
    ),
    DemoUserSpec(
        key="nurse",
        login="thomas.roux",
        password=DEMO_PASSWORD,
        prefix="M.",
        given="Thomas",
        family="Roux",
        profession_code="60",
        specialty_code=None,
        insee_code="69266",  # Villeurbanne
        organization_name="Cabinet infirmier des Gratte-Ciel",
        organization_kind="cabinet",
        note="infirmier libéral",
    ),
    DemoUserSpec(
        key="secretary",
        login="sandrine.morel",
        password=DEMO_PASSWORD,
        prefix="Mme",
        given="Sandrine",
        family="Morel",
        profession_code="",  # not a health professional: no RPPS, no directory entry
        specialty_code=None,
        insee_code="69383",
        organization_name="Cabinet médical Garnier-Vasseur",
        organization_kind="cabinet",
        note="secrétaire médicale du cabinet du Dr Garnier",
    ),
)
