"""The vault: key wrapping, wrong password, growing delay that survives restarts — and deleting
a file, and editing it down where a keyring holds the secret that signs it —, re-wrap, and the
migration of format 1 files (with their vault-failures.json)."""

from __future__ import annotations

import base64
import json
import os
import shutil
import stat
import threading
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from hypothesis import given, settings
from hypothesis import strategies as st

from app.account.keychain import SERVICE
from app.account.vault import (
    DEFAULT_KDF,
    MAX_DELAY,
    KdfParams,
    Vault,
    VaultCorrupt,
    VaultFile,
    VaultThrottled,
    WrongPassword,
    delay_after,
    format_wait,
)
from app.store.key import CacheKey
from tests.app.memory_keyring import MemoryKeyring, memory_keyring, no_keyring  # noqa: F401

FORMAT_1 = Path(__file__).parent / "data" / "vault-format-1"  # written by the format 1 code
FORMAT_1_PASSWORD = "mot-de-passe-format-1"
FORMAT_1_KEY = "060304d537589d97cbae91386360c5f1395ecceb493e8f02c76b3cce8dd49be5"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def raw(key: CacheKey) -> bytes:
    """The key's bytes, copied (in the tests only)."""
    with key.view() as view:
        return bytes(view)


def vault_doc(folder: Path) -> dict[str, object]:
    doc: dict[str, object] = json.loads((folder / Vault.FILE_NAME).read_text())
    return doc


def write_doc(folder: Path, doc: dict[str, object]) -> None:
    (folder / Vault.FILE_NAME).write_text(json.dumps(doc))


def test_create_then_unlock_gives_the_same_random_key(tmp_path: Path) -> None:
    _, key = Vault.create(tmp_path, "correct horse")
    assert len(raw(key)) == 32
    assert Vault.exists(tmp_path)
    assert Vault(tmp_path).unlock("correct horse") == key
    _, other_key = Vault.create(tmp_path / "other", "correct horse")
    assert other_key != key


def test_vault_file_is_private_and_holds_no_key_or_password(tmp_path: Path) -> None:
    _, key = Vault.create(tmp_path, "mot-de-passe-1")
    path = tmp_path / Vault.FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = path.read_bytes()
    assert raw(key) not in data
    assert raw(key).hex().encode() not in data
    assert b"mot-de-passe-1" not in data
    doc = json.loads(data)
    assert doc["version"] == 2
    assert {k: doc["throttle"][k] for k in ("failures", "not_before")} == {
        "failures": 0,
        "not_before": 0.0,
    }
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
    assert not key.wiped
    cleared = vault_doc(tmp_path)["throttle"]
    assert isinstance(cleared, dict)
    assert (cleared["failures"], cleared["not_before"]) == (0, 0.0)
    with pytest.raises(WrongPassword):
        Vault(tmp_path, clock=clock).unlock("wrong")
    assert Vault(tmp_path, clock=clock).retry_after() == 0.0


def test_delay_schedule_grows_and_is_capped() -> None:
    assert [delay_after(n) for n in range(1, 8)] == [0, 0, 1, 2, 4, 8, 16]
    assert delay_after(50) == MAX_DELAY == 300
    assert format_wait(0.2).text() == "1 seconde"
    assert format_wait(90).text() == "2 minutes"


@pytest.mark.parametrize(
    "damage",
    [
        lambda doc: doc.pop("throttle"),  # removed
        lambda doc: doc.update(throttle="beaucoup"),  # not a state
        lambda doc: doc.update(throttle={"failures": -1, "not_before": 0}),
    ],
)
def test_missing_or_damaged_failure_state_does_not_lift_the_delay(
    tmp_path: Path, damage: object
) -> None:
    clock = FakeClock()
    Vault.create(tmp_path, "right")
    doc = vault_doc(tmp_path)
    damage(doc)  # type: ignore[operator]
    write_doc(tmp_path, doc)
    with pytest.raises(VaultThrottled) as info:
        Vault(tmp_path, clock=clock).unlock("right")
    assert info.value.retry_after == MAX_DELAY  # the worst case, never none
    clock.now += MAX_DELAY + 1
    assert raw(Vault(tmp_path, clock=clock).unlock("right"))  # the wait ends: worst, not forever


def test_deleting_every_other_file_does_not_lift_the_delay(tmp_path: Path) -> None:
    clock = FakeClock()
    Vault.create(tmp_path, "right")
    for _ in range(5):
        with pytest.raises((WrongPassword, VaultThrottled)):
            Vault(tmp_path, clock=clock).unlock("wrong")
        clock.now += 10
    clock.now -= 10
    waiting = Vault(tmp_path, clock=clock).retry_after()
    assert waiting > 0
    for other in tmp_path.iterdir():  # what a user could delete, the key's file apart
        if other.name != Vault.FILE_NAME:
            other.unlink()
    (tmp_path / Vault.LEGACY_THROTTLE_FILE_NAME).unlink(missing_ok=True)
    assert Vault(tmp_path, clock=clock).retry_after() == waiting


def test_with_a_keyring_the_state_is_signed_and_editing_it_down_is_detected(
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    clock = FakeClock()
    Vault.create(tmp_path, "right")
    for _ in range(4):
        with pytest.raises(WrongPassword):
            Vault(tmp_path, clock=clock).unlock("wrong")
        clock.now += 10
    doc = vault_doc(tmp_path)
    state = doc["throttle"]
    assert isinstance(state, dict)
    assert state["failures"] == 4
    assert isinstance(state["mac"], str)
    assert (SERVICE, f"{tmp_path.name}.vault") in memory_keyring.secrets  # the signing secret

    state.update(failures=0, not_before=0.0)  # edited down, MAC kept
    write_doc(tmp_path, doc)
    with pytest.raises(VaultThrottled) as info:
        Vault(tmp_path, clock=clock).unlock("right")
    assert info.value.retry_after == MAX_DELAY

    clock.now += MAX_DELAY
    assert raw(Vault(tmp_path, clock=clock).unlock("right"))  # the right password, after it
    cleared = vault_doc(tmp_path)["throttle"]
    assert isinstance(cleared, dict)
    assert cleared["failures"] == 0


@pytest.mark.parametrize("forgery", ["mac removed", "secret deleted"])
def test_with_a_keyring_an_unsigned_or_unverifiable_state_is_the_worst_case(
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
    forgery: str,
) -> None:
    clock = FakeClock()
    Vault.create(tmp_path, "right")
    if forgery == "mac removed":
        doc = vault_doc(tmp_path)
        state = doc["throttle"]
        assert isinstance(state, dict)
        state["mac"] = None
        write_doc(tmp_path, doc)
    else:
        memory_keyring.secrets.clear()
    assert Vault(tmp_path, clock=clock).retry_after() == MAX_DELAY


@pytest.mark.usefixtures("no_keyring")
def test_without_a_keyring_the_state_survives_deletion_but_not_hand_editing(
    tmp_path: Path,
) -> None:
    """The documented limit: nothing to sign with. (Guessing is then slowed by scrypt only, as it
    is for anyone who copies the file.)"""
    clock = FakeClock()
    Vault.create(tmp_path, "right")
    for _ in range(4):
        with pytest.raises(WrongPassword):
            Vault(tmp_path, clock=clock).unlock("wrong")
        clock.now += 10
    doc = vault_doc(tmp_path)
    state = doc["throttle"]
    assert isinstance(state, dict)
    assert state["mac"] is None
    state.update(failures=0, not_before=0.0)
    write_doc(tmp_path, doc)
    assert Vault(tmp_path, clock=clock).retry_after() == 0.0


def test_a_format_1_vault_and_its_failures_file_are_migrated_at_first_use(
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    folder = tmp_path / "account"
    shutil.copytree(FORMAT_1, folder)
    clock = FakeClock()  # 1_700_000_000: the format 1 file says "not before 1_700_000_032"
    vault = Vault(folder, clock=clock)
    assert vault.retry_after() == 32.0  # its 4 failures kept…
    assert not (folder / Vault.LEGACY_THROTTLE_FILE_NAME).exists()  # …inside vault.json now
    doc = vault_doc(folder)
    assert doc["version"] == 2
    state = doc["throttle"]
    assert isinstance(state, dict)
    assert state["failures"] == 4
    assert isinstance(state["mac"], str)
    with pytest.raises(VaultThrottled):
        vault.unlock(FORMAT_1_PASSWORD)
    clock.now += 32
    assert raw(vault.unlock(FORMAT_1_PASSWORD)).hex() == FORMAT_1_KEY  # the same key


def test_a_format_1_vault_without_failures_migrates_with_none(tmp_path: Path) -> None:
    folder = tmp_path / "account"
    shutil.copytree(FORMAT_1, folder)
    (folder / Vault.LEGACY_THROTTLE_FILE_NAME).unlink()
    vault = Vault(folder, clock=FakeClock())
    assert vault.retry_after() == 0.0
    assert raw(vault.unlock(FORMAT_1_PASSWORD)).hex() == FORMAT_1_KEY


def test_a_format_1_vault_with_a_damaged_failures_file_gets_the_worst_case(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "account"
    shutil.copytree(FORMAT_1, folder)
    (folder / Vault.LEGACY_THROTTLE_FILE_NAME).write_text("{pas du json")
    assert Vault(folder, clock=FakeClock()).retry_after() == MAX_DELAY


def test_password_change_rewraps_the_same_key(tmp_path: Path) -> None:
    vault, key = Vault.create(tmp_path, "old-password")
    before = VaultFile.parse((tmp_path / Vault.FILE_NAME).read_bytes())
    vault.change_password("old-password", "new-password")
    after = VaultFile.parse((tmp_path / Vault.FILE_NAME).read_bytes())
    assert after.salt != before.salt
    assert after.wrapped_key != before.wrapped_key
    assert Vault(tmp_path).unlock("new-password") == key
    key.wipe()
    assert key.wiped
    assert raw(Vault(tmp_path).unlock("new-password")) != bytes(32)
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
    doc["kdf"].update(log_n=20, r=32)  # each in range, together 4 GiB of memory
    path.write_text(json.dumps(doc))
    with pytest.raises(VaultCorrupt):
        Vault(tmp_path).unlock("pw")


@pytest.mark.parametrize(
    "params", [DEFAULT_KDF, KdfParams(log_n=14, r=8, p=1), KdfParams(14, 4, 3)]
)
def test_the_key_derivation_is_scrypt_as_every_vault_was_made_with(params: KdfParams) -> None:
    # Vaults written before hashlib's scrypt replaced cryptography's must open: same keys.
    salt = bytes(range(16))
    reference = Scrypt(salt=salt, length=32, n=1 << params.log_n, r=params.r, p=params.p)
    assert params.derive("mot de passe é", salt) == reference.derive("mot de passe é".encode())


def test_other_threads_run_while_a_key_is_derived() -> None:
    # The UI thread froze for the whole derivation at each login and unlock (0.3–0.5 s): the
    # derivation must let go of the GIL. Counted, not timed: the main thread runs Python code
    # while the worker derives.
    done = threading.Event()
    worker = threading.Thread(
        target=lambda: (DEFAULT_KDF.derive("pw", bytes(16)), done.set()), daemon=True
    )
    steps = 0
    worker.start()
    while not done.is_set():
        steps += 1
        time.sleep(0.001)
    worker.join()
    assert steps >= 20  # a derivation holding the GIL lets this loop run once or twice


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
