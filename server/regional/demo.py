"""Demo data of the regional services: ~200 synthetic patients (INS under the test OID), the GP's
file active and care teams — every follow with its reason and a past of reads in each patient's
access journal —, her teleconsultations, a téléexpertise in progress with its thread in both
mailboxes, an équipe ressource with a template. Deterministic for a given PRNG."""

from __future__ import annotations

import datetime as dt
import json
import random
import time

from server.accounts import Account
from server.context import Sandbox
from server.demo.names import ascii_slug, person_name
from server.demo.world import DemoPatient, DemoPerson, DemoWorld
from server.documents.pdf import PdfDocument, make_pdf
from server.regional import access_log
from server.regional.common import PARIS, now
from server.regional.models import (
    AccessAction,
    DelegateAdd,
    ExpertProfileUpdate,
    FollowReasonCode,
    ResourceTeamCreate,
    TeleexpertiseCreate,
)
from server.regional.patients import NewMember, NewPatient
from server.regional.teams import TemplateFile
from server.regional.teleconsultations import PersonIn
from server.regional.validation import INS_NIR_TEST_OID, nir_key

PATIENT_COUNT = 200
FILE_ACTIVE_COUNT = 60
DAY = 86_400

# Why each demo account follows the patients it follows.
REASONS_BY_ACCOUNT: dict[str, FollowReasonCode] = {
    "cardio": "avis",
    "dermato": "avis",
    "pharma": "soins_coordonnes",
    "nurse": "soins_coordonnes",
}
# The GP's reasons, most often the care she gives.
GP_REASONS: tuple[tuple[FollowReasonCode, int], ...] = (
    ("prise_en_charge", 14),
    ("soins_coordonnes", 3),
    ("remplacement", 1),
    ("urgence", 1),
    ("avis", 1),
)

# Communes around Lyon, with their département and INSEE commune number (for the NIR's place).
COMMUNES = (
    ("Lyon", "69", "123"),
    ("Villeurbanne", "69", "266"),
    ("Vénissieux", "69", "259"),
    ("Caluire-et-Cuire", "69", "034"),
    ("Bron", "69", "029"),
    ("Vaulx-en-Velin", "69", "256"),
    ("Saint-Priest", "69", "290"),
    ("Oullins", "69", "149"),
    ("Écully", "69", "081"),
    ("Tassin-la-Demi-Lune", "69", "244"),
    ("Décines-Charpieu", "69", "275"),
    ("Meyzieu", "69", "282"),
    ("Rillieux-la-Pape", "69", "286"),
    ("Sainte-Foy-lès-Lyon", "69", "202"),
    ("Givors", "69", "091"),
    ("Vienne", "38", "544"),
    ("Villefranche-sur-Saône", "69", "264"),
)


def seed_regional(sandbox: Sandbox, world: DemoWorld, rng: random.Random) -> None:
    # Usual names and the access journals draw from their own PRNG, so that the patients, care
    # teams and the rest stay what they were before those existed.
    side = random.Random(f"{world.seed}-need-to-know")
    patients = _seed_patients(sandbox, world, rng, side)
    gp = _account(sandbox, world, "gp")
    _seed_file_active(sandbox, world, rng, side, gp, patients[:FILE_ACTIVE_COUNT])
    _seed_expert(sandbox, world)
    _seed_delegation(sandbox, world, gp)
    _seed_teleconsultations(sandbox, world, rng, gp, patients)
    _seed_teleexpertise(sandbox, world, gp, patients)
    _seed_resource_team(sandbox, world)


def _account(sandbox: Sandbox, world: DemoWorld, key: str) -> Account:
    account = sandbox.accounts.by_id(world.account(key).account_id)
    if account is None:
        raise RuntimeError(f"demo account {key} missing")
    return account


def _seed_patients(
    sandbox: Sandbox, world: DemoWorld, rng: random.Random, side: random.Random
) -> list[DemoPatient]:
    store = sandbox.regional.patients
    seen: set[str] = set()
    out: list[DemoPatient] = []
    with sandbox.db.write() as conn:
        while len(out) < PATIENT_COUNT:
            sex, given, family = person_name(rng)
            birth = dt.date(1932, 1, 1) + dt.timedelta(days=rng.randrange(0, 90 * 365))
            city, dept, commune = rng.choice(COMMUNES)
            order = rng.randrange(1, 999)
            nir = f"{1 if sex == 'male' else 2}{birth:%y}{birth:%m}{dept}{commune}{order:03d}"
            ins = f"{nir}{nir_key(nir):02d}"
            if ins in seen:
                continue
            seen.add(ins)
            email = (
                f"{ascii_slug(given)}.{ascii_slug(family)}{rng.randrange(10, 99)}@patient.example"
                if rng.random() < 0.45
                else None
            )
            mobile = (
                f"+33{rng.choice('67')}{rng.randrange(10**7, 10**8)}"
                if rng.random() < 0.6
                else None
            )
            new = NewPatient(
                given=given,
                family=family,
                birth_date=birth.isoformat(),
                sex=sex,
                ins=ins,
                ins_oid=INS_NIR_TEST_OID,
                email=email,
                mobile=mobile,
                city=city,
                usual_family=_usual_family(side, sex, birth),
            )
            patient_id = store.insert(conn, new, created_by=None)
            out.append(
                DemoPatient(
                    patient_id=patient_id,
                    ins=ins,
                    ins_oid=INS_NIR_TEST_OID,
                    given=given,
                    family=family,
                    birth_date=new.birth_date,
                    sex=sex,
                    email=email,
                    mobile=mobile,
                    city=city,
                )
            )
    world.patients.extend(out)
    return out


def _member(person: DemoPerson, account_id: str | None = None) -> NewMember:
    return NewMember(
        name=person.display_name,
        email=person.email,
        practitioner_id=person.practitioner_id,
        account_id=account_id,
        profession_code=person.profession_code or None,
        specialty_code=person.specialty_code,
    )


def _account_member(world: DemoWorld, key: str) -> NewMember:
    demo = world.account(key)
    if demo.person is not None:
        return _member(demo.person, demo.account_id)
    spec = demo.spec
    return NewMember(
        name=f"{spec.prefix} {spec.given} {spec.family}",
        email=demo.email,
        account_id=demo.account_id,
        profession_code=spec.profession_code or None,
        specialty_code=spec.specialty_code,
    )


def _usual_family(side: random.Random, sex: str, birth: dt.date) -> str | None:
    """A married name for some women of the older generations, as many still use one."""
    if sex != "female" or birth.year > 1990 or side.random() >= 0.3:
        return None
    return person_name(side)[2]


def _office_hours(side: random.Random, epoch: int) -> int:
    """The same day, at a time a practice is open (8:00 to 19:00, Paris time)."""
    day = dt.datetime.fromtimestamp(epoch, PARIS)
    return int(day.replace(hour=side.randint(8, 18), minute=side.randrange(60)).timestamp())


def _seed_file_active(
    sandbox: Sandbox,
    world: DemoWorld,
    rng: random.Random,
    side: random.Random,
    gp: Account,
    patients: list[DemoPatient],
) -> None:
    """The GP follows her patients; the colleagues in their care teams follow them too; each
    follow has its reason and, in the patient's journal, its date and some reads since."""
    store = sandbox.regional.patients
    keys = ("cardio", "dermato", "pharma", "nurse")
    colleagues = [_account_member(world, k) for k in keys]
    pool = colleagues + [_member(p) for p in world.correspondents[:200]]
    key_of = {world.account(k).account_id: k for k in keys}
    reasons, weights = zip(*GP_REASONS, strict=True)
    today = now()
    followed: set[tuple[str, str]] = set()
    with sandbox.db.write() as conn:

        def follow(account_id: str, patient_id: str, reason: FollowReasonCode, at: int) -> None:
            if (account_id, patient_id) in followed:
                return
            followed.add((account_id, patient_id))
            at = _office_hours(side, at)
            store.add_to_file_active(conn, account_id, patient_id, reason, at=at)
            for _ in range(side.randint(0, 3)):
                action: AccessAction = side.choice(("read", "care_team", "care_team"))
                when = _office_hours(side, side.randint(at + DAY, today - DAY))
                access_log.record(conn, account_id, patient_id, action, at=when)

        for patient in patients:
            since = today - side.randint(30, 1500) * DAY
            follow(gp.id, patient.patient_id, side.choices(reasons, weights)[0], since)
            store.add_member(conn, patient.patient_id, _account_member(world, "gp"))
            for member in rng.sample(pool, rng.randint(1, 4)):
                store.add_member(conn, patient.patient_id, member)
                if member.account_id in key_of:
                    reason = REASONS_BY_ACCOUNT[key_of[member.account_id]]
                    at = side.randint(since, today - 3 * DAY)
                    follow(member.account_id, patient.patient_id, reason, at)
        # The pharmacist and the nurse follow a few of the GP's patients too.
        for key in ("pharma", "nurse"):
            for patient in rng.sample(patients, 8):
                at = today - side.randint(3, 400) * DAY
                account_id = world.account(key).account_id
                follow(account_id, patient.patient_id, REASONS_BY_ACCOUNT[key], at)
                store.add_member(conn, patient.patient_id, _account_member(world, key))


def _seed_expert(sandbox: Sandbox, world: DemoWorld) -> None:
    for key, demo in world.accounts.items():
        if not demo.spec.is_expert:
            continue
        account = _account(sandbox, world, key)
        sandbox.regional.expertise.declare(
            account,
            ExpertProfileUpdate(
                activity_description=(
                    "Avis dermatologique sur photographies : lésions pigmentées, suspicion de "
                    "carcinome, dermatoses inflammatoires, plaies chroniques. Réponse sous 7 jours."
                ),
                prerequisite_documents=[
                    "Photographies nettes de la lésion (vue d'ensemble et gros plan)",
                    "Antécédents et traitements en cours",
                    "Ancienneté et évolution de la lésion",
                ],
                listed_in_directory=True,
            ),
            practitioner_id=demo.person.practitioner_id if demo.person else None,
        )


def _seed_delegation(sandbox: Sandbox, world: DemoWorld, gp: Account) -> None:
    """The practice's secretary plans the GP's teleconsultations (some of the seeded ones are
    hers): signed in as her, the planning form offers "au nom de" the GP."""
    secretary = _account(sandbox, world, "secretary")
    sandbox.regional.delegations.add(gp, DelegateAdd(address=secretary.email))


def _seed_teleconsultations(
    sandbox: Sandbox,
    world: DemoWorld,
    rng: random.Random,
    gp: Account,
    patients: list[DemoPatient],
) -> None:
    """Inserted directly: planning refuses dates in the past, and the demo needs some."""
    store = sandbox.regional.teleconsultations
    secretary = _account(sandbox, world, "secretary")
    nurse = _account(sandbox, world, "nurse")
    today = dt.datetime.now(PARIS).replace(minute=0, second=0, microsecond=0)
    motives = (
        "Suivi de tension artérielle",
        "Renouvellement d'ordonnance",
        "Résultats de biologie",
        "Suivi diabète",
        "Contrôle après traitement",
        "Douleurs lombaires",
    )
    offsets = [-9, -4, -2, 0, 1, 1, 2, 3, 5, 7, 9, 12, 15, 21]
    reachable = [p for p in patients[:FILE_ACTIVE_COUNT] if p.email or p.mobile]
    base_url = "http://127.0.0.1"  # join links are rebuilt from each request's own base URL
    taken: list[tuple[dt.datetime, dt.datetime]] = []
    with sandbox.db.write() as conn:
        for n, days in enumerate(offsets):
            hour = rng.choice((9, 10, 11, 14, 15, 16, 17))
            start = today.replace(hour=hour) + dt.timedelta(
                days=days, minutes=rng.choice((0, 20, 40))
            )
            if days == 0:
                start = today + dt.timedelta(hours=2)
            while any(start < e and s < start + dt.timedelta(minutes=20) for s, e in taken):
                start += dt.timedelta(hours=1)  # one at a time, as planning requires
            taken.append((start, start + dt.timedelta(minutes=20)))
            patient = reachable[n % len(reachable)]
            channels = [c for c, v in (("email", patient.email), ("sms", patient.mobile)) if v]
            tc_id = f"tc{rng.getrandbits(64):016x}"
            planner = secretary if n % 3 == 0 else gp
            begin = int(start.timestamp())
            cancelled = n == 6
            conn.execute(
                "INSERT INTO regional_teleconsultations (id, teleconsultant_account_id, "
                "planner_account_id, start, end, motive, channels, payment_cents, status, "
                "cancel_reason, created_at, paid_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    tc_id,
                    gp.id,
                    planner.id,
                    begin,
                    begin + 20 * 60,
                    motives[n % len(motives)],
                    json.dumps(channels),
                    2500 if n % 4 == 1 else None,
                    "cancelled" if cancelled else "planned",
                    "Patiente hospitalisée entre-temps" if cancelled else None,
                    begin - 6 * 86400,
                    begin - 5 * 86400 if n in (1, 9) else None,  # paid; the others pending
                ),
            )
            people = [
                (
                    "teleconsultant",
                    PersonIn(name=gp.display_name, account_id=gp.id, email=gp.email),
                ),
                (
                    "patient",
                    PersonIn(
                        name=f"{patient.given} {patient.family}",
                        patient_id=patient.patient_id,
                        email=patient.email,
                        mobile=patient.mobile,
                    ),
                ),
            ]
            if n % 5 == 2:
                people.append(
                    (
                        "participant",
                        PersonIn(name=nurse.display_name, account_id=nurse.id, email=nurse.email),
                    )
                )
            if n % 7 == 3:
                people.append(("participant", PersonIn(name="Fille de la patiente (aidante)")))
            for position, (role, person) in enumerate(people):
                store.insert_participant(conn, tc_id, position, role, person)
            store.record_invitations(conn, tc_id, base_url, "invitation")
            if cancelled:
                store.record_invitations(conn, tc_id, base_url, "cancellation")


def _seed_teleexpertise(
    sandbox: Sandbox, world: DemoWorld, gp: Account, patients: list[DemoPatient]
) -> None:
    dermato = _account(sandbox, world, "dermato")
    expertise = sandbox.regional.expertise
    patient = patients[4]
    asked = int(time.time()) - 3 * 86400
    request = expertise.request(
        gp,
        TeleexpertiseCreate(
            expert_address=dermato.email,
            patient_id=patient.patient_id,
            question=(
                "Lésion pigmentée du dos, 8 mm, bords irréguliers, apparue il y a six mois et qui "
                "s'est étendue. Pas d'antécédent personnel de mélanome. Faut-il une exérèse "
                "rapide ou une surveillance dermoscopique suffit-elle ?"
            ),
        ),
        at=asked,
    )
    expertise.answer(
        dermato,
        request.id,
        "Aspect asymétrique avec deux couleurs sur les photographies : je recommande une exérèse "
        "complète avec marges de 2 mm et analyse histologique. Je peux recevoir la patiente "
        "en consultation sous quinze jours si besoin.",
        at=asked + 2 * 86400,
    )
    # A second one, still waiting for the expert.
    expertise.request(
        gp,
        TeleexpertiseCreate(
            expert_address=dermato.email,
            patient_id=patients[11].patient_id,
            question="Plaque érythémato-squameuse du coude résistante aux dermocorticoïdes "
            "depuis deux mois : psoriasis ou autre diagnostic ? Photographies à suivre.",
        ),
        at=int(time.time()) - 6 * 3600,
    )


def _seed_resource_team(sandbox: Sandbox, world: DemoWorld) -> None:
    cardio = _account(sandbox, world, "cardio")
    teams = sandbox.regional.teams
    body = ResourceTeamCreate(
        name="Équipe ressource insuffisance cardiaque — CHU de Lyon",
        activity_description=(
            "Avis et orientation des patients insuffisants cardiaques : titration des "
            "traitements, éducation thérapeutique, télésurveillance, hospitalisation programmée."
        ),
        prerequisites="Dernier ECG, dernière échographie cardiaque, NT-proBNP de moins d'un mois.",
        contact_address=cardio.email,
    )
    template = make_pdf(
        PdfDocument(
            title="Fiche de demande d'avis — insuffisance cardiaque",
            organisation="CHU de Lyon — Hôpital cardiologique Est",
            paragraphs=(
                "Patient : nom, prénom, date de naissance, INS.",
                "Motif de la demande : ...",
                "Traitements en cours et doses : ...",
                "Derniers examens (ECG, échographie, NT-proBNP) : ...",
            ),
            signature="Équipe ressource insuffisance cardiaque",
        )
    )
    with sandbox.db.write() as conn:
        team_id = "rt-demo-ic"
        teams.insert(conn, team_id, cardio.id, body.name, body, body.contact_address)
        teams.insert_template(
            conn,
            cardio.id,
            team_id,
            TemplateFile("Fiche de demande d'avis IC.pdf", "application/pdf", template),
        )
