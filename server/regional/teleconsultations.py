"""Teleconsultations: planning (possibly by a secretary on behalf of a professional who delegated
it to them: server/regional/delegations.py), the invitations sent to the patient and participants,
a join link per participant, cancellation."""

from __future__ import annotations

import datetime as dt
import json
import secrets
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from server.accounts import Account
from server.regional import invitations
from server.regional.common import PARIS, new_id, now, to_datetime
from server.regional.delegations import delegated, not_delegated
from server.regional.errors import bad_request, conflict, forbidden, not_found
from server.regional.models import (
    Invitation,
    Participant,
    ParticipantIn,
    ParticipantRole,
    Payment,
    PaymentStatus,
    Teleconsultation,
    TeleconsultationCreate,
    TeleconsultationStatus,
    TeleconsultationUpdate,
)
from server.regional.patients import clean_email, clean_mobile, parse_date
from server.regional.schedule import require_free

if TYPE_CHECKING:
    from server.context import Sandbox

DEFAULT_MINUTES = 20
MAX_MINUTES = 480
MAX_AHEAD_DAYS = 730
_ROLES_THAT_MANAGE = ("teleconsultant", "planner")


@dataclass(frozen=True)
class PersonIn:
    name: str
    account_id: str | None = None
    practitioner_id: str | None = None
    patient_id: str | None = None
    email: str | None = None
    mobile: str | None = None


@dataclass(frozen=True)
class JoinInfo:
    """What the public join page shows: no more than the invitation itself said."""

    teleconsultation_id: str
    name: str
    role: str
    teleconsultant: str
    start: dt.datetime
    end: dt.datetime
    status: str
    # The online payment asked of the patient (cents), None when none is asked of this reader.
    payment_due: int | None = None


class Teleconsultations:
    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox

    # --- planning --------------------------------------------------------------------------------

    def plan(
        self, caller: Account, body: TeleconsultationCreate, base_url: str
    ) -> Teleconsultation:
        teleconsultant = self._teleconsultant(caller, body)
        start, end = _times(body.start, body.duration_minutes, body.end)
        with self._sandbox.db.read() as conn:
            if not delegated(conn, teleconsultant.id, caller.id):
                raise not_delegated(teleconsultant.display_name)
            patient = self._patient(conn, body, {caller.id, teleconsultant.id})
        _check_contact(body.channels, patient.email, patient.mobile)
        others = [self._participant(p) for p in body.participants]
        payment = _cents(body.online_payment)
        tc_id = new_id("tc")
        with self._sandbox.db.write() as conn:
            # Asked again where it counts: a delegation withdrawn since the check above holds.
            if not delegated(conn, teleconsultant.id, caller.id):
                raise not_delegated(teleconsultant.display_name)
            require_free(
                conn,
                teleconsultant.id,
                start,
                end,
                lead_name=teleconsultant.display_name,
                by_lead=caller.id == teleconsultant.id,
            )
            conn.execute(
                "INSERT INTO regional_teleconsultations (id, teleconsultant_account_id, "
                "planner_account_id, start, end, motive, channels, payment_cents, status, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'planned', ?)",
                (
                    tc_id,
                    teleconsultant.id,
                    caller.id,
                    start,
                    end,
                    body.motive.strip(),
                    json.dumps(list(dict.fromkeys(body.channels))),
                    payment,
                    now(),
                ),
            )
            people = [
                ("teleconsultant", _account_person(teleconsultant)),
                ("patient", patient),
                *(("participant", p) for p in others),
            ]
            for position, (role, person) in enumerate(people):
                self.insert_participant(conn, tc_id, position, role, person)
            self.record_invitations(conn, tc_id, base_url, "invitation")
        return self.get(caller, tc_id, base_url)

    def insert_participant(
        self,
        conn: sqlite3.Connection,
        tc_id: str,
        position: int,
        role: str,
        person: PersonIn,
        token: str | None = None,
    ) -> None:
        conn.execute(
            "INSERT INTO regional_tc_participants (teleconsultation_id, position, role, "
            "account_id, practitioner_id, patient_id, name, email, mobile, join_token) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                tc_id,
                position,
                role,
                person.account_id,
                person.practitioner_id,
                person.patient_id,
                person.name,
                person.email,
                person.mobile,
                token or secrets.token_urlsafe(18),
            ),
        )

    def edit(
        self, caller: Account, tc_id: str, body: TeleconsultationUpdate, base_url: str
    ) -> Teleconsultation:
        """Changes what was given; everyone invited is told again (the same iCalendar UID with
        the next SEQUENCE), and participants taken off are told it is cancelled for them."""
        given = body.model_fields_set
        others = [self._participant(p) for p in body.participants or []]
        with self._sandbox.db.write() as conn:
            row = self._row_for(conn, caller, tc_id)
            self.require_manager(conn, caller, row)
            _require_changeable(row, "modifiée")
            duration = body.duration_minutes
            if duration is None and body.end is None:
                duration = (row["end"] - row["start"]) // 60
            moved = bool(given & {"start", "duration_minutes", "end"})
            start, end = (
                _times(body.start or to_datetime(row["start"]), duration, body.end)
                if moved
                else (row["start"], row["end"])
            )
            if moved:
                lead = self._sandbox.accounts.by_id(row["teleconsultant_account_id"])
                require_free(
                    conn,
                    row["teleconsultant_account_id"],
                    start,
                    end,
                    lead_name=lead.display_name if lead else "Le téléconsultant",
                    by_lead=caller.id == row["teleconsultant_account_id"],
                    moving=tc_id,
                )
            patient = conn.execute(
                "SELECT * FROM regional_tc_participants WHERE teleconsultation_id = ? "
                "AND role = 'patient'",
                (tc_id,),
            ).fetchone()
            email, mobile = patient["email"], patient["mobile"]
            if "patient_email" in given:
                email = clean_email(body.patient_email, "L'adresse e-mail du patient est invalide.")
            if "patient_mobile" in given:
                mobile = clean_mobile(body.patient_mobile)
            channels = body.channels or json.loads(row["channels"])
            _check_contact(channels, email, mobile)
            payment = row["payment_cents"]
            if "online_payment" in given:
                payment = _cents(body.online_payment)
            conn.execute(
                "UPDATE regional_teleconsultations SET start = ?, end = ?, motive = ?, "
                "channels = ?, payment_cents = ?, sequence = sequence + 1 WHERE id = ?",
                (
                    start,
                    end,
                    row["motive"] if body.motive is None else body.motive.strip(),
                    json.dumps(list(dict.fromkeys(channels))),
                    payment,
                    tc_id,
                ),
            )
            conn.execute(
                "UPDATE regional_tc_participants SET email = ?, mobile = ? "
                "WHERE teleconsultation_id = ? AND role = 'patient'",
                (email, mobile, tc_id),
            )
            before = {r["join_token"] for r in self._participants(conn, tc_id)}
            if body.participants is not None:
                removed = self._replace_participants(conn, tc_id, others)
                self.record_invitations(conn, tc_id, base_url, "cancellation", removed)
            # Those already invited get the update; those just added, their first invitation.
            now_in = self._participants(conn, tc_id)
            kept = [r for r in now_in if r["join_token"] in before]
            added = [r for r in now_in if r["join_token"] not in before]
            self.record_invitations(conn, tc_id, base_url, "update", kept)
            if added:
                self.record_invitations(conn, tc_id, base_url, "invitation", added)
        return self.get(caller, tc_id, base_url)

    def _participants(self, conn: sqlite3.Connection, tc_id: str) -> list[sqlite3.Row]:
        return conn.execute(
            "SELECT * FROM regional_tc_participants WHERE teleconsultation_id = ? "
            "ORDER BY position",
            (tc_id,),
        ).fetchall()

    def _replace_participants(
        self, conn: sqlite3.Connection, tc_id: str, others: list[PersonIn]
    ) -> list[sqlite3.Row]:
        """The new list of other participants; who stays keeps their join link. Returns the
        rows of those taken off, for their cancellation."""
        before = conn.execute(
            "SELECT * FROM regional_tc_participants WHERE teleconsultation_id = ? "
            "AND role = 'participant' ORDER BY position",
            (tc_id,),
        ).fetchall()
        kept: dict[str, sqlite3.Row] = {_person_key(r["account_id"], r["name"]): r for r in before}
        conn.execute(
            "DELETE FROM regional_tc_participants WHERE teleconsultation_id = ? "
            "AND role = 'participant'",
            (tc_id,),
        )
        staying: set[str] = set()
        for position, person in enumerate(others, start=2):
            key = _person_key(person.account_id, person.name)
            old = kept.get(key)
            staying.add(key)
            token = old["join_token"] if old is not None else None
            self.insert_participant(conn, tc_id, position, "participant", person, token)
        return [r for k, r in kept.items() if k not in staying]

    def cancel(self, caller: Account, tc_id: str, reason: str, base_url: str) -> Teleconsultation:
        with self._sandbox.db.write() as conn:
            row = self._row_for(conn, caller, tc_id)
            self.require_manager(conn, caller, row)
            _require_changeable(row, "annulée")
            conn.execute(
                "UPDATE regional_teleconsultations SET status = 'cancelled', cancel_reason = ?, "
                "sequence = sequence + 1 WHERE id = ?",
                (reason.strip(), tc_id),
            )
            self.record_invitations(conn, tc_id, base_url, "cancellation")
        return self.get(caller, tc_id, base_url)

    def require_manager(self, conn: sqlite3.Connection, caller: Account, row: sqlite3.Row) -> None:
        """Changing a teleconsultation (editing, cancelling) is for its teleconsultant, and for
        the one who planned it while the teleconsultant's delegation still holds."""
        if caller.id not in (row["teleconsultant_account_id"], row["planner_account_id"]):
            raise forbidden(
                "Seuls le téléconsultant et la personne qui a planifié peuvent modifier ou "
                "annuler cette téléconsultation."
            )
        if not delegated(conn, row["teleconsultant_account_id"], caller.id):
            lead = self._sandbox.accounts.by_id(row["teleconsultant_account_id"])
            raise not_delegated(lead.display_name if lead else "Le téléconsultant")

    # --- reading ---------------------------------------------------------------------------------

    def get(self, caller: Account, tc_id: str, base_url: str) -> Teleconsultation:
        with self._sandbox.db.read() as conn:
            row = self._row_for(conn, caller, tc_id)
            return self._model(conn, caller, row, base_url)

    def mine(
        self,
        caller: Account,
        base_url: str,
        start_from: str | None,
        start_to: str | None,
        status: str | None,
    ) -> list[Teleconsultation]:
        where = [
            "(t.teleconsultant_account_id = :me OR t.planner_account_id = :me OR EXISTS ("
            "SELECT 1 FROM regional_tc_participants p WHERE p.teleconsultation_id = t.id "
            "AND p.account_id = :me))"
        ]
        params: dict[str, str | int] = {"me": caller.id}
        if start_from:
            where.append("t.start >= :from")
            params["from"] = _day_start(parse_date(start_from, "from"))
        if start_to:
            where.append("t.start < :to")
            params["to"] = _day_start(parse_date(start_to, "to") + dt.timedelta(days=1))
        with self._sandbox.db.read() as conn:
            rows = conn.execute(
                f"SELECT t.* FROM regional_teleconsultations t WHERE {' AND '.join(where)} "
                "ORDER BY t.start, t.id",
                params,
            ).fetchall()
            result = [self._model(conn, caller, r, base_url) for r in rows]
        return [tc for tc in result if status is None or tc.status == status]

    def invitations(self, caller: Account) -> list[Invitation]:
        with self._sandbox.db.read() as conn:
            rows = conn.execute(
                "SELECT i.* FROM regional_invitations i "
                "JOIN regional_teleconsultations t ON t.id = i.teleconsultation_id "
                "WHERE t.teleconsultant_account_id = ? OR t.planner_account_id = ? "
                "ORDER BY i.sent_at, i.rowid",
                (caller.id, caller.id),
            ).fetchall()
        return [
            Invitation(
                id=r["id"],
                teleconsultation_id=r["teleconsultation_id"],
                kind=r["kind"],
                channel=r["channel"],
                recipient=r["recipient"],
                recipient_name=r["recipient_name"],
                subject=r["subject"],
                text=r["text"],
                sent_at=to_datetime(r["sent_at"]),
            )
            for r in rows
        ]

    def join_info(self, token: str) -> JoinInfo | None:
        if not token or len(token) > 64:
            return None
        with self._sandbox.db.read() as conn:
            row = conn.execute(
                "SELECT p.name, p.role, t.* FROM regional_tc_participants p "
                "JOIN regional_teleconsultations t ON t.id = p.teleconsultation_id "
                "WHERE p.join_token = ?",
                (token,),
            ).fetchone()
            if row is None:
                return None
            lead = conn.execute(
                "SELECT name FROM regional_tc_participants WHERE teleconsultation_id = ? "
                "AND role = 'teleconsultant'",
                (row["id"],),
            ).fetchone()
        asked = row["role"] == "patient" and row["paid_at"] is None
        return JoinInfo(
            teleconsultation_id=row["id"],
            name=row["name"],
            role=row["role"],
            teleconsultant=lead["name"] if lead else "",
            start=to_datetime(row["start"]),
            end=to_datetime(row["end"]),
            status=_status(row),
            payment_due=row["payment_cents"] if asked else None,
        )

    def pay(self, token: str) -> JoinInfo | None:
        """Records the patient's online payment (the sandbox's simulated provider): only the
        patient's link pays, once, while the teleconsultation is still to come."""
        info = self.join_info(token)
        if info is None or info.payment_due is None or info.status != "planned":
            return info
        with self._sandbox.db.write() as conn:
            conn.execute(
                "UPDATE regional_teleconsultations SET paid_at = ? WHERE id = ? "
                "AND paid_at IS NULL AND payment_cents IS NOT NULL",
                (now(), info.teleconsultation_id),
            )
        return self.join_info(token)

    # --- helpers ---------------------------------------------------------------------------------

    def _row_for(self, conn: sqlite3.Connection, caller: Account, tc_id: str) -> sqlite3.Row:
        """The teleconsultation if the caller takes part in it; others get the same 404."""
        row: sqlite3.Row | None = conn.execute(
            "SELECT t.* FROM regional_teleconsultations t WHERE t.id = :id AND "
            "(t.teleconsultant_account_id = :me OR t.planner_account_id = :me OR EXISTS ("
            "SELECT 1 FROM regional_tc_participants p WHERE p.teleconsultation_id = t.id "
            "AND p.account_id = :me))",
            {"id": tc_id, "me": caller.id},
        ).fetchone()
        if row is None:
            raise not_found("Téléconsultation introuvable.")
        return row

    def _model(
        self, conn: sqlite3.Connection, caller: Account, row: sqlite3.Row, base_url: str
    ) -> Teleconsultation:
        parts = conn.execute(
            "SELECT * FROM regional_tc_participants WHERE teleconsultation_id = ? "
            "ORDER BY position",
            (row["id"],),
        ).fetchall()
        manages = caller.id in (
            row["teleconsultant_account_id"],
            row["planner_account_id"],
        ) and delegated(conn, row["teleconsultant_account_id"], caller.id)

        def participant(p: sqlite3.Row, role: str | None = None) -> Participant:
            mine = p["account_id"] == caller.id
            shown = mine or (manages and p["role"] == "patient")
            return Participant(
                role=cast(ParticipantRole, role or p["role"]),
                name=p["name"],
                account_id=p["account_id"],
                practitioner_id=p["practitioner_id"],
                patient_id=p["patient_id"],
                email=p["email"],
                mobile=p["mobile"],
                join_url=invitations.join_url(base_url, p["join_token"]) if shown else None,
            )

        lead = next(p for p in parts if p["role"] == "teleconsultant")
        patient = next(p for p in parts if p["role"] == "patient")
        planner_account = self._sandbox.accounts.by_id(row["planner_account_id"])
        planner = Participant(
            role="planner",
            name=planner_account.display_name if planner_account else "",
            account_id=row["planner_account_id"],
            practitioner_id=planner_account.practitioner_id if planner_account else None,
            patient_id=None,
            email=planner_account.email if planner_account else None,
            mobile=None,
            join_url=None,
        )
        own = next((p for p in parts if p["account_id"] == caller.id), None)
        payment = row["payment_cents"]
        return Teleconsultation(
            id=row["id"],
            status=cast(TeleconsultationStatus, _status(row)),
            start=to_datetime(row["start"]),
            end=to_datetime(row["end"]),
            duration_minutes=(row["end"] - row["start"]) // 60,
            motive=row["motive"],
            teleconsultant=participant(lead),
            planner=planner,
            patient=participant(patient),
            participants=[participant(p) for p in parts if p["role"] == "participant"],
            channels=json.loads(row["channels"]),
            online_payment=Payment(amount=payment / 100) if payment is not None else None,
            payment_status=_payment_status(row),
            sequence=row["sequence"],
            join_url=invitations.join_url(base_url, own["join_token"]) if own else None,
            cancel_reason=row["cancel_reason"],
            created_at=to_datetime(row["created_at"]),
            can_manage=manages,
        )

    def _teleconsultant(self, caller: Account, body: TeleconsultationCreate) -> Account:
        if body.teleconsultant_account_id:
            account = self._sandbox.accounts.by_id(body.teleconsultant_account_id)
            if account is None:
                raise bad_request("Téléconsultant inconnu.", "unknown_teleconsultant")
            return account
        if body.teleconsultant_practitioner_id:
            account = self.account_by_practitioner(body.teleconsultant_practitioner_id)
            if account is None:
                raise bad_request(
                    "Ce professionnel n'a pas de compte de télémédecine : il ne peut pas "
                    "téléconsulter.",
                    "unknown_teleconsultant",
                )
            return account
        return caller

    def account_by_practitioner(self, practitioner_id: str) -> Account | None:
        with self._sandbox.db.read() as conn:
            row = conn.execute(
                "SELECT id FROM accounts WHERE practitioner_id = ?", (practitioner_id,)
            ).fetchone()
        return self._sandbox.accounts.by_id(row[0]) if row else None

    def _patient(
        self, conn: sqlite3.Connection, body: TeleconsultationCreate, accounts: set[str]
    ) -> PersonIn:
        """The patient, from the directory or in free text. The directory's e-mail and mobile
        stand in for missing ones only when the planner or the teleconsultant follows the
        patient: contact details are need-to-know (issue 9 §8), and the planner sees them in
        the answer."""
        email = clean_email(body.patient_email, "L'adresse e-mail du patient est invalide.")
        mobile = clean_mobile(body.patient_mobile)
        if body.patient_id:
            row = conn.execute(
                "SELECT * FROM regional_patients WHERE id = ?", (body.patient_id,)
            ).fetchone()
            if row is None:
                raise bad_request(
                    "Ce patient n'existe pas dans l'annuaire régional.", "unknown_patient"
                )
            followers = conn.execute(
                "SELECT account_id FROM regional_file_active WHERE patient_id = ?", (row["id"],)
            ).fetchall()
            known = bool(accounts & {f["account_id"] for f in followers})
            return PersonIn(
                name=f"{row['given']} {row['family']}",
                patient_id=row["id"],
                email=email or (row["email"] if known else None),
                mobile=mobile or (row["mobile"] if known else None),
            )
        name = (body.patient_name or "").strip()
        if not name:
            raise bad_request(
                "Choisissez le patient dans l'annuaire ou saisissez son nom.", "missing_patient"
            )
        return PersonIn(name=name, email=email, mobile=mobile)

    def _participant(self, given: ParticipantIn) -> PersonIn:
        email = clean_email(given.email, "L'adresse e-mail d'un participant est invalide.")
        mobile = clean_mobile(given.mobile)
        account: Account | None = None
        if given.account_id:
            account = self._sandbox.accounts.by_id(given.account_id)
            if account is None:
                raise bad_request("Participant inconnu.", "unknown_participant")
        elif given.practitioner_id:
            account = self.account_by_practitioner(given.practitioner_id)
        if account is not None:
            return PersonIn(
                name=(given.name or "").strip() or account.display_name,
                account_id=account.id,
                practitioner_id=account.practitioner_id or given.practitioner_id,
                email=email or account.email,
                mobile=mobile,
            )
        name = (given.name or "").strip()
        if not name:
            raise bad_request("Indiquez le nom de chaque participant.", "missing_participant")
        return PersonIn(
            name=name, practitioner_id=given.practitioner_id, email=email, mobile=mobile
        )

    def record_invitations(
        self,
        conn: sqlite3.Connection,
        tc_id: str,
        base_url: str,
        kind: str,
        only: list[sqlite3.Row] | None = None,
    ) -> None:
        """Tells the participants (server/regional/invitations.py)."""
        invitations.send(self._sandbox, conn, tc_id, base_url, kind, only)


def _require_changeable(row: sqlite3.Row, done: str) -> None:
    if row["status"] == "cancelled":
        raise conflict(
            "already_cancelled",
            f"Cette téléconsultation est annulée : elle ne peut plus être {done}.",
        )
    if row["end"] < now():
        raise conflict(
            "already_done",
            f"Cette téléconsultation a déjà eu lieu : elle ne peut plus être {done}.",
        )


def _check_contact(channels: Sequence[str], email: str | None, mobile: str | None) -> None:
    if "email" in channels and not email:
        raise bad_request(
            "Invitation par e-mail demandée : renseignez l'adresse e-mail du patient.",
            "missing_contact",
        )
    if "sms" in channels and not mobile:
        raise bad_request(
            "Invitation par SMS demandée : renseignez le numéro de mobile du patient.",
            "missing_contact",
        )


def _payment_status(row: sqlite3.Row) -> PaymentStatus | None:
    if row["payment_cents"] is None:
        return None
    return "pending" if row["paid_at"] is None else "paid"


def _cents(payment: Payment | None) -> int | None:
    return round(payment.amount * 100) if payment is not None else None


def _person_key(account_id: str | None, name: str) -> str:
    return f"account:{account_id}" if account_id else f"name:{name.strip().casefold()}"


def _account_person(account: Account) -> PersonIn:
    return PersonIn(
        name=account.display_name,
        account_id=account.id,
        practitioner_id=account.practitioner_id,
        email=account.email,
    )


def _status(row: sqlite3.Row) -> str:
    if row["status"] == "cancelled":
        return "cancelled"
    return "done" if row["end"] < now() else "planned"


def _day_start(day: dt.date) -> int:
    return int(dt.datetime.combine(day, dt.time(), PARIS).timestamp())


def _epoch(value: dt.datetime) -> int:
    aware = value if value.tzinfo is not None else value.replace(tzinfo=PARIS)
    try:
        return int(aware.timestamp())
    except (OverflowError, ValueError, OSError):
        raise bad_request("Date et heure hors des limites acceptées.") from None


def _times(
    start_at: dt.datetime, duration_minutes: int | None, end_at: dt.datetime | None
) -> tuple[int, int]:
    start = _epoch(start_at)
    current = now()
    if start < current - 60:
        raise bad_request(
            "La date de début est passée : choisissez une date à venir.", "start_in_past"
        )
    if start > current + MAX_AHEAD_DAYS * 86400:
        raise bad_request("La téléconsultation ne peut pas être planifiée à plus de deux ans.")
    if end_at is not None:
        end = _epoch(end_at)
        if end <= start:
            raise bad_request("La fin doit être après le début.", "invalid_end")
        if duration_minutes is not None and end - start != duration_minutes * 60:
            raise bad_request("La durée et l'heure de fin ne concordent pas.", "invalid_end")
    else:
        end = start + 60 * (duration_minutes or DEFAULT_MINUTES)
    if end - start > MAX_MINUTES * 60:
        raise bad_request("Une téléconsultation dure au plus 8 heures.", "invalid_end")
    return start, end
