"""At rest, after a real session of the client (sync, search, send with a document): the cache
files (database, -wal, -shm), the vault, the logs and the temporary folder hold no plaintext of a
known subject, body, patient name, password or token."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from server.demo.users import DEMO_PASSWORD
from server.testing import ServerThread
from tests.app.cli_helpers import cli, ok
from tests.app.jmap_helpers import jmap_client
from tests.app.test_sync_engine import GP

TOKEN = re.compile(rb"(?:at|rt)_[A-Za-z0-9_-]{20,}")


def _all_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


@pytest.mark.asyncio
async def test_nothing_readable_is_left_on_disk_after_a_session(
    demo_server: ServerThread, tmp_path: Path
) -> None:
    async with jmap_client(demo_server, GP) as client:
        answer = await client.call_one(
            "Email/query", {"filter": {"subject": "Adressage", "hasAttachment": True}, "limit": 1}
        )
        got = await client.get_all(
            "Email", answer["ids"], ["subject", "preview"], fetchTextBodyValues=True
        )
    subject = got[0]["subject"]  # e.g. "RE: Adressage M. Marc Boucher — diabète déséquilibré"
    patient_name = subject.split("—")[0].split()[-1]  # the patient's family name
    body_words = " ".join(got[0]["preview"].split()[2:8])
    assert len(patient_name) > 3
    assert len(body_words) > 15

    data = tmp_path / "client"
    temp = tmp_path / "tmp"
    temp.mkdir()
    ok(cli(demo_server.base_url, GP.login, DEMO_PASSWORD, data, "sync", tmp=temp))
    hits = ok(
        cli(demo_server.base_url, GP.login, DEMO_PASSWORD, data, "search", patient_name, tmp=temp)
    )
    assert hits, "the search finds the patient in the cache"
    document = tmp_path / f"compte rendu {patient_name}.pdf"
    document.write_bytes(b"%PDF-1.4\n" + f"Conclusion pour {patient_name}".encode() + b"\n%%EOF")
    ok(
        cli(
            demo_server.base_url,
            GP.login,
            DEMO_PASSWORD,
            data,
            "send",
            "--to",
            "karim.benali@sisra-demo.mssante.fr",
            "--subject",
            f"Suivi {patient_name} confidentiel",
            "--body",
            "Texte clinique très confidentiel",
            "--attach",
            f"{document}:11488-4",
            tmp=temp,
        )
    )
    document.unlink()

    files = sorted(p.name for p in data.rglob("*") if p.is_file())
    assert any(name.endswith(".sqlite3") or name.endswith(".db") for name in files), files
    assert any(p.suffix == ".log" or ".log" in p.name for p in data.rglob("*")), files
    stored = _all_bytes(data) + _all_bytes(temp)
    for secret in (
        subject,
        body_words,
        patient_name,
        "Texte clinique très confidentiel",
        DEMO_PASSWORD,
    ):
        for encoding in ("utf-8", "utf-16-le"):
            assert secret.encode(encoding) not in stored, secret
    assert TOKEN.search(stored) is None
    assert list(temp.iterdir()) == []  # nothing left in the temporary folder
