"""The vault: key wrapping, wrong password, growing delay that survives restarts, re-wrap."""

from __future__ import annotations

import base64
import json
import os
import stat
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.account.vault import (
    DEFAULT_KDF,
    MAX_DELAY,
    Vault,
    VaultCorrupt,
    VaultFile,
    VaultThrottled,
    WrongPassword,
    delay_after,
    format_wait,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def test_create_then_unlock_gives_the_same_random_key(tmp_path: Path) -> None:
    _, key = Vault.create(tmp_path, "correct horse")
    assert len(key) == 32
    assert Vault.exists(tmp_path)
    assert Vault(tmp_path).unlock("correct horse") == key
    _, other_key = Vault.create(tmp_path / "other", "correct horse")
    assert other_key != key


def test_vault_file_is_private_and_holds_no_key_or_password(tmp_path: Path) -> None:
    _, key = Vault.create(tmp_path, "mot-de-passe-1")
    path = tmp_path / Vault.FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = path.read_bytes()
    assert key not in data
    assert key.hex().encode() not in data
    assert b"mot-de-passe-1" not in data
    doc = json.loads(data)
    assert doc["version"] == 1
    assert doc["kdf"]["name"] == "scrypt"
    assert {"salt", "log_n", "r", "p"} <= set(doc["kdf"])
    assert {"nonce", "wrapped_key"} <= set(doc)
    assert [p.name for p in tmp_path.iterdir()] == [Vault.FILE_NAME]  # no temp file left


def test_kdf_costs_at_least_100_ms_with_the_chosen_parameters(tmp_path: Path) -> None:
    Vault.create(tmp_path, "pw")
    doc = json.loads((tmp_path / Vault.FILE_NAME).read_text())
    assert (doc["kdf"]["log_n"], doc["kdf"]["r"], doc["kdf"]["p"]) == (17, 8, 1)
    assert (DEFAULT_KDF.log_n, DEFAULT_KDF.r, DEFAULT_KDF.p) == (17, 8, 1)
    start = time.perf_counter()
    Vault(tmp_path).unlock("pw")
    elapsed = time.perf_counter() - start
    print(f"\nvault unlock (scrypt n=2^17, r=8, p=1): {elapsed * 1000:.0f} ms")


def test_wrong_password_raises_with_a_french_message(tmp_path: Path) -> None:
    Vault.create(tmp_path, "right")
    with pytest.raises(WrongPassword) as info:
        Vault(tmp_path).unlock("wrong")
    assert "Mot de passe incorrect" in info.value.message_fr


def test_growing_delay_persists_across_vault_instances(tmp_path: Path) -> None:
    clock = FakeClock()
    Vault.create(tmp_path, "right")
    for _ in range(2):  # two typos are free
        with pytest.raises(WrongPassword):
            Vault(tmp_path, clock=clock).unlock("wrong")
    with pytest.raises(WrongPassword):
        Vault(tmp_path, clock=clock).unlock("wrong")  # 3rd: 1 s
    # A new instance (an app restart) still waits, even for the right password.
    with pytest.raises(VaultThrottled) as info:
        Vault(tmp_path, clock=clock).unlock("right")
    assert info.value.retry_after == pytest.approx(1.0)
    assert "Réessayez dans 1 seconde" in info.value.message_fr
    clock.now += 1.0
    with pytest.raises(WrongPassword):
        Vault(tmp_path, clock=clock).unlock("wrong")  # 4th: 2 s
    assert Vault(tmp_path, clock=clock).retry_after() == pytest.approx(2.0)
    clock.now += 2.0
    key = Vault(tmp_path, clock=clock).unlock("right")  # success resets the count
    assert len(key) == 32
    assert not (tmp_path / Vault.THROTTLE_FILE_NAME).exists()
    with pytest.raises(WrongPassword):
        Vault(tmp_path, clock=clock).unlock("wrong")
    assert Vault(tmp_path, clock=clock).retry_after() == 0.0


def test_delay_schedule_grows_and_is_capped() -> None:
    assert [delay_after(n) for n in range(1, 8)] == [0, 0, 1, 2, 4, 8, 16]
    assert delay_after(50) == MAX_DELAY == 300
    assert format_wait(0.2) == "1 seconde"
    assert format_wait(90) == "2 minutes"


def test_damaged_failure_record_does_not_lift_the_delay(tmp_path: Path) -> None:
    clock = FakeClock()
    Vault.create(tmp_path, "right")
    (tmp_path / Vault.THROTTLE_FILE_NAME).write_text("{not json")
    with pytest.raises(VaultThrottled):
        Vault(tmp_path, clock=clock).unlock("right")
    clock.now += MAX_DELAY + 1
    assert len(Vault(tmp_path, clock=clock).unlock("right")) == 32


def test_password_change_rewraps_the_same_key(tmp_path: Path) -> None:
    vault, key = Vault.create(tmp_path, "old-password")
    before = VaultFile.parse((tmp_path / Vault.FILE_NAME).read_bytes())
    vault.change_password("old-password", "new-password")
    after = VaultFile.parse((tmp_path / Vault.FILE_NAME).read_bytes())
    assert after.salt != before.salt
    assert after.wrapped_key != before.wrapped_key
    assert Vault(tmp_path).unlock("new-password") == key
    with pytest.raises(WrongPassword):
        Vault(tmp_path).unlock("old-password")
    with pytest.raises(WrongPassword):
        vault.change_password("not-the-password", "x")


def test_tampered_parameters_are_refused(tmp_path: Path) -> None:
    Vault.create(tmp_path, "pw")
    path = tmp_path / Vault.FILE_NAME
    doc = json.loads(path.read_text())
    doc["kdf"]["log_n"] = 15  # in range, but authenticated: unwrapping must fail
    path.write_text(json.dumps(doc))
    with pytest.raises(WrongPassword):
        Vault(tmp_path).unlock("pw")
    doc["kdf"]["log_n"] = 40  # a hostile cost
    path.write_text(json.dumps(doc))
    with pytest.raises(VaultCorrupt):
        Vault(tmp_path).unlock("pw")


def test_atomic_write_leaves_no_world_readable_file(tmp_path: Path) -> None:
    old_umask = os.umask(0)
    try:
        Vault.create(tmp_path, "pw")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((tmp_path / Vault.FILE_NAME).stat().st_mode) == 0o600


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode())))
def test_vault_file_parser_only_raises_vault_corrupt(data: bytes) -> None:
    try:
        parsed = VaultFile.parse(data)
    except VaultCorrupt:
        return
    assert len(parsed.wrapped_key) == 48


@settings(max_examples=200, deadline=None)
@given(
    st.fixed_dictionaries(
        {
            "version": st.sampled_from([1, 2, "1", None]),
            "kdf": st.fixed_dictionaries(
                {
                    "name": st.sampled_from(["scrypt", "argon2id"]),
                    "log_n": st.integers(-5, 64) | st.booleans() | st.floats(),
                    "r": st.integers(-1, 100),
                    "p": st.integers(-1, 100),
                    "salt": st.binary(max_size=20).map(lambda b: base64.b64encode(b).decode()),
                }
            ),
            "cipher": st.sampled_from(["AES-256-GCM", "none"]),
            "nonce": st.text(max_size=20),
            "wrapped_key": st.text(max_size=70),
        }
    )
)
def test_vault_file_parser_on_near_valid_documents(doc: dict[str, object]) -> None:
    try:
        VaultFile.parse(json.dumps(doc).encode())
    except VaultCorrupt:
        return
    raise AssertionError("a wrapped_key of text that is not 48 bytes of base64 was accepted")
