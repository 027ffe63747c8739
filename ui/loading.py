"""Code loaded once in a worker thread, whoever asks first (the app as soon as the login window
painted, the login window's probe, a login): the UI thread never imports it, and every caller
returns only once it is loaded.

Why not "is the module in sys.modules?": a module is there from the start of its import, not its
end. A caller that trusted it while a worker was still importing found the module half imported:
the login's core had no `SignIn` yet (AttributeError), the login failed with "Une erreur
inattendue", and bench/ui.py, waiting for an account to open, waited forever (seen under load;
logged "partially initialized module 'app.account.sign_in' has no attribute 'SignIn'"). Here a
second caller waits in its worker thread, on a lock, for the first to finish.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Generic, ParamSpec

P = ParamSpec("P")


class LoadOnce(Generic[P]):
    """`await load(*args)` runs `loader(*args)` in a worker thread the first time; later and
    concurrent calls wait for that one (if it failed, the next call tries again)."""

    def __init__(self, loader: Callable[P, object]) -> None:
        self._loader = loader
        self._lock = threading.Lock()
        self.ready = False

    async def __call__(self, *args: P.args, **kwargs: P.kwargs) -> None:
        if not self.ready:
            await asyncio.to_thread(self._load, *args, **kwargs)

    def _load(self, *args: P.args, **kwargs: P.kwargs) -> None:
        with self._lock:
            if not self.ready:
                self._loader(*args, **kwargs)
                self.ready = True


__all__ = ["LoadOnce"]
