"""Screenshots of issue 14 §1, for review: the composer writing to a patient's mailbox (the option
« Le patient ne peut pas répondre » checked), and its refusals — an INS that is not qualified,
the mailbox of another patient (one patient per message), over 25 Mo —, one of them in a small
window. Called by scripts/screenshots.py with its demo sandbox, or alone (`python
scripts/screenshots_mss.py --out DIR`, under Xvfb), which generates a smaller demo first.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.message.draft import ChosenPatient  # noqa: E402
from app.message.patient import INS_NIR_OID, INS_NIR_TEST_OID, PatientIdentity  # noqa: E402
from app.records import Address  # noqa: E402
from app.session import AccountSession  # noqa: E402
from scripts.screenshots_alone import run_alone  # noqa: E402
from server.demo.users import DEMO_PASSWORD  # noqa: E402
from server.testing import ServerThread  # noqa: E402
from ui import screenshots  # noqa: E402

GP_LOGIN = "helene.garnier"
INS = "248017512345626"
OTHER_MAILBOX = "175069912304551@patient.mssante.fr"


def _patient(oid: str) -> ChosenPatient:
    identity = PatientIdentity(INS, oid, "Marie-Christine", "Dupont-Lefèvre", dt.date(1948, 1, 7))
    return ChosenPatient(None, identity)


async def shoot_patient_mailbox(server: ServerThread, work: Path, out: Path) -> list[Path]:
    from ui.composer.composer import Composer
    from ui.documents import Document

    gp = await AccountSession.open(work / "mss-gp", server.base_url, GP_LOGIN, DEMO_PASSWORD)
    saved: list[Path] = []
    folder = work / "mss-documents"
    folder.mkdir(parents=True, exist_ok=True)
    try:

        def composer(size: int = 40_000) -> Composer:
            report = folder / f"resultats-{size}.pdf"
            with report.open("wb") as f:
                f.write(b"%PDF-1.4 ")
                f.truncate(size)
            window = Composer(gp)
            window.keeps_draft = False
            window.resize(900, 720)
            window.documents.add(Document.of(report, "11502-2"))
            window.to_field.add(
                Address("Marie-Christine Dupont-Lefèvre", f"{INS}@patient.mssante.fr")
            )
            window.subject_edit.setText("Vos résultats d'analyses")
            window.body.setPlainText("Bonjour Madame,\n\nVoici vos résultats, normaux.\n")
            return window

        async def refused(window: Composer, name: str) -> None:
            window.show()
            window.send()
            deadline = time.monotonic() + 20
            while not window.notice.isVisible() and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            saved.append(await screenshots.capture(window, out / f"{name}.png"))

        ready = composer()
        ready.set_patient(_patient(INS_NIR_OID))
        ready.no_reply_check.setChecked(True)
        saved.append(await screenshots.capture(ready, out / "composer-patient-mailbox.png"))

        unqualified = composer()
        unqualified.set_patient(_patient(INS_NIR_TEST_OID))
        await refused(unqualified, "composer-patient-mailbox-not-qualified")

        other = composer()
        other.set_patient(_patient(INS_NIR_OID))
        other.cc_field.add(Address(None, OTHER_MAILBOX))
        other.resize(640, 560)
        await refused(other, "composer-patient-mailbox-other-patient-small")

        heavy = composer(size=30 * 1024 * 1024)
        heavy.set_patient(_patient(INS_NIR_OID))
        await refused(heavy, "composer-patient-mailbox-too-large")
    finally:
        await gp.close()
    for path in saved:
        print(f"{path.stem} : {path}", flush=True)
    return saved


def main(argv: list[str] | None = None) -> int:
    return run_alone(shoot_patient_mailbox, __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())
