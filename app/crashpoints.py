"""Named points where a test may kill the process (SIGKILL, as a crash or power loss would).

`MONSISRA_CRASHPOINT=name` kills at the first pass through `crashpoint("name")`; `name#3` at the
third. Unset (always, outside tests), a crashpoint costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal

_target = os.environ.get("MONSISRA_CRASHPOINT", "")
_name, _, _nth = _target.partition("#")
_remaining = int(_nth) if _nth.isdigit() else 1
_passes: dict[str, int] = {}


def crashpoint(name: str) -> None:
    if not _name or name != _name:
        return
    _passes[name] = _passes.get(name, 0) + 1
    if _passes[name] >= _remaining:
        os.kill(os.getpid(), signal.SIGKILL)
