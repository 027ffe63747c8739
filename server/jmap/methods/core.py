"""Core/echo (RFC 8620 §4)."""

from __future__ import annotations

from server.jmap.methods import CORE, Call, Json, method


@method("Core/echo", CORE)
def echo(call: Call) -> Json:
    return call.args
