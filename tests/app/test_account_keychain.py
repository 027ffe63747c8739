"""The refresh token in the OS keyring, and what happens where there is none."""

from __future__ import annotations

from pathlib import Path

import keyring

from app.account.keychain import NO_KEYRING_FR, SERVICE, TokenStore
from tests.app.memory_keyring import MemoryKeyring, memory_keyring, no_keyring  # noqa: F401


def test_round_trip_with_an_in_memory_backend(memory_keyring: MemoryKeyring) -> None:  # noqa: F811
    store = TokenStore.for_account(Path("/data/accounts/alice-0123456789abcdef"))
    assert TokenStore.available()
    assert store.load() is None
    assert store.save("rt_refresh-token-value")
    assert store.load() == "rt_refresh-token-value"
    assert memory_keyring.secrets == {(SERVICE, "alice-0123456789abcdef"): "rt_refresh-token-value"}
    store.delete()
    assert store.load() is None
    store.delete()  # deleting twice is harmless
    assert memory_keyring.secrets == {}


def test_accounts_have_separate_entries(memory_keyring: MemoryKeyring) -> None:  # noqa: F811
    a, b = TokenStore("alice-1"), TokenStore("bob-2")
    a.save("token-a")
    b.save("token-b")
    assert (a.load(), b.load()) == ("token-a", "token-b")


def test_fail_backend_means_unavailable(no_keyring: None) -> None:  # noqa: F811
    assert isinstance(keyring.get_keyring(), keyring.backends.fail.Keyring)
    store = TokenStore("alice-1")
    assert not TokenStore.available()
    assert store.save("token") is False
    assert store.load() is None
    store.delete()
    assert "mot de passe vous sera demandé à chaque lancement" in NO_KEYRING_FR
