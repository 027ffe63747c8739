"""The record of approved origins (app.account.approvals): it opens with its account's key only, so
that nothing written by hand (or copied from another account) counts as approved."""

from __future__ import annotations

import os
from pathlib import Path

from app.account import approvals
from app.remote.origins import origin_of
from app.store.key import CacheKey

KEY = CacheKey(lambda buffer: buffer.__setitem__(slice(None), bytes(range(32))))
ORIGINS = {origin_of("https://jmap.sante-ara.fr"), origin_of("http://localhost:8123")}


def test_a_record_reads_back_with_its_key(tmp_path: Path) -> None:
    assert approvals.load(tmp_path, KEY) is None
    assert not approvals.recorded(tmp_path)
    approvals.save(tmp_path, KEY, ORIGINS)
    assert approvals.recorded(tmp_path)
    assert approvals.load(tmp_path, KEY) == ORIGINS
    approvals.save(tmp_path, KEY, [])  # a first login with nothing to approve is a record too
    assert approvals.load(tmp_path, KEY) == frozenset()


def test_the_record_is_private_and_holds_no_origin_in_clear(tmp_path: Path) -> None:
    approvals.save(tmp_path, KEY, ORIGINS)
    data = approvals.path(tmp_path).read_bytes()
    assert b"sante-ara" not in data
    assert b"localhost" not in data
    if os.name == "posix":
        assert approvals.path(tmp_path).stat().st_mode & 0o077 == 0


def test_a_record_that_does_not_open_is_no_record(tmp_path: Path) -> None:
    approvals.save(tmp_path, KEY, ORIGINS)
    assert approvals.load(tmp_path, CacheKey(lambda buffer: None)) is None  # another account's key
    record = approvals.path(tmp_path)
    for forged in (b'["https://ailleurs.example"]', b"", record.read_bytes()[:-1]):
        record.write_bytes(forged)
        assert approvals.load(tmp_path, KEY) is None
        assert approvals.recorded(tmp_path)  # present: the login opens the vault to read it
