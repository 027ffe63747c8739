"""Documents over the server's limits are refused when inserted, with a French sentence naming the
size and the limit; the type is not even asked."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.session import AccountSession
from server.testing import ServerThread
from tests.server.conftest import ALICE
from tests.ui.composer_helpers import drop_files
from tests.ui.conftest import run_sync
from ui.composer.composer import Composer


def test_a_file_over_the_upload_limit_is_refused_with_the_sizes(
    qtbot: QtBot,
    qloop: asyncio.AbstractEventLoop,
    server_factory: Callable[..., ServerThread],
    tmp_path: Path,
) -> None:
    server = server_factory(max_size_upload=200_000)
    session = run_sync(
        qtbot,
        AccountSession.open(tmp_path / "client", server.base_url, ALICE.login, ALICE.password),
    )
    try:
        composer = Composer(session)
        qtbot.addWidget(composer)
        composer.show()
        qtbot.waitUntil(lambda: composer.inserter.limits is not None, timeout=10_000)
        asked: list[str] = []
        composer.inserter.choose_type = lambda path: asked.append(path.name) or "autre"
        big = tmp_path / "scanner.pdf"
        big.write_bytes(b"0" * 1_200_000)
        small = tmp_path / "courrier.pdf"
        small.write_bytes(b"0" * 10_000)

        drop_files(composer, [big, small])
        qtbot.waitUntil(lambda: len(composer.documents.documents) == 1)
        assert [d.name for d in composer.documents.documents] == ["courrier.pdf"]
        assert asked == ["courrier.pdf"]
        assert composer.notice.isVisible()
        assert "« scanner.pdf »" in composer.notice_text
        assert "1,1 Mo" in composer.notice_text  # its size
        assert "0,2 Mo" in composer.notice_text  # the server's limit
    finally:
        run_sync(qtbot, session.close())
