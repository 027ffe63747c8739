"""Local full-text search over 100,000 cached messages (target p95 ≤ 50 ms), and what encryption
costs on inserts (SQLCipher vs plain sqlite3, the same rows).

    .venv/bin/python bench/search.py [--count 100000] [--searches 200] [--cache .bench-cache]

The encrypted cache is built once with synthetic French messages and reused from the cache
folder by later runs with the same count (delete the folder to rebuild it).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlcipher3

from app.store import mail, search
from app.store.db import Cache
from app.store.key import CacheKey
from app.store.records import Address, AttachmentRecord, EmailRecord, PatientRef

# Synthetic data only: a fixed key, so that a built cache is reused by the next run.
KEY = CacheKey(
    lambda buffer: buffer.__setitem__(slice(None), hashlib.sha256(b"monsisra bench key").digest())
)
BATCH = 1000

GIVEN = [
    "Jeanne",
    "Louis",
    "Hélène",
    "Théo",
    "Chloé",
    "Émile",
    "Maëlle",
    "Noé",
    "Inès",
    "Gaëtan",
    "Léa",
    "Hugo",
    "Zoé",
    "Jules",
    "Anaïs",
    "Raphaël",
    "Céline",
    "Benoît",
    "Agnès",
    "Loïc",
]
FAMILY = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Lefèbvre",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Quenouillère",
]
SPECIALTIES = [
    "cardiologie",
    "pneumologie",
    "néphrologie",
    "endocrinologie",
    "dermatologie",
    "rhumatologie",
    "gastro-entérologie",
    "neurologie",
    "gériatrie",
    "pédiatrie",
    "gynécologie",
    "ophtalmologie",
    "oncologie",
    "radiologie",
    "psychiatrie",
]
DOCS = [
    "Compte rendu de consultation",
    "Lettre de liaison de sortie",
    "Ordonnance",
    "Synthèse médicale",
    "CR d'examens biologiques",
    "CR d'imagerie",
    "Lettre d'adressage",
    "Certificat médical",
    "CR hospitalier",
    "CR de télémédecine",
]
SUBJECTS = [
    "{doc} — {patient}",
    "Avis en {spec} pour {patient}",
    "RE: {doc}",
    "Demande de téléexpertise en {spec}",
    "Suivi de {patient} ({spec})",
    "Résultats du bilan de {patient}",
    "Rendez-vous de {spec}",
    "TR: {doc} {patient}",
]
SENTENCES = [
    "Je vous adresse {patient} pour un avis en {spec}.",
    "L'échographie réalisée ce jour est sans particularité.",
    "Le bilan biologique montre une créatinine à {n} µmol/l et une hémoglobine glyquée à 7,{d} %.",
    "La tension artérielle est à 14/{d}, le patient est asymptomatique.",
    "Je propose une réévaluation dans {d} mois avec un électrocardiogramme de contrôle.",
    "Merci de bien vouloir me tenir informé de l'évolution.",
    "Le traitement par bêtabloquant est poursuivi à la même posologie.",
    "Une IRM cérébrale est programmée le {d} prochain au centre hospitalier.",
    "Vous trouverez ci-joint le compte rendu opératoire et l'ordonnance de sortie.",
    "Antécédents : hypertension, diabète de type 2, allergie à la pénicilline.",
    "La patiente signale une dyspnée d'effort depuis {d} semaines.",
    "Pas de modification thérapeutique ; surveillance clinique et biologique.",
    "Bien confraternellement.",
    "La radiographie thoracique retrouve une opacité basale droite.",
    "Je reste à votre disposition pour en discuter.",
]


def synthetic_emails(count: int, seed: int = 1) -> Iterator[EmailRecord]:
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    doctors = [
        Address(f"Dr {g} {f}", f"{g}.{f}@chu-demo.mssante.fr".lower())
        for g in GIVEN
        for f in FAMILY[:12]
    ]
    for number in range(count):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        patient_name = f"{given} {family.upper()}"
        spec, doc = rng.choice(SPECIALTIES), rng.choice(DOCS)
        fill = {
            "patient": patient_name,
            "spec": spec,
            "doc": doc,
            "n": rng.randrange(50, 400),
            "d": rng.randrange(1, 10),
        }
        body = " ".join(rng.choice(SENTENCES).format(**fill) for _ in range(rng.randrange(4, 9)))
        thread = f"T{number // 3}"
        has_doc = rng.random() < 0.4
        yield EmailRecord(
            id=f"M{number}",
            thread_id=thread,
            mailbox_ids=frozenset({"inbox" if rng.random() < 0.8 else "sent"}),
            received_at=start + timedelta(minutes=5 * number),
            keywords=frozenset({"$seen"} if rng.random() < 0.9 else ()),
            subject=rng.choice(SUBJECTS).format(**fill),
            from_=[rng.choice(doctors)],
            to=[rng.choice(doctors)],
            preview=body[:120],
            text_body=body,
            has_attachment=has_doc,
            attachments=[
                AttachmentRecord(
                    "2",
                    f"B{number}",
                    f"{doc}.pdf",
                    "application/pdf",
                    rng.randrange(10_000, 900_000),
                    doc_type=doc,
                )
            ]
            if has_doc
            else [],
            patient=PatientRef(
                f"2{rng.randrange(10**13, 10**14)}", "1.2.250.1.213.1.4.10", given, family
            ),
        )


def build(path: Path, count: int) -> float | None:
    """Builds the cache unless a finished one is there; returns the build time (None: reused)."""
    ready = path.parent / "ready"
    if ready.exists():
        return None
    shutil.rmtree(path.parent, ignore_errors=True)
    cache = Cache.open(path, KEY)
    started = time.perf_counter()
    batch: list[EmailRecord] = []
    for record in synthetic_emails(count):
        batch.append(record)
        if len(batch) == BATCH:
            cache.write_blocking(lambda c, b=batch: mail.upsert_emails(c, b))
            batch = []
    if batch:
        cache.write_blocking(lambda c, b=batch: mail.upsert_emails(c, b))
    elapsed = time.perf_counter() - started
    cache.close()
    ready.write_text("ok")
    return elapsed


def queries(rng: random.Random, n: int) -> list[tuple[str, str | None]]:
    words = [
        "cardiologie",
        "echographie",
        "créatinine",
        "dyspnée",
        "ordonnance",
        "irm",
        "radiographie",
        "bêtabloquant",
        "pénicilline",
        "téléexpertise",
        "bilan",
        "hypertension",
        "compte rendu",
        "lettre",
        "suivi",
        "synthese",
    ]
    prefixes = ["card", "pneu", "neph", "endo", "écho", "radi", "ord", "gér", "hémo", "dia"]
    mixed: list[tuple[str, str | None]] = []
    for _ in range(n):
        kind = rng.randrange(6)
        if kind == 0:
            text = rng.choice(words)
        elif kind == 1:
            text = rng.choice(prefixes)
        elif kind == 2:
            text = f"{rng.choice(FAMILY).lower()} {rng.choice(GIVEN)[:3]}"
        elif kind == 3:
            text = '"compte rendu opératoire"' if rng.random() < 0.5 else '"tension artérielle"'
        elif kind == 4:
            text = f"{rng.choice(words)} {rng.choice(SPECIALTIES)}"
        else:
            text = f"{rng.choice(GIVEN).lower()}.{rng.choice(FAMILY[:12]).lower()}@chu"
        mixed.append((text, "inbox" if rng.random() < 0.3 else None))
    return mixed


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run_searches(path: Path, n: int) -> None:
    opened = time.perf_counter()
    cache = Cache.open(path, KEY)
    with cache.read() as conn:
        first_page = mail.summaries(conn, mail.list_ids(conn, "inbox", limit=50))
        counts = mail.mailbox_counts(conn)
        total = mail.count_ids(conn, "inbox")
    inbox_ms = (time.perf_counter() - opened) * 1000
    print(
        f"open + inbox count + first page of 50 summaries + counts: {inbox_ms:.1f} ms "
        f"({len(first_page)} rows, inbox {total}, unread {counts['inbox'].unread})"
    )
    times: list[float] = []
    hits_total = 0
    with cache.read() as conn:
        search.search(conn, "warmup", 50)
        for text, mailbox in queries(random.Random(7), n):
            started = time.perf_counter()
            hits = search.search(conn, text, 50, mailbox_id=mailbox)
            times.append((time.perf_counter() - started) * 1000)
            hits_total += len(hits)
    cache.close()
    print(
        f"{n} searches (limit 50, 30 % within the inbox): p50 {percentile(times, 0.5):.1f} ms, "
        f"p95 {percentile(times, 0.95):.1f} ms, max {max(times):.1f} ms "
        f"(target p95 ≤ 50 ms); {hits_total / n:.1f} hits per search"
    )


ROW_SQL = (
    "CREATE TABLE emails (id TEXT PRIMARY KEY, thread_id TEXT, subject TEXT, sender TEXT, "
    "received_at INTEGER, preview TEXT, body TEXT)"
)


def insert_rows(conn: object, rows: list[tuple[object, ...]]) -> float:
    c = conn  # sqlite3.Connection or sqlcipher3.Connection: the same DB-API
    c.execute("PRAGMA journal_mode = WAL")  # type: ignore[attr-defined]
    c.execute("PRAGMA synchronous = NORMAL")  # type: ignore[attr-defined]
    c.execute(ROW_SQL)  # type: ignore[attr-defined]
    started = time.perf_counter()
    for start in range(0, len(rows), BATCH):
        c.execute("BEGIN")  # type: ignore[attr-defined]
        c.executemany(  # type: ignore[attr-defined]
            "INSERT INTO emails VALUES (?, ?, ?, ?, ?, ?, ?)", rows[start : start + BATCH]
        )
        c.execute("COMMIT")  # type: ignore[attr-defined]
    elapsed = time.perf_counter() - started
    c.close()  # type: ignore[attr-defined]
    return elapsed


def encryption_cost(count: int) -> None:
    rows = [
        (
            e.id,
            e.thread_id,
            e.subject,
            e.from_[0].email,
            int(e.received_at.timestamp() * 1000),
            e.preview,
            e.text_body,
        )
        for e in synthetic_emails(count)
    ]
    with tempfile.TemporaryDirectory() as folder:
        plain = insert_rows(sqlite3.connect(Path(folder) / "plain.db", isolation_level=None), rows)
        ciphered = sqlcipher3.connect(str(Path(folder) / "cipher.db"), isolation_level=None)
        ciphered.execute("PRAGMA cipher_log_level = NONE")
        KEY.apply(ciphered)
        encrypted = insert_rows(ciphered, rows)
    print(
        f"insert {count} rows in batches of {BATCH}: plain sqlite3 {plain:.2f} s, "
        f"SQLCipher {encrypted:.2f} s, ratio {encrypted / plain:.2f}×"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--cache", type=Path, default=Path(".bench-cache"))
    args = parser.parse_args()
    path = args.cache / f"search-{args.count}" / "cache.db"
    built = build(path, args.count)
    if built is None:
        print(f"reusing the cache of {args.count} messages in {path.parent}")
    else:
        size = sum(f.stat().st_size for f in path.parent.glob("cache.db*")) / 1e6
        print(
            f"built the encrypted cache of {args.count} messages through mail.upsert_emails "
            f"in {built:.1f} s ({args.count / built:.0f} messages/s, {size:.0f} MB)"
        )
    run_searches(path, args.searches)
    encryption_cost(args.count)
    print(
        f"reproduce: .venv/bin/python bench/search.py --count {args.count} "
        f"--searches {args.searches} --cache {args.cache}"
    )


if __name__ == "__main__":
    main()
