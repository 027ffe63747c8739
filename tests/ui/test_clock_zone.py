"""Issue 17 §3 on screen: « Synchronisé à … » and the message list follow a time-zone change at
their next render, and two messages received at 02:30 the night summer time ends (Europe/Paris,
2026-10-25) are listed in the order they came, while the cache's instants (UTC) do not move."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

from pytestqt.qtbot import QtBot

from app.events import OutboxChanged
from app.session import AccountSession
from server.testing import ServerThread
from tests.faults import clock
from tests.ui import mail_helpers
from tests.ui.conftest import GP_LOGIN
from ui.mail.conversation_delegate import compact_date
from ui.shell.main_window import MainWindow

window = mail_helpers.window  # the fixtures
zone = clock.zone

CEST_0230 = dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)
CET_0230 = dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC)  # an hour later, the same wall time


def deliver(server: ServerThread, subject: str, received_at: dt.datetime) -> None:
    account = server.sandbox.accounts.by_login(GP_LOGIN)
    assert account is not None
    msg = EmailMessage()
    msg["From"] = "Laboratoire <labo@ch-exemple.mssante.fr>"
    msg["To"] = account.email
    msg["Subject"] = subject
    msg["Message-ID"] = f"<clock-{uuid.uuid4().hex}@ch-exemple.mssante.fr>"
    msg.set_content("Résultats disponibles.")
    server.sandbox.mail.import_message(account.id, msg.as_bytes(), received_at=received_at)


def stored_ms(session: AccountSession, subject: str) -> int:
    with session.account.cache.read() as conn:
        row = conn.execute(
            "SELECT received_at FROM emails WHERE subject = ?", (subject,)
        ).fetchone()
    assert row is not None
    return int(row[0])


def test_the_status_bar_and_the_list_follow_the_zone_and_the_night_of_the_dst_change(
    qtbot: QtBot,
    window: MainWindow,
    ui_session: AccountSession,
    demo_server: ServerThread,
    zone: Callable[[str], None],
) -> None:
    zone("Europe/Paris")
    tag = uuid.uuid4().hex[:4]
    before, after = f"Bilan {tag} (heure d'été)", f"Bilan {tag} (heure d'hiver)"
    deliver(demo_server, after, CET_0230)  # delivered in the other order: the date decides
    deliver(demo_server, before, CEST_0230)
    model = window.conversations.model

    def rows() -> dict[str, int]:
        subjects = {model.summary(r).subject: r for r in range(model.rowCount())}  # type: ignore[union-attr]
        return {s: r for s, r in subjects.items() if s in (before, after)}

    ui_session.sync_now()
    qtbot.waitUntil(lambda: len(rows()) == 2, timeout=30_000)
    assert rows()[after] < rows()[before]  # newest first: 02:30 CET came after 02:30 CEST
    instants = {s: stored_ms(ui_session, s) for s in (before, after)}
    assert instants == {
        before: int(CEST_0230.timestamp() * 1000),
        after: int(CET_0230.timestamp() * 1000),
    }

    status = window.status
    qtbot.waitUntil(lambda: status.synced_at is not None, timeout=30_000)
    synced_at = status.synced_at
    assert synced_at is not None
    assert synced_at.tzinfo is dt.UTC

    def shown_in(name: str) -> str:
        return "Synchronisé à " + synced_at.astimezone(ZoneInfo(name)).strftime("%H:%M")

    assert status.last_sync.text() == shown_in("Europe/Paris")
    for name in ("Indian/Reunion", "America/Cayenne", "Pacific/Noumea"):
        zone(name)
        ui_session.bus.publish(OutboxChanged(pending=0, failed=0))  # any status event re-renders
        qtbot.waitUntil(lambda n=name: status.last_sync.text() == shown_in(n))  # type: ignore[misc]
        assert status.synced_at == synced_at
        # The list's dates too, at its next paint (the delegate reads the zone each time).
        summary = model.summary(rows()[after])
        assert summary is not None
        local = CET_0230.astimezone(ZoneInfo(name))
        assert compact_date(summary.received_at) == local.strftime("%d/%m")
    assert {s: stored_ms(ui_session, s) for s in (before, after)} == instants

    shots = os.environ.get("CLOCK_SHOTS")  # review: the window in Nouméa's zone
    if shots:
        window.conversations.update()
        qtbot.wait(200)
        window.grab().save(str(Path(shots) / "clock-zone-noumea.png"))
