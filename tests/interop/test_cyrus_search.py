"""Offline search over a cache filled from Cyrus: the words of real-world MIME (encoded headers,
HTML-only bodies, document names, patients from IHE_XDM.ZIP) are found, accents ignored."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.account.login import open_account
from app.remote.jmap import JmapClient
from app.store import search
from app.store.db import Cache
from app.store.records import EmailRecord
from app.sync.engine import SyncEngine
from tests.app.sync_helpers import cached_emails
from tests.interop.corpus import Corpus
from tests.interop.cyrus import ALICE, Cyrus

pytestmark = pytest.mark.interop

NUMBERED_PDF = re.compile(r" n°\d+\.pdf$")  # tests/interop/corpus.py's documents


def _found(cache: Cache, text: str, limit: int = 2000) -> set[str]:
    with cache.read() as conn:
        return {h.email_id for h in search.search(conn, text, limit)}


@pytest.mark.asyncio
async def test_local_search_finds_what_cyrus_sent_accents_and_encodings_ignored(
    cyrus_server: Cyrus, alice_corpus: Corpus, tmp_path: Path
) -> None:
    account = await open_account(
        tmp_path / "client", cyrus_server.server_url, ALICE, cyrus_server.passwords[ALICE]
    )
    try:
        assert account.http is not None
        engine = SyncEngine(
            account.cache, JmapClient(account.http, cyrus_server.server_url + "/.well-known/jmap")
        )
        await engine.sync_once()
        await engine.read_patients()
        cached = cached_emails(account.cache).values()
        # A Latin-1, B-encoded subject, searched without accents.
        latin = {r.id for r in cached if r.subject.startswith("Résultats d'analyse n°")}
        assert latin
        assert latin <= _found(account.cache, "resultats d'analyse")
        # An HTML-only body: its text is searchable, its markup is not.
        html_only = next(r for r in cached if r.text_body is None and r.html_body)
        assert html_only.id in _found(account.cache, "remercie adressé")
        assert _found(account.cache, "tracker.example.net") == set()

        # A document's name, and the sender's name (RFC 2047 encoded when not ASCII). One of the
        # corpus's numbered documents ("<type> n°<i>.pdf"): the mailbox also holds what other
        # interop tests sent (other names), and the newest comes first.
        def numbered(r: EmailRecord) -> str | None:
            return next((a.name for a in r.attachments if NUMBERED_PDF.search(a.name or "")), None)

        document = next(r for r in cached if numbered(r))
        name = numbered(document)
        assert name is not None
        number = name.rsplit("n°", 1)[1].removesuffix(".pdf")
        assert document.id in _found(account.cache, f"{name.split()[0]} {number}")
        sender = document.from_[0].name
        assert sender is not None
        assert document.id in _found(account.cache, sender.split()[-1])
        # The patient of an IHE_XDM.ZIP, found by family name.
        cached = cached_emails(account.cache).values()  # patients were read meanwhile
        with_patient = next(r for r in cached if r.patient is not None)
        assert with_patient.patient is not None
        family = with_patient.patient.family
        assert family is not None
        assert with_patient.id in _found(account.cache, family)
        # Nonsense finds nothing.
        assert _found(account.cache, "zzyzx-introuvable") == set()
    finally:
        await account.close()
