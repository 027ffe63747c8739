"""What the demo generators share: who exists, so that each area can refer to the others."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DemoPerson:
    """A professional of the directory, as the other generators need to know them."""

    practitioner_id: str
    rpps: str
    prefix: str  # "Dr", "M.", "Mme"
    given: str
    family: str
    profession_code: str  # TRE_G15
    specialty_code: str | None  # TRE_R38
    email: str  # MSSanté address
    organization_id: str
    organization_name: str
    city: str
    postal_code: str
    insee_code: str
    is_expert: bool = False

    @property
    def display_name(self) -> str:
        return f"{self.prefix} {self.given} {self.family}"


@dataclass(frozen=True)
class DemoUserSpec:
    """A sandbox account of the demo, fixed in code so its login can be printed at every start."""

    key: str  # a short handle used by generators ("gp", "cardio"…)
    login: str
    password: str
    prefix: str
    given: str
    family: str
    profession_code: str
    specialty_code: str | None
    insee_code: str  # commune of practice
    organization_name: str
    organization_kind: str  # "cabinet", "chu", "pharmacie", "clinique", "laboratoire"
    is_expert: bool = False
    note: str = ""


@dataclass
class DemoAccount:
    spec: DemoUserSpec
    account_id: str
    email: str
    person: DemoPerson | None = None


@dataclass
class DemoPatient:
    patient_id: str
    ins: str  # synthetic: always under a test OID (DESIGN §2.5)
    ins_oid: str
    given: str
    family: str
    birth_date: str  # YYYY-MM-DD
    sex: str  # "female" | "male"
    email: str | None = None
    mobile: str | None = None
    city: str = ""


@dataclass
class DemoWorld:
    seed: int
    accounts: dict[str, DemoAccount] = field(default_factory=dict)  # by spec key
    # Professionals outside the sandbox that the demo users correspond with (directory entries).
    correspondents: list[DemoPerson] = field(default_factory=list)
    patients: list[DemoPatient] = field(default_factory=list)

    def account(self, key: str) -> DemoAccount:
        return self.accounts[key]
