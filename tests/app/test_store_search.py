"""Offline full-text search: accents, prefixes, phrases, every field, and hostile input."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.store import mail, search
from app.store.db import Cache
from app.store.records import Address, AttachmentRecord, PatientRef
from app.store.search import match_expression
from tests.app.store_helpers import email


@pytest.fixture
def indexed(cache: Cache) -> Cache:
    records = [
        email(
            "cardio",
            minutes=1,
            subject="Consultation de cardiologie",
            text_body="Échographie cardiaque normale.",
        ),
        email(
            "rendu",
            minutes=2,
            subject="Résultats",
            text_body="Voici le compte rendu opératoire de la patiente.",
        ),
        email("inverse", minutes=3, subject="Divers", text_body="Le rendu du compte est fait."),
        email(
            "html",
            minutes=4,
            subject="Lettre",
            text_body=None,
            html_body="<html><head><style>p{}</style></head><body><p>Pneumo&shy;logie "
            "<b>urgente</b></p><script>var secret='caché';</script></body></html>",
        ),
        email(
            "piece",
            minutes=5,
            subject="Documents",
            attachments=(
                AttachmentRecord(
                    "2", "B1", "ordonnance-kiné.pdf", "application/pdf", 10, doc_type="Ordonnance"
                ),
            ),
        ),
        email(
            "patient",
            minutes=6,
            subject="Suivi",
            patient=PatientRef("279035121518989", "1.2.250.1.213.1.4.10", "Hélène", "Quenouillère"),
        ),
        email(
            "sender",
            minutes=7,
            subject="Bonjour",
            sender=Address("Dr Éloïse Fontaine", "eloise.fontaine@chu-lyon.mssante.fr"),
        ),
        email("sent", minutes=8, subject="Cardiologie suite", mailboxes=("sent",)),
    ]
    cache.write_blocking(lambda c: mail.upsert_emails(c, records))
    return cache


def _ids(cache: Cache, text: str, mailbox_id: str | None = None, limit: int = 50) -> set[str]:
    with cache.read() as conn:
        return {h.email_id for h in search.search(conn, text, limit, mailbox_id=mailbox_id)}


def test_accents_and_case_are_ignored(indexed: Cache) -> None:
    assert _ids(indexed, "echographie") == {"cardio"}
    assert _ids(indexed, "ÉCHOGRAPHIE CARDIAQUE") == {"cardio"}
    assert _ids(indexed, "quenouillere") == {"patient"}


def test_last_word_is_a_prefix(indexed: Cache) -> None:
    assert _ids(indexed, "card") == {"cardio", "sent"}
    assert _ids(indexed, "cardiologie sui") == {"sent"}
    # Only the last word: "card" followed by a space is a whole word.
    assert _ids(indexed, "card ") == set()


def test_quotes_make_a_phrase(indexed: Cache) -> None:
    assert {"rendu", "inverse"} <= _ids(indexed, "compte rendu")
    assert "inverse" not in _ids(indexed, '"compte rendu"')
    assert _ids(indexed, '"rendu du compte"') == {"inverse"}
    assert _ids(indexed, '"compte rendu" opera') == {"rendu"}
    assert _ids(indexed, '"rendu opera') == {"rendu"}  # an unclosed quote runs to the end


def test_every_field_is_searched(indexed: Cache) -> None:
    assert _ids(indexed, "pneumologie") == {"html"}  # entities decoded, soft hyphen dropped
    assert _ids(indexed, "urgente") == {"html"}
    assert _ids(indexed, "secret") == set()  # scripts are not text
    assert _ids(indexed, "kine") == {"piece"}
    assert _ids(indexed, "ordonnance") == {"piece"}
    assert _ids(indexed, "helene") == {"patient"}
    assert _ids(indexed, "279035121518989") == {"patient"}
    assert _ids(indexed, "eloise fontaine") == {"sender"}
    assert _ids(indexed, "chu-lyon") == {"sender"}
    assert "sender" in _ids(indexed, "eloise.fontaine@chu-lyon.mssante.fr")


def test_mailbox_filter_and_limit(indexed: Cache) -> None:
    assert _ids(indexed, "cardiologie", mailbox_id="sent") == {"sent"}
    assert _ids(indexed, "cardiologie", mailbox_id="inbox") == {"cardio"}
    assert len(_ids(indexed, "alice")) == 7  # every sender but Éloïse
    assert len(_ids(indexed, "alice", limit=3)) == 3
    assert _ids(indexed, "alice", limit=0) == set()


def test_mailbox_filter_reads_past_the_first_fts_page(cache: Cache) -> None:
    many = [email(f"i{i}", minutes=i, subject="tension artérielle") for i in range(450)]
    few = [
        email(f"s{i}", minutes=1000 + i, subject="tension", mailboxes=("sent",)) for i in range(3)
    ]
    cache.write_blocking(lambda c: mail.upsert_emails(c, many + few))
    assert _ids(cache, "tension", mailbox_id="sent", limit=10) == {"s0", "s1", "s2"}


def test_hits_carry_subject_and_date(indexed: Cache) -> None:
    with indexed.read() as conn:
        [hit] = search.search(indexed_conn := conn, "echographie", 10)
        assert mail.get_email(indexed_conn, "cardio") is not None
    assert hit.subject == "Consultation de cardiologie"
    assert hit.received_at.tzinfo is not None


def test_updated_and_deleted_emails_leave_the_index(indexed: Cache) -> None:
    indexed.write_blocking(
        lambda c: mail.upsert_emails(c, [email("cardio", minutes=1, subject="Angiologie")])
    )
    assert _ids(indexed, "echographie") == set()
    assert _ids(indexed, "angiologie") == {"cardio"}
    indexed.write_blocking(lambda c: mail.delete_emails(c, ["cardio"]))
    assert _ids(indexed, "angiologie") == set()


@pytest.mark.parametrize(
    "text",
    [
        '"',
        "*",
        "NEAR(",
        "OR",
        "-",
        "AND NOT",
        "cardio OR",
        'a"b',
        "(",
        ")",
        "^",
        ":",
        "col:x",
        "NOT",
        "cardiologie AND NOT rendu",
        "''",
        '""',
        "\\",
        "{subject}: x",
        "\x00",
        "",
        "   ",
    ],
)
def test_hostile_input_gives_results_or_nothing(indexed: Cache, text: str) -> None:
    with indexed.read() as conn:
        hits = search.search(conn, text, 20)
    assert isinstance(hits, list)
    if text == "cardio OR":  # words, not operators
        assert {h.email_id for h in hits} == set()


def test_operators_are_plain_words(indexed: Cache) -> None:
    indexed.write_blocking(
        lambda c: mail.upsert_emails(c, [email("ops", subject="Pas OR mais NEAR et NOT")])
    )
    assert _ids(indexed, "OR ") == {"ops"}
    assert _ids(indexed, "OR") == {"ops", "piece"}  # a prefix of « ordonnance »
    assert _ids(indexed, "NEAR") == {"ops"}
    assert _ids(indexed, "mais NOT") == {"ops"}


@settings(
    max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(text=st.text(max_size=40))
def test_any_typed_text_never_raises(indexed: Cache, text: str) -> None:
    expression = match_expression(text)
    assert expression is None or "\x00" not in expression
    assert expression is None or expression.count('"') % 2 == 0
    with indexed.read() as conn:
        hits = search.search(conn, text, 5)
    assert len(hits) <= 5


def test_hits_come_newest_first_even_when_synced_oldest_last(cache: Cache) -> None:
    # Initial sync stores newest first; a later page brings older mail, and two share a date.
    cache.write_blocking(
        lambda c: mail.upsert_emails(c, [email(f"n{i}", minutes=100 + i) for i in range(3)])
    )
    cache.write_blocking(
        lambda c: mail.upsert_emails(
            c, [email("old", minutes=1), email("old-twin", minutes=1), email("n1", minutes=101)]
        )
    )
    with cache.read() as conn:
        order = [h.email_id for h in search.search(conn, "alice", 10)]
    assert order[:3] == ["n2", "n1", "n0"]
    assert set(order[3:]) == {"old", "old-twin"}
