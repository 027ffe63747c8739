"""The origins a user approved at the first login of an account (app.remote.origins), kept with the
account so that later logins accept those and refuse any other without asking.

Beside the vault rather than in the cache, so that a cache rebuild keeps it; encrypted and
authenticated (AES-256-GCM) under a key derived from the cache key (HKDF), so that a local user
who edits or replaces the file cannot add an origin: a record that does not open is no record, and
the next login asks the user again, showing every origin. Its presence alone (readable before the
vault is open) says that the first login has passed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app import logs
from app.account.vault import NONCE_BYTES, write_private_atomically
from app.remote.origins import Origin, origin_of
from app.store.key import CacheKey

log = logs.get("account")

FILE_NAME = "origins.bin"
_INFO = b"monsisra approved origins v1"


def path(account_dir: Path) -> Path:
    return account_dir / FILE_NAME


def recorded(account_dir: Path) -> bool:
    """The first login of this account has passed on this computer (the record may still fail to
    open: `load` says)."""
    return path(account_dir).exists()


def load(account_dir: Path, key: CacheKey) -> frozenset[Origin] | None:
    """The approved origins; None when there is no record, or none that opens with this key."""
    try:
        data = path(account_dir).read_bytes()
    except FileNotFoundError:
        return None
    try:
        plain = AESGCM(_key(key)).decrypt(data[:NONCE_BYTES], data[NONCE_BYTES:], _INFO)
        listed = json.loads(plain)
        return frozenset(origin_of(url) for url in listed)
    except (InvalidTag, ValueError, TypeError):
        log.warning("the record of approved origins does not open: the next login asks again")
        return None


def save(account_dir: Path, key: CacheKey, origins: Iterable[Origin]) -> None:
    plain = json.dumps(sorted(str(o) for o in origins)).encode()
    nonce = os.urandom(NONCE_BYTES)
    write_private_atomically(
        path(account_dir), nonce + AESGCM(_key(key)).encrypt(nonce, plain, _INFO)
    )


def _key(key: CacheKey) -> bytes:
    """The record's own key, derived from the cache key's buffer (no copy of the cache key)."""
    with key.view() as material:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(material)
