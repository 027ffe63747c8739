"""The regional patient directory, my file active and each patient's care team, need-to-know
(issue 9 §8).

A professional finds a patient by name and birth date together, or by INS, never by browsing:
the family name — birth name or usual name — must be given whole (case, accents, spaces and
hyphens aside) with the exact birth date, a first name may narrow it (by its beginning), at most
20 patients come back, and each account gets a few searches a minute. What anyone sees of a
patient is the identity that matching needs (names, birth date, sex, INS); contact details
(e-mail, mobile, commune) and the care team are for the professionals who follow the patient,
and following takes a reason. Every access goes to the patient's access journal (access_log.py).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from server.accounts import Account
from server.directory.codes import PROFESSIONS, SPECIALTIES
from server.regional import access_log
from server.regional.access_log import AccessJournal, checked_reason
from server.regional.common import PARIS, new_id, now
from server.regional.errors import (
    RegionalError,
    bad_request,
    conflict,
    forbidden,
    not_found,
    too_many,
)
from server.regional.models import (
    AccessLog,
    CareTeam,
    CareTeamMember,
    FollowReasonCode,
    Patient,
    PatientCreate,
    PatientMatches,
)
from server.regional.rate_limit import SlidingWindow
from server.regional.validation import (
    INS_NIR_TEST_OID,
    fold,
    ihe_patient_id,
    is_email,
    like_prefix,
    name_key,
    normalize_ins,
    normalize_mobile,
)

if TYPE_CHECKING:
    from server.context import Sandbox

SEARCH_LIMIT = 20
UNKNOWN_PATIENT = "Ce patient n'existe pas dans l'annuaire régional."
TOO_BROAD = (
    "Recherche trop large : indiquez le nom de naissance ou d'usage du patient avec sa date de "
    "naissance, ou son INS."
)


@dataclass(frozen=True)
class NewPatient:
    given: str
    family: str
    birth_date: str
    sex: str
    ins: str | None = None
    ins_oid: str | None = None
    email: str | None = None
    mobile: str | None = None
    city: str = ""
    usual_family: str | None = None


@dataclass(frozen=True)
class NewMember:
    name: str
    email: str | None
    practitioner_id: str | None = None
    account_id: str | None = None
    profession_code: str | None = None
    specialty_code: str | None = None


class Patients:
    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox
        self.journal = AccessJournal(sandbox)
        config = sandbox.config
        self._searches = SlidingWindow(config.patient_search_limit, config.patient_search_window)

    # --- reading ---------------------------------------------------------------------------------

    def search(
        self,
        account: Account,
        family: str | None,
        birth_date: str | None,
        ins: str | None,
        given: str | None = None,
    ) -> PatientMatches:
        """Family name + birth date (+ the beginning of the first name), or INS: identities only,
        20 at most, each shown patient's journal told."""
        wait = self._searches.hit(account.id)
        if wait is not None:
            raise too_many(
                "Trop de recherches dans l'annuaire patient en peu de temps : réessayez dans "
                f"{wait} secondes.",
                wait,
            )
        where, params = _criteria(family, birth_date, ins, given)
        with self._sandbox.db.write() as conn:
            rows = conn.execute(
                f"SELECT * FROM regional_patients WHERE {' AND '.join(where)} "
                "ORDER BY folded_name, birth_date, id LIMIT ?",
                (*params, SEARCH_LIMIT + 1),
            ).fetchall()
            shown = rows[:SEARCH_LIMIT]
            followed = self._followed(conn, account.id)
            for row in shown:
                access_log.record(conn, account.id, row["id"], "search")
        return PatientMatches(
            patients=[patient_model(r, r["id"] in followed, contacts=False) for r in shown],
            truncated=len(rows) > SEARCH_LIMIT,
        )

    def get(self, account: Account, patient_id: str) -> Patient:
        """The record: the identity for anyone, the contact details for a follower."""
        with self._sandbox.db.write() as conn:
            row = self._row(conn, patient_id)
            followed = self._is_followed(conn, account.id, patient_id)
            access_log.record(conn, account.id, patient_id, "read")
        return patient_model(row, followed, contacts=followed)

    def portal_file(self, account: Account, ins: str) -> tuple[Patient, CareTeam]:
        """The patient's file page of the portal (record and care team), journaled once; a
        patient I do not follow is answered as an unknown INS: the page tells outsiders nothing."""
        with self._sandbox.db.write() as conn:
            row = conn.execute(
                "SELECT * FROM regional_patients WHERE ins = ?", (ins.upper(),)
            ).fetchone()
            if row is None or not self._is_followed(conn, account.id, row["id"]):
                raise not_found(
                    "Aucun patient de votre file active n'a cet INS. Ajoutez le patient à votre "
                    "file active depuis MonSisra (Mes patients) pour ouvrir son dossier."
                )
            access_log.record(conn, account.id, row["id"], "portal")
            team = self._team(conn, row["id"])
        return patient_model(row, True, contacts=True), team

    def file_active(self, account: Account) -> list[Patient]:
        with self._sandbox.db.read() as conn:
            rows = conn.execute(
                "SELECT p.* FROM regional_file_active f "
                "JOIN regional_patients p ON p.id = f.patient_id "
                "WHERE f.account_id = ? ORDER BY p.folded_name, p.birth_date",
                (account.id,),
            ).fetchall()
        return [patient_model(r, True, contacts=True) for r in rows]

    def care_team(self, account: Account, patient_id: str) -> CareTeam:
        """The "acteurs du dossier", for the professionals who follow the patient."""
        with self._sandbox.db.write() as conn:
            self._row(conn, patient_id)
            if not self._is_followed(conn, account.id, patient_id):
                raise forbidden(
                    "Ajoutez ce patient à votre file active pour voir les acteurs de son dossier."
                )
            access_log.record(conn, account.id, patient_id, "care_team")
            return self._team(conn, patient_id)

    def _team(self, conn: sqlite3.Connection, patient_id: str) -> CareTeam:
        rows = conn.execute(
            "SELECT * FROM regional_care_team WHERE patient_id = ? ORDER BY position",
            (patient_id,),
        ).fetchall()
        # A member added before the directory knew their address is completed on the way out.
        members = [self._completed(member_of(r)) for r in rows]
        return CareTeam(patient_id=patient_id, members=[member_model(m) for m in members])

    def access_log(
        self, account: Account, patient_id: str, cursor: str | None, limit: int
    ) -> AccessLog:
        """The patient's journal, for the care team; the same 404 as an unknown patient for
        anyone else."""
        with self._sandbox.db.read() as conn:
            if not self._is_followed(conn, account.id, patient_id):
                raise not_found(UNKNOWN_PATIENT)
            return self.journal.page(conn, patient_id, cursor, limit)

    def _completed(self, member: NewMember) -> NewMember:
        """Fills practitioner id, profession and specialty from the directory, by address.

        A member known by address only (a follower's account, a free-text correspondent) gets
        what the directory says about that address; what the caller gave is kept.
        """
        if not member.email or (
            member.practitioner_id and member.profession_code and member.specialty_code
        ):
            return member
        entry = self._sandbox.directory.lookup_email(member.email)
        if entry is None or entry.practitioner_id is None:
            return member
        if member.practitioner_id and member.practitioner_id != entry.practitioner_id:
            return member  # the caller named someone else: do not mix two people
        return replace(
            member,
            practitioner_id=entry.practitioner_id,
            profession_code=member.profession_code or entry.profession_code,
            specialty_code=member.specialty_code or entry.specialty_code,
        )

    # --- writing ---------------------------------------------------------------------------------

    def create(self, account: Account, body: PatientCreate) -> Patient:
        """Creates the patient's record; its creator follows the patient, for a reason."""
        birth = body.birth_date
        if birth > dt.datetime.now(PARIS).date():
            raise bad_request("La date de naissance ne peut pas être dans le futur.")
        if birth.year < 1900:
            raise bad_request("La date de naissance doit être postérieure à 1900.")
        ins: str | None = None
        if body.ins is not None and body.ins.strip():
            ins = normalize_ins(body.ins)
            if ins is None:
                raise bad_request(
                    "INS invalide : il faut 13 caractères de NIR suivis de sa clé de 2 chiffres.",
                    "invalid_ins",
                )
        email = clean_email(body.email, "L'adresse e-mail du patient est invalide.")
        mobile = clean_mobile(body.mobile)
        if not body.given.strip() or not body.family.strip():
            raise bad_request("Le prénom et le nom du patient sont obligatoires.")
        new = NewPatient(
            given=body.given.strip(),
            family=body.family.strip(),
            birth_date=birth.isoformat(),
            sex=body.sex,
            ins=ins,
            # A patient created in the sandbox is synthetic: its INS goes under the test OID.
            ins_oid=(body.ins_oid or INS_NIR_TEST_OID) if ins else None,
            email=email,
            mobile=mobile,
            city=body.city.strip(),
            usual_family=(body.usual_family or "").strip() or None,
        )
        reason = checked_reason(body.follow_reason)
        with self._sandbox.db.write() as conn:
            if (
                ins
                and conn.execute("SELECT 1 FROM regional_patients WHERE ins = ?", (ins,)).fetchone()
            ):
                raise conflict("patient_exists", "Un dossier patient existe déjà avec cet INS.")
            patient_id = self.insert(conn, new, created_by=account.id)
            access_log.record(conn, account.id, patient_id, "create", reason)
            self._follow(conn, account, patient_id, reason)
            row = self._row(conn, patient_id)
        return patient_model(row, True, contacts=True)

    def follow(self, account: Account, patient_id: str, reason: str | None) -> Patient:
        """Adds the patient to my file active for `reason`: who, when and why go to the
        patient's journal (again with a new reason when I already follow them)."""
        code = checked_reason(reason)
        with self._sandbox.db.write() as conn:
            row = self._row(conn, patient_id)
            self._follow(conn, account, patient_id, code)
        return patient_model(row, True, contacts=True)

    def unfollow(self, account: Account, patient_id: str) -> None:
        with self._sandbox.db.write() as conn:
            self._row(conn, patient_id)
            deleted = conn.execute(
                "DELETE FROM regional_file_active WHERE account_id = ? AND patient_id = ?",
                (account.id, patient_id),
            ).rowcount
            if deleted:
                access_log.record(conn, account.id, patient_id, "unfollow")
        if not deleted:
            raise not_found("Ce patient n'est pas dans votre file active.")

    def insert(self, conn: sqlite3.Connection, new: NewPatient, created_by: str | None) -> str:
        patient_id = new_id("p")
        conn.execute(
            "INSERT INTO regional_patients (id, ins, ins_oid, given, family, folded_name, "
            "usual_family, family_key, usual_key, given_key, "
            "birth_date, sex, email, mobile, city, created_by, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                patient_id,
                new.ins,
                new.ins_oid,
                new.given,
                new.family,
                fold(f"{new.family} {new.given}"),
                new.usual_family,
                name_key(new.family),
                name_key(new.usual_family) if new.usual_family else None,
                name_key(new.given),
                new.birth_date,
                new.sex,
                new.email,
                new.mobile,
                new.city,
                created_by,
                now(),
            ),
        )
        return patient_id

    def add_member(self, conn: sqlite3.Connection, patient_id: str, member: NewMember) -> None:
        """Adds a professional to the care team, once (by address, else by name)."""
        member = self._completed(member)
        rows = conn.execute(
            "SELECT position, email, name FROM regional_care_team WHERE patient_id = ?",
            (patient_id,),
        ).fetchall()
        for r in rows:
            same_email = member.email and (r["email"] or "").lower() == member.email.lower()
            if same_email or (not member.email and r["name"] == member.name):
                return
        conn.execute(
            "INSERT INTO regional_care_team (patient_id, position, account_id, practitioner_id, "
            "name, profession_code, specialty_code, email) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                patient_id,
                len(rows),
                member.account_id,
                member.practitioner_id,
                member.name,
                member.profession_code,
                member.specialty_code,
                member.email,
            ),
        )

    def add_to_file_active(
        self,
        conn: sqlite3.Connection,
        account_id: str,
        patient_id: str,
        reason: FollowReasonCode,
        at: int | None = None,
    ) -> None:
        """Who follows, since when and why: in the file active and in the patient's journal."""
        when = now() if at is None else at
        conn.execute(
            "INSERT INTO regional_file_active (account_id, patient_id, added_at, reason) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (account_id, patient_id) DO UPDATE SET "
            "reason = excluded.reason",
            (account_id, patient_id, when, reason),
        )
        access_log.record(conn, account_id, patient_id, "follow", reason, at=when)

    def _follow(
        self,
        conn: sqlite3.Connection,
        account: Account,
        patient_id: str,
        reason: FollowReasonCode,
    ) -> None:
        """Following a patient makes me one of the "acteurs du dossier"."""
        self.add_to_file_active(conn, account.id, patient_id, reason)
        self.add_member(
            conn,
            patient_id,
            NewMember(
                name=account.display_name,
                email=account.email,
                practitioner_id=account.practitioner_id,
                account_id=account.id,
            ),
        )

    def row(self, conn: sqlite3.Connection, patient_id: str) -> sqlite3.Row:
        return self._row(conn, patient_id)

    @staticmethod
    def _row(conn: sqlite3.Connection, patient_id: str) -> sqlite3.Row:
        row: sqlite3.Row | None = conn.execute(
            "SELECT * FROM regional_patients WHERE id = ?", (patient_id,)
        ).fetchone()
        if row is None:
            raise not_found(UNKNOWN_PATIENT)
        return row

    @staticmethod
    def _followed(conn: sqlite3.Connection, account_id: str) -> set[str]:
        rows = conn.execute(
            "SELECT patient_id FROM regional_file_active WHERE account_id = ?", (account_id,)
        ).fetchall()
        return {r[0] for r in rows}

    @staticmethod
    def _is_followed(conn: sqlite3.Connection, account_id: str, patient_id: str) -> bool:
        return (
            conn.execute(
                "SELECT 1 FROM regional_file_active WHERE account_id = ? AND patient_id = ?",
                (account_id, patient_id),
            ).fetchone()
            is not None
        )


def patient_model(row: sqlite3.Row, followed: bool, *, contacts: bool) -> Patient:
    """The patient as the caller may see them: the identity always, the contact details only
    with `contacts` (a follower reading the record)."""
    ins, oid = row["ins"], row["ins_oid"]
    return Patient(
        id=row["id"],
        ins=ins,
        ins_oid=oid,
        ins_ihe=ihe_patient_id(ins, oid) if ins and oid else None,
        given=row["given"],
        family=row["family"],
        usual_family=row["usual_family"],
        birth_date=dt.date.fromisoformat(row["birth_date"]),
        sex=row["sex"],
        email=row["email"] if contacts else None,
        mobile=row["mobile"] if contacts else None,
        city=row["city"] if contacts else "",
        in_file_active=followed,
    )


def _criteria(
    family: str | None, birth_date: str | None, ins: str | None, given: str | None
) -> tuple[list[str], list[str]]:
    """The WHERE clauses of a search, or a 400 when they would not single a patient out."""
    where: list[str] = []
    params: list[str] = []
    if ins is not None and ins.strip():
        normalized = normalize_ins(ins.split("^", 1)[0])  # the IHE form's INS as well
        if normalized is None:
            raise bad_request(
                "INS invalide : il faut 13 caractères de NIR suivis de sa clé de 2 chiffres.",
                "invalid_ins",
            )
        where.append("ins = ?")
        params.append(normalized)
    family_key = name_key(family or "")
    born = parse_date(birth_date, "birthDate") if birth_date and birth_date.strip() else None
    if not where and not (family_key and born):
        raise bad_request(TOO_BROAD, "search_too_broad")
    if family_key:
        where.append("(family_key = ? OR usual_key = ?)")
        params += [family_key, family_key]
    if born is not None:
        where.append("birth_date = ?")
        params.append(born.isoformat())
    given_key = name_key(given or "")
    if given_key:
        where.append("given_key LIKE ? ESCAPE '\\'")
        params.append(like_prefix(given_key))
    return where, params


def member_of(row: sqlite3.Row) -> NewMember:
    return NewMember(
        name=row["name"],
        email=row["email"],
        practitioner_id=row["practitioner_id"] or None,
        account_id=row["account_id"],
        profession_code=row["profession_code"] or None,
        specialty_code=row["specialty_code"] or None,
    )


def member_model(member: NewMember) -> CareTeamMember:
    profession, specialty = member.profession_code, member.specialty_code
    return CareTeamMember(
        practitioner_id=member.practitioner_id,
        name=member.name,
        profession=PROFESSIONS.get(profession) if profession else None,
        profession_code=profession,
        specialty=SPECIALTIES.get(specialty) if specialty else None,
        specialty_code=specialty,
        mssante_address=member.email,
    )


def parse_date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise bad_request(
            f"Le paramètre {field} doit être une date au format AAAA-MM-JJ."
        ) from None


def clean_email(value: str | None, message: str) -> str | None:
    if value is None or not value.strip():
        return None
    if not is_email(value.strip()):
        raise bad_request(message, "invalid_email")
    return value.strip()


def clean_mobile(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    mobile = normalize_mobile(value)
    if mobile is None:
        raise RegionalError(
            400,
            "invalid_mobile",
            "Numéro de mobile invalide : saisissez un mobile français (06…, 07… ou +33…).",
        )
    return mobile
