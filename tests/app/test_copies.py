"""No decrypted copy of a document outlives its session: not after a SIGKILL (the next opening of
the account removes it), not after going from offline to online, and never a folder that another
account, another running process or nobody in particular owns."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest

from app import paths
from app.copies import FOLDER_PREFIX, MARKER, PrivateCopies, SessionClosed, account_tag
from app.session import AccountSession
from server.testing import ServerThread, quick_config
from tests.app.copies_child import first_document
from tests.app.waiting import until
from tests.server.conftest import ALICE, BOB, User

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def runtime_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This user's runtime folder (XDG_RUNTIME_DIR, 0700), for this process and its children."""
    folder = tmp_path / "run"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    return folder


def copy_folders(base: Path) -> list[Path]:
    return sorted(p for p in base.iterdir() if p.name.startswith(FOLDER_PREFIX))


def deliver_document(server: ServerThread, user: User, name: str) -> None:
    """A message with a PDF lands in `user`'s inbox, as an incoming mail server would deliver it."""
    account = server.sandbox.accounts.by_login(user.login)
    assert account is not None
    msg = EmailMessage()
    msg["From"] = "Dr Claire Petit <claire.petit@sisra-demo.mssante.fr>"
    msg["To"] = user.email
    msg["Subject"] = f"Compte rendu pour {user.login}"
    msg["Message-ID"] = f"<copies-{user.login}-{name}@sisra-demo.mssante.fr>"
    msg.set_content("Veuillez trouver ci-joint le compte rendu.")
    msg.add_attachment(PDF, maintype="application", subtype="pdf", filename=name)
    with server.sandbox.db.write():
        server.sandbox.mail.import_message(
            account.id, msg.as_bytes(), received_at=datetime.now(UTC)
        )


class Child:
    """`tests/app/copies_child.py`: a client process holding a copy open until it is killed."""

    def __init__(self, server: ServerThread, user: User, data: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MONSISRA_")}
        env["MONSISRA_PASSWORD"] = user.password
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.app.copies_child",
                server.base_url,
                user.login,
                str(data),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def copy(self) -> Path:
        """The private copy it opened (once it said so)."""
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            assert self.process.stderr is not None
            raise AssertionError(self.process.stderr.read())
        return Path(json.loads(line)["copy"])

    def kill(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        assert self.process.wait(timeout=30) == -signal.SIGKILL


@pytest.fixture
def children() -> Iterator[list[Child]]:
    started: list[Child] = []
    yield started
    for child in started:
        child.kill()
        for stream in (child.process.stdout, child.process.stderr):
            if stream is not None:
                stream.close()


def session_folder(copy: Path) -> Path:
    """The session's folder of a copy (…/monsisra-copies-XXXX/YYYY/name.pdf)."""
    return copy.parent.parent


def test_copies_of_a_killed_session_go_at_the_next_opening_and_no_one_elses(
    server: ServerThread, runtime_dir: Path, tmp_path: Path, children: list[Child]
) -> None:
    deliver_document(server, ALICE, "compte-rendu-alice.pdf")
    deliver_document(server, BOB, "compte-rendu-bob.pdf")
    alice_data, bob_data = tmp_path / "alice", tmp_path / "bob"
    killed = Child(server, ALICE, alice_data)
    children.append(killed)
    killed_copy = killed.copy()
    # Alice also in a second process still running on another data folder (on one data folder,
    # one process at a time: app/account/lock.py), and Bob, another account on the same machine:
    # their copies are in use.
    running = Child(server, ALICE, tmp_path / "alice-elsewhere")
    children.append(running)
    other = Child(server, BOB, bob_data)
    children.append(other)
    running_copy, other_copy = running.copy(), other.copy()
    assert killed_copy.read_bytes() == PDF
    assert killed_copy.name == "compte-rendu-alice.pdf"
    assert session_folder(killed_copy).parent == runtime_dir  # the per-user runtime folder
    assert stat.S_IMODE(session_folder(killed_copy).stat().st_mode) == 0o700
    assert stat.S_IMODE(killed_copy.stat().st_mode) == 0o600
    # A folder that merely looks like ours (no marker): never touched.
    stranger = runtime_dir / (FOLDER_PREFIX + "autre")
    stranger.mkdir()
    (stranger / "garder.txt").write_text("pas à nous")

    killed.kill()
    assert killed_copy.exists()  # nothing cleans up after a SIGKILL …

    async def reopen() -> None:
        session = await AccountSession.open(
            alice_data, server.base_url, ALICE.login, ALICE.password
        )
        await session.close()

    asyncio.run(reopen())
    # … until the same account opens again.
    assert not session_folder(killed_copy).exists()
    assert running_copy.read_bytes() == PDF
    assert other_copy.read_bytes() == PDF
    assert (stranger / "garder.txt").exists()
    assert copy_folders(runtime_dir) == sorted(
        [session_folder(running_copy), session_folder(other_copy), stranger]
    )


@pytest.mark.asyncio
async def test_copies_opened_offline_then_online_all_go_when_the_session_closes(
    server_factory: Callable[..., ServerThread], runtime_dir: Path, tmp_path: Path
) -> None:
    data = tmp_path / "sandbox"
    first = server_factory(data_dir=data)
    deliver_document(first, ALICE, "ordonnance.pdf")
    url, client = first.base_url, tmp_path / "client"
    online = await AccountSession.open(client, url, ALICE.login, ALICE.password)
    try:
        assert online.engine is not None
        await online.engine.sync_once()
        document = first_document(online)
        await online.attachments.ensure(document.blob_id, "ordonnance.pdf", document.type)
    finally:
        await online.close()
    first.stop()

    session = await AccountSession.open(client, url, ALICE.login, ALICE.password)
    again: ServerThread | None = None
    try:
        assert not session.online
        session.start()  # tries to reconnect by itself
        offline_attachments = session.attachments
        offline_copy = await session.open_document(
            document.blob_id, "ordonnance.pdf", document.type
        )
        assert offline_copy.read_bytes() == PDF
        again = ServerThread(quick_config(data), port=int(url.rsplit(":", 1)[1])).start()
        await until(lambda: session.attachments is not offline_attachments, timeout=40)
        # Still open in the viewer, perhaps: the copy stays as long as the session does.
        assert offline_copy.exists()
        online_copy = await session.open_document(document.blob_id, "ordonnance.pdf", document.type)
        assert online_copy != offline_copy
    finally:
        await session.close()
        if again is not None:
            again.stop()
    assert not offline_copy.exists()
    assert not online_copy.exists()
    assert copy_folders(runtime_dir) == []


def test_a_closed_session_makes_no_new_copy(tmp_path: Path) -> None:
    copies = PrivateCopies(tmp_path / "account", base=tmp_path)
    place = copies.new_place()
    assert place.parent == copies.folder
    copies.wipe()
    assert not place.exists()
    with pytest.raises(SessionClosed):
        copies.new_place()  # an open that ends after the lock would leave a copy behind
    assert copy_folders(tmp_path) == []


def _died(copies: PrivateCopies) -> Path:
    """Its process died: the OS let the marker's lock go (the folder stays)."""
    assert copies._marker_fd is not None
    assert copies.folder is not None
    os.close(copies._marker_fd)
    return copies.folder


def test_a_sweep_takes_only_this_accounts_folders_that_nobody_holds(tmp_path: Path) -> None:
    account, other_account = tmp_path / "a", tmp_path / "b"
    base = tmp_path / "base"
    base.mkdir()
    live = PrivateCopies(account, base=base)
    live.new_place()
    other = PrivateCopies(other_account, base=base)
    other.new_place()
    dead = PrivateCopies(account, base=base)
    dead.new_place()
    dead_folder = _died(dead)
    # A link to a left-behind folder of this account is not followed out of the base.
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    outside = PrivateCopies(account, base=elsewhere)
    outside.new_place()
    link = base / (FOLDER_PREFIX + "lien")
    link.symlink_to(_died(outside), target_is_directory=True)
    # A look-alike without our marker is not ours.
    unmarked = base / (FOLDER_PREFIX + "autre")
    unmarked.mkdir()
    assert (live.new_place().parent / MARKER).read_text() == account_tag(account)

    assert PrivateCopies(account, base=base).sweep() == 1
    assert not dead_folder.exists()
    assert copy_folders(base) == sorted([live.folder, other.folder, link, unmarked])
    assert copy_folders(elsewhere) == [outside.folder]
    live.wipe()
    other.wipe()


def test_a_copy_a_viewer_still_holds_keeps_its_folder_marked_for_the_next_sweep(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Windows a file open in another program cannot be removed (a viewer still showing the
    document when the session ends); here the OS's refusal is played by a failing unlink."""
    account = tmp_path / "a"
    copies = PrivateCopies(account, base=tmp_path)
    held = copies.new_place() / "compte rendu.pdf"
    held.write_bytes(PDF)
    folder = copies.folder
    assert folder is not None
    real_unlink = os.unlink

    def viewer_holds(path: str, *, dir_fd: int | None = None) -> None:
        if os.path.basename(path) == held.name:
            raise PermissionError(13, "used by another process")
        real_unlink(path, dir_fd=dir_fd)

    monkeypatch.setattr(os, "unlink", viewer_holds)
    copies.wipe()
    assert held.exists()
    assert (folder / MARKER).read_text() == account_tag(account)  # still ours, and not held
    monkeypatch.setattr(os, "unlink", real_unlink)  # the viewer let it go
    assert PrivateCopies(account, base=tmp_path).sweep() == 1
    assert not folder.exists()


def test_copies_go_to_the_runtime_folder_only_when_it_is_this_users_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    private = tmp_path / "run"
    private.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(private))
    assert paths.copies_base() == private
    private.chmod(0o755)  # others may enter: not a runtime folder to trust
    assert paths.copies_base() != private
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "absent"))
    assert paths.copies_base() != tmp_path / "absent"
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    assert paths.copies_base() == Path(tempfile.gettempdir())
