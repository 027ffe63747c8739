"""Screenshots of issue 14 §2's read receipts, for review: the composer asking for one
(composer-read-receipt.png), the receiver's reader offering « Envoyer / Ignorer »
(receipt-question.png, and at a small width), and the sender's reader once the receipt came back
(« Lu par … », receipt-read.png). Called by scripts/screenshots.py with its demo sandbox, or alone
(`python scripts/screenshots_receipts.py --out DIR`, under Xvfb), which generates a smaller demo
first.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.message.compose import OutgoingMessage  # noqa: E402
from app.records import Address, EmailRecord  # noqa: E402
from app.session import AccountSession  # noqa: E402
from scripts.screenshots_alone import run_alone  # noqa: E402
from server.demo.users import DEMO_PASSWORD  # noqa: E402
from server.testing import ServerThread  # noqa: E402
from ui import screenshots  # noqa: E402

GP_LOGIN = "helene.garnier"
KARIM = Address("Dr Karim Benali", "karim.benali@sisra-demo.mssante.fr")
SUBJECT = "Bilan biologique de M. Roux — merci de confirmer la lecture"


async def _until(ready: Callable[[], object], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        await asyncio.sleep(0.1)


def _asking(session: AccountSession) -> EmailRecord | None:
    with session.account.cache.read() as conn:
        from app.store import mail

        found = [mail.get_email(conn, i) for i in mail.email_ids(conn)]
    return next((e for e in found if e is not None and e.subject == SUBJECT), None)


async def shoot_receipts(server: ServerThread, work: Path, out: Path) -> list[Path]:
    from ui.composer.composer import Composer
    from ui.mail.reader import ReaderView

    url = server.base_url
    gp = await AccountSession.open(work / "receipts-gp", url, GP_LOGIN, DEMO_PASSWORD)
    karim = await AccountSession.open(work / "receipts-karim", url, "karim.benali", DEMO_PASSWORD)
    saved: list[Path] = []
    try:
        composer = Composer(gp)
        composer.to_field.add(KARIM)
        composer.subject_edit.setText(SUBJECT)
        composer.body.setPlainText("Cher confrère,\nvoici le bilan de M. Roux.\nBien à vous.")
        composer.read_receipt_box.setChecked(True)
        composer.resize(900, 620)
        saved.append(await screenshots.capture(composer, out / "composer-read-receipt.png"))

        message = OutgoingMessage(
            await gp.own_address(),
            [KARIM],
            subject=SUBJECT,
            text="Cher confrère,\nvoici le bilan de M. Roux.\nBien à vous.",
            read_receipt=True,
        )
        await gp.send(message)
        await gp.sync_once()
        await karim.sync_once()
        received = _asking(karim)
        assert received is not None
        for name, width in (("receipt-question", 900), ("receipt-question-small", 460)):
            view = ReaderView(karim)
            view.resize(width, 560)
            view.show_thread(received.thread_id, received.id, mark_read=False)
            assert view.cards[0].receipt_question is not None
            saved.append(await screenshots.capture(view, out / f"{name}.png"))
        await karim.send_read_receipt(received)
        await gp.sync_once()
        sent = _asking(gp)
        assert sent is not None
        mine = ReaderView(gp)
        mine.resize(900, 560)
        mine.show_thread(sent.thread_id, sent.id, mark_read=False)
        await _until(lambda: mine.cards[0].read_status is not None, "the receipt")
        saved.append(await screenshots.capture(mine, out / "receipt-read.png"))
    finally:
        await gp.close()
        await karim.close()
    for path in saved:
        print(f"{path.stem} : {path}", flush=True)
    return saved


def main(argv: list[str] | None = None) -> int:
    return run_alone(shoot_receipts, __doc__, argv, professionals=300)


if __name__ == "__main__":
    sys.exit(main())
