"""Storage of the regional services: one SQLite schema (area "regional"), one object per service.

Routes reach the services as `sandbox.regional.patients`, `.teleconsultations`, `.expertise`,
`.teams`, `.portal`, `.delegations` and `.documents` (a patient's filed documents); each method
takes the caller's account and returns wire models, so that "each user sees only their own
data" is decided in one place, next to the SQL.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from server.regional.common import Clock
from server.regional.delegations import Delegations
from server.regional.expertise import Expertise
from server.regional.favorites import Favorites
from server.regional.patient_documents import PatientDocuments
from server.regional.patients import Patients
from server.regional.portal_codes import PortalCodes
from server.regional.teams import ResourceTeams
from server.regional.teleconsultations import Teleconsultations
from server.regional.validation import name_key
from server.storage import Migration

if TYPE_CHECKING:
    from server.context import Sandbox


def _need_to_know(conn: sqlite3.Connection) -> None:
    """Issue 9 §8. The patient directory finds a patient by name and birth date, so names get
    their comparison keys (the usual name beside the birth name); a follow records its reason;
    every access to a patient's record goes to the access journal."""
    for column in (
        "usual_family TEXT",
        "family_key TEXT NOT NULL DEFAULT ''",
        "usual_key TEXT",
        "given_key TEXT NOT NULL DEFAULT ''",
    ):
        conn.execute(f"ALTER TABLE regional_patients ADD COLUMN {column}")
    rows = conn.execute("SELECT id, family, given FROM regional_patients").fetchall()
    conn.executemany(
        "UPDATE regional_patients SET family_key = ?, given_key = ? WHERE id = ?",
        [(name_key(r["family"]), name_key(r["given"]), r["id"]) for r in rows],
    )
    conn.execute(
        "CREATE INDEX regional_patients_family ON regional_patients (family_key, birth_date)"
    )
    conn.execute(
        "CREATE INDEX regional_patients_usual ON regional_patients (usual_key, birth_date)"
    )
    conn.execute("ALTER TABLE regional_file_active ADD COLUMN reason TEXT")
    conn.execute(
        "CREATE TABLE regional_access_log ("
        "n INTEGER PRIMARY KEY AUTOINCREMENT, "
        "patient_id TEXT NOT NULL REFERENCES regional_patients (id), "
        "account_id TEXT NOT NULL, "
        "at INTEGER NOT NULL, "
        "action TEXT NOT NULL, "
        "reason TEXT)"
    )
    conn.execute(
        "CREATE INDEX regional_access_log_patient ON regional_access_log (patient_id, at, n)"
    )


MIGRATIONS: list[Migration] = [
    """
    CREATE TABLE regional_patients (
        id TEXT PRIMARY KEY,
        ins TEXT UNIQUE,
        ins_oid TEXT,
        given TEXT NOT NULL,
        family TEXT NOT NULL,
        folded_name TEXT NOT NULL,
        birth_date TEXT NOT NULL,
        sex TEXT NOT NULL,
        email TEXT,
        mobile TEXT,
        city TEXT NOT NULL DEFAULT '',
        created_by TEXT,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX regional_patients_birth ON regional_patients (birth_date);
    CREATE TABLE regional_file_active (
        account_id TEXT NOT NULL,
        patient_id TEXT NOT NULL REFERENCES regional_patients (id),
        added_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, patient_id)
    );
    CREATE TABLE regional_care_team (
        patient_id TEXT NOT NULL REFERENCES regional_patients (id),
        position INTEGER NOT NULL,
        account_id TEXT,
        practitioner_id TEXT,
        name TEXT NOT NULL,
        profession_code TEXT,
        specialty_code TEXT,
        email TEXT,
        PRIMARY KEY (patient_id, position)
    );
    CREATE TABLE regional_teleconsultations (
        id TEXT PRIMARY KEY,
        teleconsultant_account_id TEXT NOT NULL,
        planner_account_id TEXT NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        motive TEXT NOT NULL,
        channels TEXT NOT NULL,
        payment_cents INTEGER,
        status TEXT NOT NULL,
        cancel_reason TEXT,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE regional_tc_participants (
        teleconsultation_id TEXT NOT NULL REFERENCES regional_teleconsultations (id),
        position INTEGER NOT NULL,
        role TEXT NOT NULL,
        account_id TEXT,
        practitioner_id TEXT,
        patient_id TEXT,
        name TEXT NOT NULL,
        email TEXT,
        mobile TEXT,
        join_token TEXT NOT NULL UNIQUE,
        PRIMARY KEY (teleconsultation_id, position)
    );
    CREATE INDEX regional_tc_participants_account ON regional_tc_participants (account_id);
    CREATE TABLE regional_invitations (
        id TEXT PRIMARY KEY,
        teleconsultation_id TEXT NOT NULL REFERENCES regional_teleconsultations (id),
        kind TEXT NOT NULL,
        channel TEXT NOT NULL,
        recipient TEXT NOT NULL,
        recipient_name TEXT NOT NULL,
        subject TEXT,
        text TEXT NOT NULL,
        sent_at INTEGER NOT NULL
    );
    CREATE TABLE regional_expert_profiles (
        account_id TEXT PRIMARY KEY,
        practitioner_id TEXT,
        activity_description TEXT NOT NULL,
        prerequisite_documents TEXT NOT NULL,
        listed INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE TABLE regional_teleexpertises (
        id TEXT PRIMARY KEY,
        requester_account_id TEXT NOT NULL,
        expert_account_id TEXT NOT NULL,
        patient_id TEXT NOT NULL REFERENCES regional_patients (id),
        year INTEGER NOT NULL,
        question TEXT NOT NULL,
        blob_ids TEXT NOT NULL,
        status TEXT NOT NULL,
        answer TEXT,
        report TEXT,
        report_blob_id TEXT,
        message_id TEXT NOT NULL,
        last_message_id TEXT NOT NULL,
        subject TEXT NOT NULL,
        requester_thread_id TEXT,
        expert_thread_id TEXT,
        created_at INTEGER NOT NULL,
        answered_at INTEGER,
        closed_at INTEGER
    );
    CREATE INDEX regional_teleexpertises_quota
        ON regional_teleexpertises (requester_account_id, patient_id, year);
    CREATE TABLE regional_resource_teams (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        name TEXT NOT NULL,
        activity_description TEXT NOT NULL,
        prerequisites TEXT NOT NULL,
        contact_address TEXT NOT NULL,
        folded_text TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE regional_team_templates (
        id TEXT PRIMARY KEY,
        team_id TEXT NOT NULL REFERENCES regional_resource_teams (id),
        blob_id TEXT NOT NULL,
        file_name TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE regional_portal_codes (
        code TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        path TEXT NOT NULL,
        expires_at REAL NOT NULL,
        used INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE regional_portal_sessions (
        token TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        expires_at REAL NOT NULL
    );
    """,
    _need_to_know,
    # Delegation of teleconsultation planning (issue 13 §1): who may plan in whose name.
    """
    CREATE TABLE regional_delegations (
        owner_account_id TEXT NOT NULL,
        delegate_account_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (owner_account_id, delegate_account_id)
    );
    CREATE INDEX regional_delegations_delegate ON regional_delegations (delegate_account_id);
    """,
    # Issue 13 §3: what an expert offers (specialties, TRE_R38 codes) and the delay announced;
    # the documents of a request keep their names and types.
    """
    ALTER TABLE regional_expert_profiles ADD COLUMN specialties TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE regional_expert_profiles ADD COLUMN response_delay_days INTEGER;
    ALTER TABLE regional_teleexpertises ADD COLUMN documents TEXT NOT NULL DEFAULT '[]';
    """,
    # Issue 13 §1: a teleconsultation is edited (its iCalendar SEQUENCE counts the changes) and
    # its online payment is recorded when the patient pays.
    """
    ALTER TABLE regional_teleconsultations ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE regional_teleconsultations ADD COLUMN paid_at INTEGER;
    """,
    # Issue 13 §3: the documents filed in a patient's record (the compte rendu of a téléexpertise).
    """
    CREATE TABLE regional_patient_documents (
        id TEXT PRIMARY KEY,
        patient_id TEXT NOT NULL REFERENCES regional_patients (id),
        type_code TEXT NOT NULL,
        title TEXT NOT NULL,
        file_name TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        blob_id TEXT NOT NULL,
        author_account_id TEXT,
        author_name TEXT NOT NULL,
        author_address TEXT,
        source TEXT NOT NULL,
        source_id TEXT,
        filed_at INTEGER NOT NULL
    );
    CREATE INDEX regional_patient_documents_patient
        ON regional_patient_documents (patient_id, filed_at);
    """,
    # Issue 13 §4: an équipe ressource has members (professionals, by MSSanté address) and is
    # edited by its declarant.
    """
    ALTER TABLE regional_resource_teams ADD COLUMN updated_at INTEGER;
    CREATE TABLE regional_team_members (
        team_id TEXT NOT NULL REFERENCES regional_resource_teams (id),
        address TEXT NOT NULL COLLATE NOCASE,
        name TEXT NOT NULL,
        practitioner_id TEXT,
        account_id TEXT,
        position INTEGER NOT NULL,
        PRIMARY KEY (team_id, address)
    );
    CREATE INDEX regional_team_members_account ON regional_team_members (account_id);
    CREATE INDEX regional_team_templates_team ON regional_team_templates (team_id);
    """,
    # Issue 13 §5: favorites follow the user (server/regional/favorites.py); a removed one stays
    # as a trace (removed = 1) so that the other computers learn of the removal.
    """
    CREATE TABLE regional_favorites (
        account_id TEXT NOT NULL,
        address TEXT NOT NULL,
        display TEXT NOT NULL,
        changed_at INTEGER NOT NULL,
        removed INTEGER NOT NULL,
        PRIMARY KEY (account_id, address)
    );
    """,
]


class RegionalStore:
    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox
        sandbox.db.migrate("regional", MIGRATIONS)
        self.clock = Clock()  # tests only (server/regional/common.py)
        self.patients = Patients(sandbox)
        self.teleconsultations = Teleconsultations(sandbox)
        self.expertise = Expertise(sandbox, self.clock)
        self.teams = ResourceTeams(sandbox)
        self.portal = PortalCodes(sandbox)
        self.delegations = Delegations(sandbox)
        self.documents = PatientDocuments(sandbox)  # issue 13 §3
        self.favorites = Favorites(sandbox)  # issue 13 §5
