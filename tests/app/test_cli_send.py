"""`monsisra-cli send` as the composer sends (issue 14 §6): `--patient INS` puts the documents in
IHE_XDM.ZIP as CDA N1 with the X-MSS headers and the MSSanté names, `--read-receipt` asks for a
receipt, `--patient-no-reply` says the patient cannot answer; an unknown INS and a recipient
outside the trust space (§3) are refused in French, nothing queued. A separate process against
the real sandbox; the sent copy is read back raw from the sender's account."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
import io
import zipfile
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest

from app.message.doctypes import label_of
from app.message.mss import pdf_name
from app.message.patient import INS_NIR_OID, PatientIdentity, nir_key
from server.testing import ServerThread
from server.urls import REGIONAL_API_PATH
from tests.app.cli_helpers import as_alice, ok
from tests.app.jmap_helpers import jmap_client
from tests.server.conftest import ALICE, BOB, ServerFactory, account_id, get_token

NIL = "MONSISRA-BUREAU-TEST-01"
RPPS = "10001234567"
INS = "248017512345626"  # Marie Dupont's, in the regional patient directory
PATIENT = PatientIdentity(INS, INS_NIR_OID, "Marie", "Dupont", dt.date(1948, 1, 7), "female")
PDF = b"%PDF-1.4\n" + b"compte rendu " * 300 + b"\n%%EOF\n"


def other_ins() -> str:
    """A well-formed INS (its key right) that no patient of the sandbox has."""
    nir = "1690299123456"
    return f"{nir}{nir_key(nir):02d}"


@pytest.fixture
def mss_server(server_factory: ServerFactory) -> ServerThread:
    """A product reference, alice tied to her RPPS, Marie Dupont (qualified INS) in the regional
    patient directory, and a trust space of the sandbox's domain and patient mailboxes."""
    server = server_factory(
        mss_product_reference=NIL,
        trusted_domains=("sisra-demo.mssante.fr", "patient.mssante.fr"),
    )
    server.sandbox.accounts.link_practitioner(account_id(server, ALICE), "pr-alice", RPPS)
    created = httpx.post(
        server.base_url + REGIONAL_API_PATH + "/patients",
        headers={"Authorization": f"Bearer {get_token(server.base_url, ALICE)}"},
        json={
            "given": "Marie",
            "family": "Dupont",
            "birthDate": "1948-01-07",
            "sex": "female",
            "ins": INS,
            "insOid": INS_NIR_OID,
            "followReason": "prise_en_charge",
        },
    )
    assert created.status_code == 201, created.text
    return server


async def sent_copy(server: ServerThread, subject_start: str) -> EmailMessage:
    """alice's sent message whose subject starts so, as its raw MIME parsed."""
    async with jmap_client(server, ALICE) as alice:
        ids = (await alice.call_one("Email/query", {"filter": {"subject": subject_start}}))["ids"]
        assert len(ids) == 1
        got = await alice.get_all("Email", ids, ["blobId", "subject"])
        assert got[0]["subject"].startswith(subject_start)
        raw = await alice.download_bytes(got[0]["blobId"], "m.eml", "message/rfc822", 5_000_000)
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def report(tmp_path: Path) -> Path:
    path = tmp_path / "cr.pdf"
    path.write_bytes(PDF)
    return path


@pytest.mark.asyncio
async def test_send_with_patient_and_read_receipt_goes_as_the_composer_sends(
    mss_server: ServerThread, tmp_path: Path
) -> None:
    pdf = report(tmp_path)
    result = ok(
        as_alice(
            mss_server,
            tmp_path / "alice",
            *("send", "--to", BOB.email, "--body", "Cher confrère,"),
            *("--attach", f"{pdf}:11502-2", "--patient", "2 48 01 75 123 456 26"),
            "--read-receipt",
        )
    )
    assert result["state"] == "sent", result
    got = await sent_copy(mss_server, "XDM/1.0/DDM+")
    today = dt.date.today().strftime("%Y%m%d")
    label = label_of("11502-2")
    assert got["Subject"] == f"XDM/1.0/DDM+{label} DUPONT Marie 07/01/1948"
    assert got["X-MSS-NIL"] == NIL
    assert got["X-MSS-CODECDA"] == "11502-2"
    assert got["X-MSS-INS"] == "O"
    assert got["X-MSS-MES"] is None  # not to a patient mailbox
    assert email.utils.parseaddr(str(got["Disposition-Notification-To"]))[1] == ALICE.email
    names = [p.get_filename() for p in got.iter_attachments()]
    assert names == [pdf_name(dt.date.today(), "11502-2", PATIENT), "IHE_XDM.ZIP"]
    assert names[0].startswith(f"{today}_")
    assert names[0].endswith("_DUPONT_Marie.pdf")
    parts = list(got.iter_attachments())
    assert parts[0].get_content() == PDF
    with zipfile.ZipFile(io.BytesIO(parts[1].get_content())) as package:
        members = package.namelist()
        assert "IHE_XDM/SUBSET01/METADATA.XML" in members
        cda = package.read("IHE_XDM/SUBSET01/DOC0001.XML").decode()
    assert 'extension="248017512345626"' in cda
    assert f'extension="8{RPPS}"' in cda  # the author, by the RPPS the server gives


def test_an_unknown_ins_is_refused_in_french_and_nothing_is_queued(
    mss_server: ServerThread, tmp_path: Path
) -> None:
    data = tmp_path / "alice"
    pdf = report(tmp_path)
    for ins, said in (
        (other_ins(), "Aucun patient n'a cet INS dans l'annuaire patient régional"),
        ("248017512345627", "--patient attend l'INS du patient"),  # wrong key
    ):
        result = as_alice(
            mss_server,
            data,
            *("send", "--to", BOB.email, "--body", "x", "--attach", f"{pdf}:11502-2"),
            *("--patient", ins),
        )
        assert result.returncode != 0
        assert said in result.stderr
        assert ok(as_alice(mss_server, data, "outbox")) == []


def test_a_recipient_outside_the_trust_space_is_refused_and_nothing_is_queued(
    mss_server: ServerThread, tmp_path: Path
) -> None:
    data = tmp_path / "alice"
    result = as_alice(
        mss_server,
        data,
        *("send", "--to", BOB.email, "--to", "dr.x@gmail.com", "--cc", "y@Example.ORG"),
        *("--subject", "Hors liste", "--body", "x"),
    )
    assert result.returncode != 0
    assert "hors espace de confiance MSSanté : dr.x@gmail.com, y@Example.ORG" in result.stderr
    assert ok(as_alice(mss_server, data, "outbox")) == []
    sent = ok(
        as_alice(
            mss_server, data, "send", "--to", BOB.email, "--subject", "Dans la liste", "--body", "x"
        )
    )
    assert sent["state"] == "sent"


@pytest.mark.asyncio
async def test_to_a_patient_mailbox_the_patient_cannot_reply(
    mss_server: ServerThread, tmp_path: Path
) -> None:
    pdf = report(tmp_path)
    result = ok(
        as_alice(
            mss_server,
            tmp_path / "alice",
            *("send", "--to", f"{INS}@patient.mssante.fr", "--subject", "Vos résultats"),
            *("--body", "Bonjour,", "--attach", f"{pdf}:11502-2", "--patient", INS),
            "--patient-no-reply",
        )
    )
    assert result["error"] is None, result
    got = await sent_copy(mss_server, "Vos résultats")
    assert got["Subject"] == "Vos résultats"  # the user's own subject is kept
    assert got["X-MSS-MES"] == "FIN"
    assert got["X-MSS-INS"] == "O"
    assert got["Disposition-Notification-To"] is None


def test_offline_a_patient_cannot_be_looked_up_and_nothing_is_queued(
    mss_server: ServerThread, tmp_path: Path
) -> None:
    data = tmp_path / "alice"
    ok(as_alice(mss_server, data, "outbox"))  # a first login, then the server goes away
    mss_server.stop()
    pdf = report(tmp_path)
    result = as_alice(
        mss_server,
        data,
        *("send", "--to", BOB.email, "--body", "x", "--attach", f"{pdf}:11502-2"),
        *("--patient", INS),
    )
    assert result.returncode != 0
    assert "Les services régionaux ne sont pas disponibles hors connexion" in result.stderr
    assert ok(as_alice(mss_server, data, "outbox")) == []
