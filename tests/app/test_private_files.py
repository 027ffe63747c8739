"""Everything the client keeps is its user's only: after a real session (login, sync, a message
sent with a document, a document opened, logs written and rotated, settings saved) every folder of
the data root is 0700 and every file 0600 — the caches' -wal and -shm files included —, with the
usual umask (022) that would otherwise leave them readable by anyone; and an older install's open
modes are fixed at the next start."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import paths
from app import settings as settings_mod
from app.logs import PrivateFileHandler
from app.session import AccountSession
from server.demo.users import DEMO_PASSWORD
from server.testing import ServerThread
from tests.app.cli_helpers import cli, ok
from tests.app.test_sync_engine import GP


def modes(root: Path) -> dict[str, int]:
    """Every folder and file below `root` (itself included), with its permission bits."""
    found = {".": stat.S_IMODE(root.stat().st_mode)}
    for entry in root.rglob("*"):
        found[str(entry.relative_to(root))] = stat.S_IMODE(entry.lstat().st_mode)
    return found


def assert_private(root: Path) -> dict[str, int]:
    found = modes(root)
    for name, mode in found.items():
        wanted = paths.PRIVATE_DIR if (root / name).is_dir() else paths.PRIVATE_FILE
        assert mode == wanted, f"{name}: {oct(mode)}"
    return found


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """022, the usual default: what is not created private comes out readable by anyone."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.asyncio
@pytest.mark.usefixtures("usual_umask")
async def test_every_folder_and_file_of_a_session_is_private(
    demo_server: ServerThread, tmp_path: Path
) -> None:
    data = tmp_path / "client"
    temp = tmp_path / "tmp"
    temp.mkdir()
    ok(cli(demo_server.base_url, GP.login, DEMO_PASSWORD, data, "sync"))
    document = tmp_path / "compte-rendu.pdf"
    document.write_bytes(b"%PDF-1.4\nConclusion\n%%EOF")
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
            "Suivi",
            "--body",
            "Texte",
            "--attach",
            f"{document}:11488-4",
        )
    )
    settings_mod.save(data, settings_mod.Settings(last_login=GP.login))

    session = await AccountSession.open(data, demo_server.base_url, GP.login, DEMO_PASSWORD)
    session.attachments._temp_root = temp  # the viewer's private copies, where we can see them
    try:
        with_document = next(
            email
            for summary in session.summaries(session.list_ids(None, limit=200))
            if summary.has_attachment
            for email in session.thread(summary.thread_id)
            if email.attachments
        )
        attachment = with_document.attachments[0]
        copy = await session.open_document(
            attachment.blob_id, attachment.name or "document", attachment.type, attachment.size
        )
        assert copy.is_file()
        # Open: the writer's and readers' -wal and -shm files are there, private too.
        open_now = assert_private(data)
        account = next(name for name in open_now if name.endswith("cache.sqlite3"))
        assert {f"{account}-wal", f"{account}-shm"} <= set(open_now)
        unsent = account.replace("cache.sqlite3", "unsent.sqlite3")
        assert {unsent, f"{unsent}-wal", f"{unsent}-shm"} <= set(open_now)
        assert_private(copy.parent.parent)  # the session's private folder in the temp one
    finally:
        await session.close()

    # Logs, rotated as at midnight: the rotated file and the new one.
    handler = PrivateFileHandler(data / "logs" / "monsisra.log", when="midnight", backupCount=3)
    handler.emit(logging.makeLogRecord({"msg": "avant minuit"}))
    handler.doRollover()
    handler.emit(logging.makeLogRecord({"msg": "après minuit"}))
    handler.close()

    found = assert_private(data)
    names = {Path(name).name for name in found}
    assert {"vault.json", "cache.sqlite3", "unsent.sqlite3", "settings.json"} <= names
    assert len([n for n in names if n.startswith("monsisra.log")]) == 2


def test_an_older_install_is_made_private_at_start_and_nothing_else_is_touched(
    tmp_path: Path,
) -> None:
    root = tmp_path / "data"
    account = root / "accounts" / "helene-garnier-0123456789abcdef"
    account.mkdir(parents=True, mode=0o755)
    (root / "accounts").chmod(0o755)
    root.chmod(0o755)
    (root / "logs").mkdir(mode=0o755)
    for path in (
        account / "cache.sqlite3",
        account / "vault.json",
        root / "logs" / "monsisra.log",
        root / "logs" / "monsisra.log.2026-12-01",
        root / "settings.json",
    ):
        path.write_bytes(b"x")
        path.chmod(0o644)
    theirs = root / "notes-personnelles.txt"  # not ours: --data may be a shared folder
    theirs.write_bytes(b"x")
    theirs.chmod(0o644)

    assert paths.secure_data_root(root) == 9  # 4 folders, 5 files
    theirs.unlink()
    assert_private(root)
    assert paths.secure_data_root(root) == 0
