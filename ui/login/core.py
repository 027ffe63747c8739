"""Loading the client core for the login window: the core (HTTP, crypto, cache: about half a
second to import) and what its first connection would otherwise do on the UI thread (httpx's
transport imported, the trust store read: `SignIn.prepare_network`), in a worker thread, once. The
login window paints first and stays responsive meanwhile; the app starts it as soon as the window
painted (ui/app.py), the window's probe and login wait for it (ui/loading.py: never a core half
imported).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, cast

from app import settings as settings_mod
from ui.loading import LoadOnce

if TYPE_CHECKING:
    from app.account.sign_in import SignIn

__all__ = ["CORE", "load_core"]

CORE = "app.account.sign_in"  # what the login needs from the core (it loads all the rest)


async def load_core() -> type[SignIn]:
    """Imports the client core (HTTP, crypto, cache: about half a second) and prepares the
    network (SignIn.prepare_network) in a worker thread, once: the window paints first and stays
    responsive meanwhile. Gives what the login needs."""
    await _core(settings_mod.current().ca_bundle_path())
    return cast("type[SignIn]", sys.modules[CORE].SignIn)


def _load_core(ca_bundle: Path | None) -> None:
    importlib.import_module(CORE).SignIn.prepare_network(ca_bundle)


_core = LoadOnce(_load_core)
