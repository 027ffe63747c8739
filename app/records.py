"""The typed records the desktop app reads: what `ui/` may know of the store and of the remote
clients. The UI talks to `AccountSession` (and its regional services) and gets these back; it
never reaches `app.store` (SQL) or `app.remote` (HTTP) itself — an import contract says so."""

from __future__ import annotations

from app.remote.directory import CATEGORY_LABELS, Correspondent, DirectoryPage, DirectoryQuery, Near
from app.remote.places import Place
from app.store.drafts import StoredDraft
from app.store.mail import NO_FILTERS, Filters, Sort
from app.store.outbox import OutboxRow, OutboxState
from app.store.records import (
    Address,
    AttachmentRecord,
    EmailRecord,
    EmailSummary,
    PatientRef,
    addresses_to_json,
)

__all__ = [
    "CATEGORY_LABELS",
    "NO_FILTERS",
    "Address",
    "AttachmentRecord",
    "Correspondent",
    "DirectoryPage",
    "DirectoryQuery",
    "EmailRecord",
    "EmailSummary",
    "Filters",
    "Near",
    "OutboxRow",
    "OutboxState",
    "PatientRef",
    "Place",
    "Sort",
    "StoredDraft",
    "addresses_to_json",
]
