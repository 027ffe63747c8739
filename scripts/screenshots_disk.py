"""Screenshots of issue 17 §2, a full disk, for review: the main window whose status bar says the
data folder is full (« Synchronisé à » hidden meanwhile), at a normal and a narrow width
(disk-full-status.png, disk-full-status-narrow.png), and a composer whose draft could not be
saved (disk-full-composer.png). The states are the ones the app shows when the sync's writer or
the draft's save fails on a full disk (the tests fill a real tmpfs: tests/app/test_full_disk.py,
tests/ui/test_full_disk_*.py); here the same event and error are given without filling a disk,
which needs root. Alone: `python scripts/screenshots_disk.py --out DIR`, under Xvfb.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app import messages  # noqa: E402
from app.events import DiskChanged  # noqa: E402
from app.message.draft import Draft  # noqa: E402
from app.records import Address  # noqa: E402
from app.session import AccountSession  # noqa: E402
from scripts.screenshots_alone import run_alone  # noqa: E402
from server.demo.users import DEMO_PASSWORD  # noqa: E402
from server.testing import ServerThread  # noqa: E402
from ui import screenshots  # noqa: E402

GP_LOGIN = "helene.garnier"


async def shoot_disk(server: ServerThread, work: Path, out: Path) -> list[Path]:
    from ui.composer.composer import Composer
    from ui.shell.main_window import MainWindow

    session = await AccountSession.open(work / "disk-gp", server.base_url, GP_LOGIN, DEMO_PASSWORD)
    saved: list[Path] = []
    try:
        await session.sync_once()
        sizes = {"disk-full-status": (1280, 800), "disk-full-status-narrow": (900, 640)}
        for name, size in sizes.items():
            window = MainWindow(session, restore_drafts=False)
            window.resize(*size)
            session.bus.publish(DiskChanged(messages.DISK_ERROR))
            saved.append(await screenshots.capture(window, out / f"{name}.png"))

        composer = Composer(
            session,
            draft=Draft(
                to=(Address("Dr Karim Benali", "karim.benali@sisra-demo.mssante.fr"),),
                subject="Avis cardiologique — M. Roux",
                body="Cher confrère,\nje te remercie de revoir l'ECG joint.\nBien à toi.",
            ),
        )
        composer.keeps_draft = False  # the picture only: nothing saved when it closes
        composer.resize(900, 640)
        composer._draft_failed(messages.DISK_ERROR.text())  # what its save's failure calls
        saved.append(await screenshots.capture(composer, out / "disk-full-composer.png"))
    finally:
        await session.close()
    for path in saved:
        print(f"{path.stem} : {path}", flush=True)
    return saved


if __name__ == "__main__":
    sys.exit(run_alone(shoot_disk, __doc__, sys.argv[1:]))
