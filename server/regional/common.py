"""Small helpers shared by the regional services: ids, time and French wording."""

from __future__ import annotations

import datetime as dt
import secrets
import time
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def new_id(prefix: str) -> str:
    return prefix + secrets.token_hex(8)


def now() -> int:
    return int(time.time())


def to_datetime(epoch: int) -> dt.datetime:
    """Times are kept as UTC seconds and shown in Paris time, as users read them."""
    return dt.datetime.fromtimestamp(epoch, PARIS)


def born(sex: str) -> str:
    """The participle as the patient's sex says ("né", "née"); "né(e)" only when unknown."""
    return {"male": "né", "female": "née"}.get(sex, "né(e)")
