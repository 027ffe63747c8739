"""Screenshots of issue 15's Pro Santé Connect login, for review: the login window offering both
ways in (psc-login.png), waiting for the browser, the e-CPS code from a real push request with its
countdown, the passphrase at a first PSC login with a weak one refused, the practice choice with
the PSC simulé's labels, and a small window. Called by scripts/screenshots.py with its demo
sandbox (PSC simulé on), or alone (`python scripts/screenshots_psc.py --out DIR`, under Xvfb).
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

import httpx  # noqa: E402

from app import settings as settings_mod  # noqa: E402
from app.account import psc  # noqa: E402
from scripts.screenshots_alone import run_alone  # noqa: E402
from server.testing import ServerThread  # noqa: E402
from ui import screenshots  # noqa: E402

GP_LOGIN = "helene.garnier"  # two practices at the PSC simulé


async def shoot_psc(server: ServerThread, work: Path, out: Path) -> list[Path]:
    from ui.login.psc import PscPanel
    from ui.login.window import LoginWindow

    settings_mod.override(server_url=server.base_url)
    account = server.sandbox.accounts.by_login(GP_LOGIN)
    assert account is not None
    assert account.rpps is not None
    async with httpx.AsyncClient() as http:
        offered = await psc.discover(http, server.base_url)
        assert offered is not None, "the sandbox must run with its PSC simulé"
        push = await psc.ciba_start(http, offered, account.rpps)
    saved: list[Path] = []

    async def window(size: tuple[int, int] | None = None) -> LoginWindow:
        made = LoginWindow(work / "psc-client")
        if size is not None:
            made.resize(*size)
        made.show()
        deadline = time.monotonic() + 30
        while not made.psc_panel.isVisible():
            if time.monotonic() > deadline:
                raise TimeoutError("the login window did not find PSC")
            await asyncio.sleep(0.1)
        return made

    problem = psc.passphrase_problem("motdepasse")
    assert problem is not None
    practices = [  # the PSC simulé's two practices of Dr Garnier
        "Cabinet médical du Parc — Lyon 3e",
        "Maison de santé pluriprofessionnelle des Pentes — Lyon 1er",
    ]
    steps: list[tuple[str, tuple[int, int] | None, Callable[[PscPanel], None]]] = [
        ("psc-login", None, lambda panel: None),
        ("psc-waiting", None, lambda panel: panel.show_waiting()),
        ("psc-ecps-code", None, lambda p: p.show_code(push.binding_message, push.seconds_left())),
        # Taller: the step is long (the card scrolls at the default size).
        ("psc-passphrase-weak", (960, 960), lambda p: p.show_passphrase(True, problem.text())),
        ("psc-practices", None, lambda panel: panel.show_practices(practices)),
        (
            "psc-small-window",
            (520, 560),
            lambda p: p.show_code(push.binding_message, push.seconds_left()),
        ),
    ]
    for name, size, step in steps:  # capture closes its window: a new one each time
        shown = await window(size)
        step(shown.psc_panel)
        saved.append(await screenshots.capture(shown, out / f"{name}.png"))
    for path in saved:
        print(f"{path.stem} : {path}", flush=True)
    return saved


def main(argv: list[str] | None = None) -> int:
    return run_alone(shoot_psc, __doc__, argv, professionals=300)


if __name__ == "__main__":
    sys.exit(main())
