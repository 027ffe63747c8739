"""Synthetic professionals for the demo directory, spread over real communes.

Everything is drawn from the seeded PRNG: the same seed gives the same directory. Names are random
pairs from the name pools (nobody is a real person). RPPS numbers are synthetic: 11 digits
starting with 9 (real RPPS numbers start with 1, so they can never collide), the last one a Luhn
key. FINESS numbers are synthetic too (they start with 99). Professions and specialties are real
codes of TRE_G15 and TRE_R38; communes are real (see communes.py for positions and postal codes).
"""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass, field

from server.context import Sandbox
from server.demo.names import ascii_slug, person_name
from server.demo.world import DemoPerson, DemoUserSpec, DemoWorld
from server.directory.codes import SPECIALTIES
from server.directory.communes import SPLIT_COMMUNES, Commune, load_communes
from server.directory.records import (
    MAILBOX_APPLICATION,
    MAILBOX_CABINET,
    MAILBOX_ORGANIZATION,
    Mailbox,
    OrganizationRecord,
    PractitionerRecord,
    RoleRecord,
)
from server.directory.search import haversine_km

REGION = "84"  # Auvergne-Rhône-Alpes: most of the demo's professionals practise there
REGION_SHARE = 0.6
METROPOLES = {
    "Lyon": (45.757, 4.835),
    "Grenoble": (45.179, 5.715),
    "Saint-Étienne": (45.434, 4.390),
    "Clermont-Ferrand": (45.780, 3.087),
}
# Cities with a CHU (a centre hospitalier universitaire); one per city, arrondissements included.
CHU_CITIES = frozenset(
    {
        "Lyon",
        "Grenoble",
        "Saint-Étienne",
        "Clermont-Ferrand",
        "Paris",
        "Marseille",
        "Toulouse",
        "Bordeaux",
        "Lille",
        "Nantes",
        "Rennes",
        "Strasbourg",
        "Montpellier",
        "Nice",
        "Nancy",
        "Dijon",
        "Tours",
        "Rouen",
        "Caen",
        "Angers",
        "Brest",
        "Limoges",
        "Poitiers",
        "Reims",
        "Amiens",
        "Besançon",
        "Nîmes",
        "Orléans",
    }
)
LYON = (45.757, 4.835)

# (weight, profession, specialty choices or None): shares close to the RPPS's.
SPECIALISTS = {
    "SM04": 3,
    "SM15": 2,
    "SM24": 2,
    "SM40": 3,
    "SM42": 4,
    "SM38": 3,
    "SM44": 3,
    "SM02": 4,
    "SM20": 3,
    "SM19": 1,
    "SM34": 1.5,
    "SM41": 1.5,
    "SM32": 1.5,
    "SM48": 1,
    "SM16": 1,
    "SM30": 1,
    "SM12": 1,
    "SM08": 2,
    "SM14": 1.5,
    "SM18": 2,
    "SM27": 1,
    "SM59": 2,
    "SM36": 1,
    "SM21": 0.5,
    "SM29": 1,
    "SM25": 1,
    "SM01": 0.5,
    "SM28": 0.3,
    "SM45": 0.3,
    "SM57": 0.5,
    "SM58": 0.5,
    "SM61": 0.7,
    "SM10": 0.5,
    "SM31": 0.3,
    "SM13": 0.3,
    "SM11": 0.3,
    "SM17": 0.2,
    "SM49": 0.3,
    "SM43": 0.7,
    "SM46": 0.7,
}
COMPETENCES = {
    "SM54": [
        "suivi de grossesse",
        "médecine du sport",
        "vaccination",
        "petite chirurgie",
        "soins palliatifs",
        "addictologie",
        "gériatrie",
        "pédiatrie",
        "nutrition",
    ],
    "SM04": ["échographie cardiaque", "holter", "insuffisance cardiaque", "rythmologie"],
    "SM15": ["dermatoscopie", "plaies chroniques", "dermatologie pédiatrique", "psoriasis"],
    "SM24": ["endoscopie digestive", "hépatologie", "maladies inflammatoires de l'intestin"],
    "SM40": ["néonatologie", "allergologie pédiatrique", "asthme de l'enfant"],
    "SM42": ["troubles anxieux", "addictologie", "psychotraumatologie"],
    "SM38": ["rétine", "glaucome", "chirurgie de la cataracte"],
    "SM18": ["troubles cognitifs", "chutes", "soins palliatifs"],
    "SM16": ["diabétologie", "thyroïde", "obésité"],
    "60": [
        "plaies chroniques",
        "soins palliatifs",
        "diabète",
        "pansements complexes",
        "chimiothérapie à domicile",
    ],
    "70": [
        "kinésithérapie respiratoire",
        "rééducation périnéale",
        "drainage lymphatique",
        "kinésithérapie du sport",
    ],
    "21": ["vaccination", "préparations magistrales", "orthopédie", "maintien à domicile"],
}


@dataclass(frozen=True)
class Kind:
    """How a profession practises: its share, and where (organisation kinds with weights)."""

    weight: float
    profession: str
    places: tuple[tuple[str, float], ...]
    city_only: bool = False


KINDS = (
    Kind(14, "10/GP", (("cabinet", 75), ("centre-sante", 10), ("ehpad", 5), ("ch", 10))),
    Kind(14, "10/SPE", (("hopital", 50), ("clinique", 30), ("cabinet", 20)), city_only=True),
    Kind(1, "10/BIO", (("laboratoire", 1),), city_only=True),
    Kind(10, "21", (("pharmacie", 85), ("laboratoire", 5), ("ch", 10))),
    Kind(24, "60", (("cabinet", 55), ("hopital", 30), ("ehpad", 10), ("centre-sante", 5))),
    Kind(10, "70", (("cabinet", 1),)),
    Kind(6, "40", (("cabinet", 1),)),
    Kind(3, "50", (("ch", 50), ("cabinet", 50))),
    Kind(3, "93", (("cabinet", 80), ("ch", 20))),
    Kind(3, "91", (("cabinet", 1),)),
    Kind(2, "80", (("cabinet", 1),)),
    Kind(1, "92", (("cabinet", 1),)),
    Kind(1, "95", (("cabinet", 70), ("ch", 30))),
    Kind(1, "94", (("cabinet", 50), ("ch", 50))),
    Kind(1, "96", (("cabinet", 1),)),
    Kind(1, "98", (("hopital", 1),), city_only=True),
    Kind(0.5, "26", (("cabinet", 1),)),
    Kind(0.5, "28", (("cabinet", 1),)),
    Kind(0.5, "86", (("laboratoire", 1),), city_only=True),
)
CABINET_NAMES = {
    "10": "Cabinet médical",
    "60": "Cabinet infirmier",
    "70": "Cabinet de kinésithérapie",
    "40": "Cabinet dentaire",
    "50": "Cabinet de sage-femme",
    "93": "Cabinet de psychologie",
    "91": "Cabinet d'orthophonie",
    "80": "Cabinet de podologie",
    "92": "Cabinet d'orthoptie",
    "95": "Cabinet de diététique",
    "94": "Cabinet d'ergothérapie",
    "96": "Cabinet de psychomotricité",
    "26": "Audition",
    "28": "Optique",
}
CLINIC_NAMES = (
    "du Parc",
    "Saint-Joseph",
    "des Cèdres",
    "du Val",
    "Sainte-Anne",
    "des Alpes",
    "du Tonkin",
    "de la Sauvegarde",
    "Saint-Vincent",
    "des Portes du Sud",
    "du Mont",
)
PHARMACY_NAMES = (
    "du Centre",
    "de la Gare",
    "des Halles",
    "du Marché",
    "de la Mairie",
    "du Parc",
    "de l'Église",
    "des Écoles",
    "Centrale",
    "du Pont",
)
EHPAD_NAMES = (
    "Les Tilleuls",
    "Les Glycines",
    "Le Clos Fleuri",
    "Les Jardins",
    "La Roseraie",
    "Les Cèdres",
    "Le Val Joli",
)
STREETS = (
    "rue de la République",
    "avenue Jean Jaurès",
    "rue Victor Hugo",
    "place de la Mairie",
    "boulevard Pasteur",
    "rue du Général de Gaulle",
    "avenue de la Gare",
    "rue des Écoles",
    "rue Pasteur",
    "cours Gambetta",
)


def _luhn_key(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def _short_label(specialty: str) -> str:
    label = SPECIALTIES[specialty].rsplit(" (", 1)[0]
    return label[0].lower() + label[1:]


class _Picker:
    """Weighted choice over a fixed population in O(log n) per draw."""

    def __init__(self, items: list[Commune], weights: list[float]) -> None:
        self.items = items
        self.cum = list(itertools.accumulate(weights))

    def pick(self, rng: random.Random) -> Commune:
        return self.items[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


@dataclass
class _Builder:
    sandbox: Sandbox
    rng: random.Random
    organizations: list[OrganizationRecord] = field(default_factory=list)
    practitioners: list[PractitionerRecord] = field(default_factory=list)
    roles: list[RoleRecord] = field(default_factory=list)
    by_place: dict[tuple[str, str], list[OrganizationRecord]] = field(default_factory=dict)
    emails: set[str] = field(default_factory=set)
    rpps: set[str] = field(default_factory=set)
    commune_of: dict[str, Commune] = field(default_factory=dict)
    domain_of: dict[str, str] = field(default_factory=dict)  # organisation id → its mail domain

    def new_rpps(self) -> str:
        while True:
            body = "9" + f"{self.rng.randrange(10**9):09d}"
            number = body + _luhn_key(body)
            if number not in self.rpps:
                self.rpps.add(number)
                return number

    def email(self, given: str, family: str, domain: str) -> str:
        return self.address(f"{ascii_slug(given)}.{ascii_slug(family)}", domain)

    def address(self, local: str, domain: str) -> str:
        """`local@domain`, or local2@, local3@… when taken."""
        for i in itertools.count(1):
            address = f"{local}{i if i > 1 else ''}@{domain}"
            if address not in self.emails:
                self.emails.add(address)
                return address
        raise AssertionError("unreachable")

    def organization(
        self, kind: str, commune: Commune, name: str, domain: str, key: str = ""
    ) -> OrganizationRecord:
        n = len(self.organizations) + 1
        lat = commune.lat + self.rng.uniform(-0.008, 0.008)
        lon = commune.lon + self.rng.uniform(-0.011, 0.011)
        org = OrganizationRecord(
            id=f"org-{n:06d}",
            name=name,
            kind=kind,
            finess=f"99{n:07d}",
            insee=commune.insee,
            city=commune.city,
            postal_code=commune.postal_code,
            departement=commune.departement,
            line=f"{self.rng.randint(1, 120)} {self.rng.choice(STREETS)}",
            lat=round(lat, 5),
            lon=round(lon, 5),
            phone=f"0{self.rng.randint(1, 5)}{self.rng.randrange(10**8):08d}",
        )
        if kind == "laboratoire":
            address = self.address("resultats", domain)
            org.mailboxes.append(Mailbox(address, MAILBOX_APPLICATION, "Résultats"))
        elif kind == "cabinet" and n % 4 == 0:
            # A cabinet's shared box (CAB); every other one is on the liste rouge, so the demo
            # has boxes that clients must never show (issue 14 §4). No draw from rng: the rest of
            # the demo stays the same.
            address = self.address(
                f"cabinet.{ascii_slug(commune.city)}", domain or "pro.mssante.fr"
            )
            org.mailboxes.append(Mailbox(address, MAILBOX_CABINET, "Cabinet", n % 8 == 0))
        elif kind in ("centre-sante", "ehpad"):
            box = "accueil" if kind == "centre-sante" else "infirmerie"
            address = self.address(box, domain)
            org.mailboxes.append(Mailbox(address, MAILBOX_ORGANIZATION, box.title()))
        self.organizations.append(org)
        where = commune.city if kind == "chu" else commune.insee
        self.by_place.setdefault((key or kind, where), []).append(org)
        self.commune_of[org.id] = commune
        self.domain_of[org.id] = domain or "pro.mssante.fr"
        return org

    def place(self, kind: str, profession: str, commune: Commune) -> tuple[OrganizationRecord, str]:
        """An organisation of `kind` in `commune` (reused or new), and the staff's mail domain."""
        slug = ascii_slug(commune.city)
        key = f"cabinet-{profession}" if kind == "cabinet" else kind
        existing = self.by_place.get((key, commune.insee), [])
        if kind == "chu":
            existing = self.by_place.get(("chu", commune.city), [])
            org = (
                existing[0]
                if existing
                else self.organization(
                    kind, commune, f"CHU de {commune.city}", f"chu-{slug}.mssante.fr", commune.city
                )
            )
            return org, f"chu-{slug}.mssante.fr"
        if kind == "ch":
            org = (
                existing[0]
                if existing
                else self.organization(
                    kind,
                    commune,
                    f"Centre hospitalier {_of(commune.city)}",
                    f"ch-{slug}.mssante.fr",
                )
            )
            return org, f"ch-{slug}.mssante.fr"
        if (kind == "clinique" and len(existing) >= 3) or (existing and self.rng.random() < 0.6):
            org = self.rng.choice(existing)
            return org, self.domain_of[org.id] if org.kind == "clinique" else "pro.mssante.fr"
        if kind == "clinique":
            name = f"Clinique {CLINIC_NAMES[len(existing) % len(CLINIC_NAMES)]}"
            domain = f"{ascii_slug(name)}-{slug}.mssante.fr"
            return self.organization(kind, commune, name, domain), domain
        if kind == "pharmacie":
            name = f"Pharmacie {self.rng.choice(PHARMACY_NAMES)}"
            return self.organization(kind, commune, name, ""), "pro.mssante.fr"
        if kind == "laboratoire":
            name = f"Laboratoire de biologie médicale {commune.city}"
            domain = f"labo-{slug}-{len(existing) + 1}.mssante.fr"
            return self.organization(kind, commune, name, domain), "pro.mssante.fr"
        if kind == "centre-sante":
            name = f"Centre de santé {_of(commune.city)}"
            domain = f"cds-{slug}-{len(existing) + 1}.mssante.fr"
            return self.organization(kind, commune, name, domain), "pro.mssante.fr"
        if kind == "ehpad":
            name = f"EHPAD {self.rng.choice(EHPAD_NAMES)}"
            domain = f"ehpad-{slug}-{len(existing) + 1}.mssante.fr"
            return self.organization(kind, commune, name, domain), "pro.mssante.fr"
        _, _, family = person_name(self.rng)
        name = f"{CABINET_NAMES.get(profession, 'Cabinet')} {family}"
        return self.organization("cabinet", commune, name, "", key), "pro.mssante.fr"

    def add(
        self,
        prefix: str,
        given: str,
        family: str,
        gender: str,
        profession: str,
        specialty: str | None,
        org: OrganizationRecord,
        email: str,
        expert: bool,
    ) -> tuple[PractitionerRecord, RoleRecord]:
        n = len(self.practitioners) + 1
        practitioner = PractitionerRecord(
            id=f"pra-{n:06d}",
            rpps=self.new_rpps(),
            prefix=prefix,
            given=given,
            family=family,
            gender=gender,
            email=email,
            profession=profession,
            specialty=specialty,
            expert=expert,
        )
        service = ""
        if specialty and org.kind in ("chu", "ch", "clinique"):
            service = f"Service de {_short_label(specialty)}"
            if service not in org.services:
                org.services.append(service)
                if org.kind != "clinique" or self.rng.random() < 0.5:
                    box = f"secretariat.{ascii_slug(_short_label(specialty)).split('-')[0]}"
                    address = f"{box}@{self.domain_of[org.id]}"
                    if address not in self.emails:
                        self.emails.add(address)
                        label = f"Secrétariat — {service}"
                        org.mailboxes.append(Mailbox(address, MAILBOX_ORGANIZATION, label))
        pool = COMPETENCES.get(specialty or profession, [])
        competences = self.rng.sample(pool, k=min(len(pool), self.rng.randint(0, 2)))
        role = RoleRecord(
            id=f"rol-{n:06d}",
            practitioner_id=practitioner.id,
            organization_id=org.id,
            service=service,
            competences=competences,
        )
        self.practitioners.append(practitioner)
        self.roles.append(role)
        return practitioner, role


def _of(city: str) -> str:
    """ "de Lyon", "d'Écully": French elision before a vowel."""
    return f"d'{city}" if city[:1].lower() in "aeiouyéèêâîôûh" and city[:1] != "H" else f"de {city}"


def seed_directory(sandbox: Sandbox, world: DemoWorld, rng: random.Random, count: int) -> None:
    """Writes at least `count` professionals, the demo accounts' entries and the correspondents."""
    communes = [c for c in load_communes() if c.insee not in SPLIT_COMMUNES]
    by_insee = {c.insee: c for c in communes}

    def weight(c: Commune) -> float:
        w = float(max(c.population, 80))
        if any(haversine_km(c.lat, c.lon, *centre) < 20 for centre in METROPOLES.values()):
            w *= 2.5
        return w

    region = [c for c in communes if c.region == REGION]
    elsewhere = [c for c in communes if c.region != REGION]
    pick_region = _Picker(region, [weight(c) for c in region])
    pick_elsewhere = _Picker(elsewhere, [float(max(c.population, 80)) for c in elsewhere])
    cities_region = [c for c in region if c.population >= 15_000]
    cities_elsewhere = [c for c in elsewhere if c.population >= 30_000]
    pick_city_region = _Picker(cities_region, [weight(c) for c in cities_region])
    pick_city_elsewhere = _Picker(cities_elsewhere, [float(c.population) for c in cities_elsewhere])
    kinds = list(KINDS)
    kind_cum = list(itertools.accumulate(k.weight for k in kinds))
    specialists = list(SPECIALISTS)
    specialist_cum = list(itertools.accumulate(SPECIALISTS.values()))
    builder = _Builder(sandbox, rng)

    _seed_accounts(builder, world, by_insee)
    for _ in range(count):
        kind = kinds[bisect.bisect(kind_cum, rng.random() * kind_cum[-1])]
        in_region = rng.random() < REGION_SHARE
        if kind.city_only:
            commune = (pick_city_region if in_region else pick_city_elsewhere).pick(rng)
        else:
            commune = (pick_region if in_region else pick_elsewhere).pick(rng)
        profession, _, variant = kind.profession.partition("/")
        specialty: str | None = None
        if variant == "GP":
            specialty = "SM54"
        elif variant == "SPE":
            specialty = specialists[
                bisect.bisect(specialist_cum, rng.random() * specialist_cum[-1])
            ]
        elif variant == "BIO":
            specialty = rng.choice(("SM03", "SM63", "SM65", "SM66"))
        elif profession == "40" and rng.random() < 0.1:
            specialty = rng.choice(("SCD01", "SCD02", "SCD03"))
        elif profession == "60" and rng.random() < 0.02:
            specialty = rng.choice(("SI01", "SI02", "SI03", "SI04", "SI05"))
        place = rng.choices([p for p, _ in kind.places], [w for _, w in kind.places])[0]
        if place == "hopital":
            place = "chu" if commune.city in CHU_CITIES else "ch"
        if place == "ch" and commune.population < 8_000:
            place = "cabinet" if profession != "98" else "ch"
        org, domain = builder.place(place, profession, commune)
        sex, given, family = person_name(rng)
        prefix = "Dr" if profession in ("10", "40", "21") else ("Mme" if sex == "female" else "M.")
        expert_rate = 0.15 if variant == "SPE" else 0.02 if variant == "GP" else 0.008
        builder.add(
            prefix,
            given,
            family,
            sex,
            profession,
            specialty,
            org,
            builder.email(given, family, domain),
            rng.random() < expert_rate,
        )
    sandbox.directory.insert(builder.organizations, builder.practitioners, builder.roles)
    world.correspondents.extend(_correspondents(builder, world, rng))


def _seed_accounts(builder: _Builder, world: DemoWorld, by_insee: dict[str, Commune]) -> None:
    """The demo accounts' own entries, with their sandbox addresses."""
    for account in world.accounts.values():
        spec: DemoUserSpec = account.spec
        if not spec.profession_code:
            continue
        commune = by_insee[spec.insee_code]
        org = next(
            (o for o in builder.organizations if o.name == spec.organization_name), None
        ) or builder.organization(
            spec.organization_kind,
            commune,
            spec.organization_name,
            f"chu-{ascii_slug(commune.city)}.mssante.fr"
            if spec.organization_kind == "chu"
            else f"{ascii_slug(spec.organization_name)[:40].strip('-')}.mssante.fr",
            commune.city if spec.organization_kind == "chu" else "",
        )
        builder.emails.add(account.email)
        sex = "female" if spec.prefix == "Mme" or spec.given.endswith(("e", "a")) else "male"
        practitioner, _ = builder.add(
            spec.prefix,
            spec.given,
            spec.family,
            sex,
            spec.profession_code,
            spec.specialty_code,
            org,
            account.email,
            spec.is_expert,
        )
        account.person = _person(practitioner, org)


def _person(p: PractitionerRecord, org: OrganizationRecord) -> DemoPerson:
    return DemoPerson(
        practitioner_id=p.id,
        rpps=p.rpps,
        prefix=p.prefix,
        given=p.given,
        family=p.family,
        profession_code=p.profession,
        specialty_code=p.specialty,
        email=p.email,
        organization_id=org.id,
        organization_name=org.name,
        city=org.city,
        postal_code=org.postal_code,
        insee_code=org.insee,
        is_expert=p.expert,
    )


def _correspondents(builder: _Builder, world: DemoWorld, rng: random.Random) -> list[DemoPerson]:
    """~80 professionals around Lyon, of varied professions, that the demo GP writes to."""
    own = {a.email for a in world.accounts.values()}
    orgs = {o.id: o for o in builder.organizations}
    groups: dict[tuple[str, str | None], list[PractitionerRecord]] = {}
    for role, p in zip(builder.roles, builder.practitioners, strict=True):
        org = orgs[role.organization_id]
        if p.email in own or haversine_km(org.lat, org.lon, *LYON) > 25:
            continue
        groups.setdefault((p.profession, p.specialty), []).append(p)
    chosen: list[PractitionerRecord] = []
    keys = sorted(groups, key=lambda k: (k[0], k[1] or ""))
    while len(chosen) < 80 and any(groups[k] for k in keys):
        for key in keys:
            if groups[key] and len(chosen) < 80:
                chosen.append(groups[key].pop(rng.randrange(len(groups[key]))))
    role_of = {r.practitioner_id: r for r in builder.roles}
    return [_person(p, orgs[role_of[p.id].organization_id]) for p in chosen]
