"""The typed records the desktop app reads: what `ui/` may know of the store and of the remote
clients. The UI talks to `AccountSession` (and its regional services) and gets these back; it
never reaches `app.store` (SQL) or `app.remote` (HTTP) itself — an import contract says so."""

from __future__ import annotations

from app.account.identities import Identity
from app.outbox.withdraw import Reopened
from app.remote.directory import (
    CATEGORY_LABELS,
    Correspondent,
    DirectoryPage,
    DirectoryQuery,
    Near,
    mailbox_in,
    specialty_label,
)
from app.remote.places import Place
from app.store.contacts import AtHand
from app.store.drafts import StoredDraft
from app.store.mail import NO_FILTERS, Filters, Sort
from app.store.outbox import OutboxRow, OutboxState
from app.store.records import (
    Address,
    AttachmentRecord,
    ConversationSummary,
    EmailRecord,
    EmailSummary,
    PatientRef,
    RecipientStatus,
    addresses_to_json,
)
from app.store.traces import Action as TraceAction
from app.store.traces import Trace, TraceFilter

__all__ = [
    "CATEGORY_LABELS",
    "NO_FILTERS",
    "Address",
    "AtHand",
    "AttachmentRecord",
    "ConversationSummary",
    "Correspondent",
    "DirectoryPage",
    "DirectoryQuery",
    "EmailRecord",
    "EmailSummary",
    "Filters",
    "Identity",
    "Near",
    "OutboxRow",
    "OutboxState",
    "PatientRef",
    "Place",
    "RecipientStatus",
    "Reopened",
    "Sort",
    "StoredDraft",
    "Trace",
    "TraceAction",
    "TraceFilter",
    "addresses_to_json",
    "mailbox_in",
    "specialty_label",
]
