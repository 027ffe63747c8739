"""`make screenshots`: every main screen of the app to PNG, for review (run under Xvfb:
`xvfb-run -a -s "-screen 0 1280x800x24" python scripts/screenshots.py`).

A sandbox with demo data runs in this process (this dev tool may import server/; ui/ never does);
the login window is painted first, then the demo GP's account is opened and every screen module's
`demo_screenshot(session)` is rendered by ui.screenshots (a module not in this build is skipped
with a printed line).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app import logs  # noqa: E402
from app.session import AccountSession  # noqa: E402
from server import demo  # noqa: E402
from server.context import Sandbox  # noqa: E402
from server.demo.users import DEMO_PASSWORD  # noqa: E402
from server.testing import ServerThread, quick_config  # noqa: E402
from ui import screenshots, theme  # noqa: E402
from ui import settings as settings_mod  # noqa: E402
from ui.app import install_translations, make_application  # noqa: E402
from ui.login.window import DemoHint, LoginWindow  # noqa: E402

GP_LOGIN = "helene.garnier"
SYNC_TIMEOUT = 120.0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--out", type=Path, default=Path("screenshots"))
    p.add_argument("--professionals", type=int, default=3_000, help="directory size (speed)")
    return p.parse_args(argv)


async def shoot(server_url: str, work: Path, out: Path) -> list[Path]:
    client = work / "client"
    settings_mod.use(client)
    settings_mod.override(server_url=server_url)
    login = LoginWindow(client, DemoHint(GP_LOGIN, DEMO_PASSWORD))
    saved = [await screenshots.capture(login, out / "login.png")]
    print(f"login : {saved[0]}", flush=True)

    session = await AccountSession.open(client, server_url, GP_LOGIN, DEMO_PASSWORD)
    try:
        session.start()
        deadline = time.monotonic() + SYNC_TIMEOUT
        while session.unread_total() == 0 and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        await asyncio.sleep(2.0)  # the rest of the first sync
        saved += await screenshots.render_session_screens(session, out)
    finally:
        await session.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out: Path = args.out.resolve()
    logs.setup(None)  # the in-memory ring the Journal shows, as the app sets it up
    app = make_application(sys.argv[:1])
    translators = install_translations(app)
    theme.apply(app)
    with tempfile.TemporaryDirectory(prefix="monsisra-shots-") as tmp:
        work = Path(tmp)
        data = work / "server"
        print("Génération des données de démonstration…", flush=True)
        sandbox = Sandbox(quick_config(data))
        try:
            demo.generate(sandbox, professionals=args.professionals)
        finally:
            sandbox.close()
        with ServerThread(quick_config(data)) as server:
            import qasync

            saved = qasync.run(shoot(server.base_url, work, out))
    del translators
    print(f"{len(saved)} captures dans {out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
