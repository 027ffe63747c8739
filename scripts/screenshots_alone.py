"""Runs one group of screenshots on its own (`python scripts/screenshots_<group>.py --out DIR`): a
demo sandbox made for it, the Qt application with the app's theme and translations, then the
group's `shoot(server, work, out)`. `scripts/screenshots.py` calls the same `shoot` functions on
its shared sandbox."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from app import settings as settings_mod
from server.testing import ServerThread, quick_config

Shoot = Callable[[ServerThread, Path, Path], Awaitable[list[Path]]]


def run_alone(
    shoot: Shoot, description: str | None, argv: list[str] | None, professionals: int = 1_000
) -> int:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out", type=Path, default=Path("screenshots"))
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)

    import qasync

    from server import demo
    from server.context import Sandbox
    from ui import theme
    from ui.app import install_translations, make_application

    app = make_application(sys.argv[:1])
    translators = install_translations(app)
    theme.apply(app)
    with tempfile.TemporaryDirectory(prefix="monsisra-shots-") as tmp:
        work = Path(tmp)
        sandbox = Sandbox(quick_config(work / "server"))
        try:
            demo.generate(sandbox, professionals=professionals)
        finally:
            sandbox.close()
        settings_mod.use(work / "client")
        # With its PSC simulé, as `make demo`: the login window offers Pro Santé Connect.
        with ServerThread(quick_config(work / "server", psc_simule=True)) as server:
            saved = qasync.run(shoot(server, work / "shots", out))
    del translators
    print(f"{len(saved)} captures dans {out}", flush=True)
    return 0
