"""Documents the app keeps across upgrades (the settings file, drafts) carry a version number and
are upgraded step by step when read: steps[n] turns a version-n document into a version-(n+1) one,
and a version without a step kept its shape. A shipped step is never edited (as for the cache's
schema migrations, app/store/schema.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

Migration = Callable[[dict[str, Any]], dict[str, Any]]


def upgrade(
    doc: dict[str, Any],
    found: int,
    version: int,
    steps: Mapping[int, Migration],
    log: logging.Logger,
) -> dict[str, Any]:
    """`doc`, written at version `found`, as a version-`version` document."""
    while found < version:
        step = steps.get(found)
        if step is not None:
            doc = step(doc)
            log.info("migrated from version %d", found)
        found += 1
    return doc
