"""Helpers shared by the cache tests: a fresh encrypted cache in tmp_path, emails to store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.store.db import Cache
from app.store.key import CacheKey
from app.store.records import Address, AttachmentRecord, EmailRecord, PatientRef

BASE = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
ALICE = Address("Dr Alice Martin", "alice.martin@sisra-demo.mssante.fr")


@pytest.fixture
def key() -> CacheKey:
    return CacheKey.random()


@pytest.fixture
def cache_path(tmp_path: Path) -> Path:
    return tmp_path / "account" / "cache.db"


@pytest.fixture
def cache(cache_path: Path, key: CacheKey) -> Iterator[Cache]:
    opened = Cache.open(cache_path, key)
    yield opened
    opened.close()


def email(
    email_id: str,
    *,
    minutes: int = 0,
    thread_id: str | None = None,
    mailboxes: tuple[str, ...] = ("inbox",),
    keywords: tuple[str, ...] = (),
    subject: str = "Sujet",
    sender: Address = ALICE,
    text_body: str | None = "Bonjour,\nVoici le compte rendu.",
    html_body: str | None = None,
    attachments: tuple[AttachmentRecord, ...] = (),
    patient: PatientRef | None = None,
    **extra: Any,
) -> EmailRecord:
    """An email received `minutes` after BASE (millisecond precision, as the cache stores it)."""
    return EmailRecord(
        id=email_id,
        thread_id=thread_id or f"T-{email_id}",
        mailbox_ids=frozenset(mailboxes),
        received_at=BASE + timedelta(minutes=minutes),
        keywords=frozenset(keywords),
        subject=subject,
        from_=[sender],
        to=[Address("Dr Bob Durand", "bob.durand@sisra-demo.mssante.fr")],
        text_body=text_body,
        html_body=html_body,
        attachments=list(attachments),
        has_attachment=bool(attachments),
        patient=patient,
        **extra,
    )
