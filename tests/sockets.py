"""Where each socket of the test run was made, said by its repr.

A socket that is garbage-collected open is reported by Python as "unclosed <socket.socket …>",
at whatever moment the collector runs — often in a later test, far from the code that leaked it.
Its repr here names the code that made it, so the report points at the leak. One is known: a
connection made during the first sync of `test_sign_out_offline_says_the_server_could_not_be_told`
(the server is stopped, then the user signs out) is left open although every HTTP client is
closed — it failed whichever test the collector ran in. It is reported in the warnings summary
with where it was made (pyproject's filterwarnings), not failed, until its cause is found.
"""

from __future__ import annotations

import socket
import traceback
from typing import Any

# By id, not by weak reference: the collector clears weak references before it finalizes, and the
# warning is written by the finalizer. A new socket at a reused id replaces the entry.
_made_at: dict[int, str] = {}
_init = socket.socket.__init__
_repr = socket.socket.__repr__


def _where() -> str:
    frames = traceback.extract_stack(limit=30)[:-2]
    kept = [f for f in frames if "pluggy" not in f.filename and "_pytest" not in f.filename]
    return "".join(f"\n    {f.filename}:{f.lineno} {f.name}" for f in kept[-14:])


def _recording_init(self: socket.socket, *args: Any, **kwargs: Any) -> None:
    _init(self, *args, **kwargs)
    _made_at[id(self)] = _where()


def _telling_repr(self: socket.socket) -> str:
    made = _made_at.get(id(self))
    return _repr(self) + (f" made at:{made}" if made else "")


def install() -> None:
    socket.socket.__init__ = _recording_init  # type: ignore[method-assign]
    socket.socket.__repr__ = _telling_repr  # type: ignore[method-assign]
