"""Small helpers shared by the regional services: ids, time and French wording."""

from __future__ import annotations

import datetime as dt
import secrets
import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def new_id(prefix: str) -> str:
    return prefix + secrets.token_hex(8)


def now() -> int:
    return int(time.time())


@dataclass
class Clock:
    """The time of the rules that depend on the date (the téléexpertise's calendar year): the
    real time, unless a test sets `fixed` on the running instance
    (`server_thread.sandbox.regional.clock`) to see a rule at another moment, a year ago or at
    midnight in Paris. Nothing on the network nor the command line reaches it, so a demo server
    always runs on the real time."""

    fixed: int | None = None  # UTC seconds

    def now(self) -> int:
        return now() if self.fixed is None else self.fixed


def to_datetime(epoch: int) -> dt.datetime:
    """Times are kept as UTC seconds and shown in Paris time, as users read them."""
    return dt.datetime.fromtimestamp(epoch, PARIS)


def born(sex: str) -> str:
    """The participle as the patient's sex says ("né", "née"); "né(e)" only when unknown."""
    return {"male": "né", "female": "née"}.get(sex, "né(e)")
