"""Screenshots of the directory under the national API's rules (issue 14 §4): a sandbox run with
`near` off shows "autour de moi" through the départements around; a cabinet's box with its type,
in a small window; and, on a sandbox allowing 1 request per second, the wait after a 429."""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from app.records import DirectoryQuery
from app.remote.rate import TokenBucket
from app.session import AccountSession
from server.demo.users import DEMO_PASSWORD
from server.testing import ServerThread, quick_config
from ui import screenshots
from ui.directory.search_form import RADII_KM
from ui.directory.view import DirectoryView

GP_LOGIN = "helene.garnier"
TIMEOUT = 60.0


async def _until(ready: Callable[[], object], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not ready():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        await asyncio.sleep(0.05)


def national_sandbox(demo_data: Path, work: Path) -> ServerThread:
    """A copy of the demo's data (made before any server starts) served with the national API's
    limits: 17 requests per second per application, no `near`. Not started."""
    data = work / "national-directory"
    shutil.copytree(demo_data, data)
    return ServerThread(quick_config(data, directory_rate_limit=17, directory_near=False))


def _view(session: AccountSession, width: int = 1040, height: int = 720) -> DirectoryView:
    view = DirectoryView(session)
    view.resize(width, height)
    view.show()
    return view


async def shoot_national_directory(server: ServerThread, work: Path, out: Path) -> list[Path]:
    saved: list[Path] = []
    session = await AccountSession.open(
        work / "national-gp", server.base_url, GP_LOGIN, DEMO_PASSWORD
    )
    try:
        around = _view(session)
        around.near_check.setChecked(True)
        around.radius_combo.setCurrentIndex(RADII_KM.index(10))
        around.search()
        await _until(lambda: not around.searching, "the search around")
        around.results.setCurrentIndex(around.results_model.index(0))
        saved.append(await screenshots.capture(around, out / "directory-national-around.png"))
        cabinet = sandbox_box(server, "CAB")
        small = _view(session, 800, 600)
        small.name_edit.setText(cabinet)
        small.search()
        await _until(lambda: not small.searching, "the cabinet's box")
        small.results.setCurrentIndex(small.results_model.index(0))
        path = out / "directory-national-cabinet-800.png"
        saved.append(await screenshots.capture(small, path))
        # A burst past the limit (another window's searches, with no pacing here): the sandbox
        # answers 429 and the page says it waits before trying again.
        session.directory_bucket = TokenBucket(rate=1000, burst=1000)
        session._directory = None  # the next client takes the eager bucket
        waiting = _view(session)
        waiting.name_edit.setText("Martin")
        burst = [
            asyncio.ensure_future(session.search_directory(DirectoryQuery(postal_code=f"{d:02d}")))
            for d in range(1, 40)
        ]
        waiting.search()
        await _until(lambda: "nouvel essai" in waiting.status_label.text(), "the directory's wait")
        path = out / "directory-national-waiting.png"
        saved.append(await screenshots.capture(waiting, path, seconds=0.05))
        await asyncio.gather(*burst, return_exceptions=True)
    finally:
        await session.close()
    for path in saved:
        print(f"{path.stem} : {path}", flush=True)
    return saved


def sandbox_box(server: ServerThread, kind: str) -> str:
    """The longest address of that type not on the liste rouge, from the sandbox's database."""
    with server.sandbox.db.read() as conn:
        row = conn.execute(
            "SELECT email FROM dir_mailbox WHERE kind = ? AND liste_rouge = 0 "
            "ORDER BY length(email) DESC LIMIT 1",
            (kind,),
        ).fetchone()
    return str(row[0])
