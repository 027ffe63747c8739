"""Screenshots of issue 14 §5's « Traces de la messagerie », for review: empty (traces-empty.png),
full after a first sync, sends, reads, moves and deletions (traces-full.png), in a narrow window
(traces-narrow.png), with long subjects and addresses (traces-long.png), the filter finding
nothing (traces-no-match.png), and the settings' « Conserver les traces » (traces-settings.png).
Alone: `python scripts/screenshots_traces.py --out DIR`, under Xvfb.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.message.compose import OutgoingMessage  # noqa: E402
from app.records import Address, Trace, TraceAction  # noqa: E402
from app.session import AccountSession  # noqa: E402
from scripts.screenshots_alone import run_alone  # noqa: E402
from server.demo.users import DEMO_PASSWORD  # noqa: E402
from server.testing import ServerThread  # noqa: E402
from ui import screenshots  # noqa: E402

GP_LOGIN = "helene.garnier"
KARIM = Address("Dr Karim Benali", "karim.benali@sisra-demo.mssante.fr")
LONG_SUBJECT = (
    "Compte rendu opératoire détaillé de Mme Anne-Sophie de La Rochefoucauld-Montmorency, "
    "hospitalisée du 12 au 19 novembre, avec les résultats du bilan biologique complet"
)


async def shoot_traces(server: ServerThread, work: Path, out: Path) -> list[Path]:
    from app import settings as settings_mod
    from app.store import traces
    from ui.desktop.settings_local import SecurityCard
    from ui.traces.dialog import TracesDialog

    gp = await AccountSession.open(work / "traces-gp", server.base_url, GP_LOGIN, DEMO_PASSWORD)
    saved: list[Path] = []
    try:
        empty = TracesDialog(gp)
        empty.resize(1100, 560)
        saved.append(await screenshots.capture(empty, out / "traces-empty.png"))

        await gp.sync_once()
        await gp.send(
            OutgoingMessage(
                await gp.own_address(),
                [KARIM],
                subject="Bilan biologique de M. Roux",
                text="Cher confrère,\nvoici le bilan.\nBien à vous.",
            )
        )
        await gp.sync_once()
        inbox = gp.mailbox_by_role("inbox")
        archive = gp.mailbox_by_role("archive")
        assert inbox is not None
        assert archive is not None
        ids = gp.list_ids(inbox.id, limit=4)
        await gp.set_seen(ids[:2], True)
        await gp.move(ids[2:3], archive.id)
        await gp.delete(ids[3:4])
        full = TracesDialog(gp)
        full.resize(1100, 560)
        saved.append(await screenshots.capture(full, out / "traces-full.png"))
        narrow = TracesDialog(gp)
        narrow.resize(480, 420)
        saved.append(await screenshots.capture(narrow, out / "traces-narrow.png"))

        me = (await gp.own_address()).email
        at = datetime.now(UTC) + timedelta(days=400)  # above the demo's messages
        long_rows = [
            Trace(
                at,
                TraceAction.RECEIVED,
                "secretariat.chirurgie.orthopedique.pediatrique@chu-grenoble-alpes.mssante.fr",
                "<a@x>",
                LONG_SUBJECT,
                me,
            ),
            Trace(
                at - timedelta(minutes=3),
                TraceAction.RECEIPT_SENT,
                me,
                "<b@x>",
                "<b>Résultats</b> " + LONG_SUBJECT,
                "secretariat.chirurgie.orthopedique.pediatrique@chu-grenoble-alpes.mssante.fr",
            ),
        ]
        await gp.account.cache.write(lambda c: traces.add(c, long_rows))
        long_view = TracesDialog(gp)
        long_view.resize(1100, 560)
        saved.append(await screenshots.capture(long_view, out / "traces-long.png"))
        no_match = TracesDialog(gp)
        no_match.resize(1100, 560)
        no_match.search_edit.setText("aucun message ne contient ceci")
        no_match.refresh()
        saved.append(await screenshots.capture(no_match, out / "traces-no-match.png"))

        card = SecurityCard(settings_mod.current())
        card.resize(620, card.sizeHint().height())
        saved.append(await screenshots.capture(card, out / "traces-settings.png"))
    finally:
        await gp.close()
    for path in saved:
        print(f"{path.stem} : {path}", flush=True)
    return saved


def main(argv: list[str] | None = None) -> int:
    return run_alone(shoot_traces, __doc__, argv, professionals=300)


if __name__ == "__main__":
    sys.exit(main())
