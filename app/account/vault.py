"""The vault: the cache's random key, wrapped under a key derived from the user's password.

Offline login is unwrapping it; a password change re-wraps it and never re-encrypts the cache.
The file holds only the KDF parameters, the salt, the nonce and the wrapped key (AES-256-GCM, with
the header as associated data so that nobody can lower the parameters unnoticed). Repeated wrong
passwords cost a growing delay recorded beside the vault, so that restarting the app does not reset
it.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from app import logs, paths
from app.errors import CoreError

log = logs.get("vault")

VERSION = 1
KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12
MAX_DELAY = 300.0  # five minutes: the cap of the growing delay
FREE_FAILURES = 2  # failures forgiven before the delay starts (typos happen)


@dataclass(frozen=True)
class KdfParams:
    """scrypt parameters. n = 2**17, r = 8 costs about 0.3 s and 128 MiB here (OWASP's choice)."""

    log_n: int = 17
    r: int = 8
    p: int = 1

    def derive(self, password: str, salt: bytes) -> bytes:
        kdf = Scrypt(salt=salt, length=KEY_BYTES, n=1 << self.log_n, r=self.r, p=self.p)
        return kdf.derive(password.encode("utf-8"))

    def as_json(self) -> dict[str, Any]:
        return {"name": "scrypt", "log_n": self.log_n, "r": self.r, "p": self.p}


DEFAULT_KDF = KdfParams()
# What we accept from a file: enough to resist tampering that would make unlocking instant, and
# bounded so that a hostile file cannot make us allocate gigabytes.
_MIN_LOG_N, _MAX_LOG_N = 14, 20


class WrongPassword(CoreError):
    message_fr = "Mot de passe incorrect. Vérifiez la saisie (majuscules, clavier) et réessayez."


class VaultThrottled(CoreError):
    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        super().__init__(
            f"vault throttled for {retry_after:.0f} s",
            f"Trop d'essais de mot de passe incorrects. Réessayez dans {format_wait(retry_after)}.",
        )


class VaultCorrupt(CoreError):
    message_fr = (
        "Le fichier de clé de ce compte est illisible. Reconnectez-vous au serveur pour "
        "reconstruire les données locales."
    )


def format_wait(seconds: float) -> str:
    """'12 secondes', '3 minutes': French, rounded up so that the user never retries too early."""
    whole = max(1, math.ceil(seconds))
    if whole < 60:
        return f"{whole} seconde{'s' if whole > 1 else ''}"
    minutes = math.ceil(whole / 60)
    return f"{minutes} minute{'s' if minutes > 1 else ''}"


def delay_after(failures: int) -> float:
    """0, 0, 1, 2, 4, 8 … seconds after the 1st, 2nd, 3rd … failure, capped at five minutes."""
    if failures <= FREE_FAILURES:
        return 0.0
    return float(min(MAX_DELAY, 2 ** min(failures - FREE_FAILURES - 1, 20)))


def write_private_atomically(path: Path, data: bytes) -> None:
    """Temp file (mode 0600) + fsync + os.replace: a crash leaves the old file or the new one."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if os.name == "posix":
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


@dataclass(frozen=True)
class VaultFile:
    """The parsed content of vault.json."""

    kdf: KdfParams
    salt: bytes
    nonce: bytes
    wrapped_key: bytes

    def header(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "kdf": {**self.kdf.as_json(), "salt": _b64(self.salt)},
            "cipher": "AES-256-GCM",
        }

    def associated_data(self) -> bytes:
        return json.dumps(self.header(), sort_keys=True, separators=(",", ":")).encode()

    def to_bytes(self) -> bytes:
        doc = {**self.header(), "nonce": _b64(self.nonce), "wrapped_key": _b64(self.wrapped_key)}
        return json.dumps(doc, indent=2, sort_keys=True).encode() + b"\n"

    @classmethod
    def parse(cls, data: bytes) -> VaultFile:
        """Validates every field; anything unexpected is VaultCorrupt, never a KeyError."""
        try:
            doc = json.loads(data)
        except (ValueError, UnicodeDecodeError):
            raise VaultCorrupt("vault.json is not JSON") from None
        if not isinstance(doc, dict) or doc.get("version") != VERSION:
            raise VaultCorrupt("unknown vault version")
        kdf = doc.get("kdf")
        if not isinstance(kdf, dict) or kdf.get("name") != "scrypt":
            raise VaultCorrupt("unknown kdf")
        if doc.get("cipher") != "AES-256-GCM":
            raise VaultCorrupt("unknown cipher")
        log_n, r, p = kdf.get("log_n"), kdf.get("r"), kdf.get("p")
        if not (_is_int(log_n) and _is_int(r) and _is_int(p)):
            raise VaultCorrupt("kdf parameters must be integers")
        if not (_MIN_LOG_N <= log_n <= _MAX_LOG_N and 1 <= r <= 32 and 1 <= p <= 16):
            raise VaultCorrupt("kdf parameters out of range")
        salt = _unb64(kdf.get("salt"), SALT_BYTES)
        nonce = _unb64(doc.get("nonce"), NONCE_BYTES)
        wrapped = _unb64(doc.get("wrapped_key"), KEY_BYTES + 16)
        return cls(KdfParams(log_n=log_n, r=r, p=p), salt, nonce, wrapped)


def _is_int(value: object) -> TypeGuard[int]:
    return type(value) is int  # bool is not a count


def _is_number(value: object) -> TypeGuard[float]:
    return type(value) in (int, float) and math.isfinite(value)  # type: ignore[arg-type]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: object, length: int) -> bytes:
    if not isinstance(value, str):
        raise VaultCorrupt("missing field")
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise VaultCorrupt("bad base64") from None
    if len(data) != length:
        raise VaultCorrupt("bad field length")
    return data


def _wrap(key: bytes, password: str, kdf: KdfParams) -> VaultFile:
    salt, nonce = secrets.token_bytes(SALT_BYTES), secrets.token_bytes(NONCE_BYTES)
    draft = VaultFile(kdf, salt, nonce, b"")
    kek = kdf.derive(password, salt)
    wrapped = AESGCM(kek).encrypt(nonce, key, draft.associated_data())
    return VaultFile(kdf, salt, nonce, wrapped)


class Vault:
    """One account's vault. `unlock` and `create` are slow on purpose: call them via to_thread."""

    FILE_NAME = "vault.json"
    THROTTLE_FILE_NAME = "vault-failures.json"

    def __init__(self, account_dir: Path, clock: Callable[[], float] = time.time) -> None:
        self.account_dir = account_dir
        self._clock = clock

    @property
    def path(self) -> Path:
        return self.account_dir / self.FILE_NAME

    @property
    def throttle_path(self) -> Path:
        return self.account_dir / self.THROTTLE_FILE_NAME

    @staticmethod
    def exists(account_dir: Path) -> bool:
        return (account_dir / Vault.FILE_NAME).is_file()

    @classmethod
    def create(
        cls, account_dir: Path, password: str, kdf: KdfParams = DEFAULT_KDF
    ) -> tuple[Vault, bytes]:
        """A new random 256-bit key, wrapped under `password`. Replaces any previous vault."""
        paths.private_dir(account_dir)
        key = secrets.token_bytes(KEY_BYTES)
        vault = cls(account_dir)
        write_private_atomically(vault.path, _wrap(key, password, kdf).to_bytes())
        vault._clear_failures()
        log.info("vault created (scrypt log_n=%d)", kdf.log_n)
        return vault, key

    def read(self) -> VaultFile:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            raise VaultCorrupt("no vault file") from None
        return VaultFile.parse(data)

    def retry_after(self) -> float:
        """Seconds left before another attempt is allowed (0 when allowed now)."""
        _, not_before = self._failures()
        return max(0.0, not_before - self._clock())

    def unlock(self, password: str) -> bytes:
        """The cache key; WrongPassword (and a longer delay next time) for a wrong password."""
        wait = self.retry_after()
        if wait > 0:
            raise VaultThrottled(wait)
        vault_file = self.read()
        key = self._try_unwrap(vault_file, password)
        if key is None:
            failures = self._record_failure()
            log.info("vault: wrong password (failure %d)", failures)
            raise WrongPassword("wrong vault password")
        self._clear_failures()
        return key

    def change_password(self, old: str, new: str) -> None:
        """Re-wraps the same key under `new` (fresh salt and nonce); the cache is untouched."""
        key = self.unlock(old)
        vault_file = self.read()
        write_private_atomically(self.path, _wrap(key, new, vault_file.kdf).to_bytes())
        log.info("vault re-wrapped under a new password")

    def _try_unwrap(self, vault_file: VaultFile, password: str) -> bytes | None:
        kek = vault_file.kdf.derive(password, vault_file.salt)
        try:
            key = AESGCM(kek).decrypt(
                vault_file.nonce, vault_file.wrapped_key, vault_file.associated_data()
            )
        except InvalidTag:
            return None
        if len(key) != KEY_BYTES:
            raise VaultCorrupt("unwrapped key has a wrong length")
        return key

    # Failure bookkeeping: {"failures": n, "not_before": epoch seconds}. Wall clock on purpose:
    # the delay must survive a restart (a monotonic clock restarts with the machine).
    def _failures(self) -> tuple[int, float]:
        try:
            doc = json.loads(self.throttle_path.read_bytes())
        except FileNotFoundError:
            return 0, 0.0
        except (OSError, ValueError):
            doc = None
        failures = doc.get("failures") if isinstance(doc, dict) else None
        not_before = doc.get("not_before") if isinstance(doc, dict) else None
        if not (_is_int(failures) and _is_number(not_before)):
            # Damaged bookkeeping must not become a way around the delay: record the worst case
            # once (rewritten, so that the wait ends).
            return self._write_failures(10, self._clock() + MAX_DELAY)
        # A clock set back must not stretch the wait beyond the cap.
        return failures, min(float(not_before), self._clock() + MAX_DELAY)

    def _write_failures(self, failures: int, not_before: float) -> tuple[int, float]:
        doc = {"failures": failures, "not_before": not_before}
        write_private_atomically(self.throttle_path, json.dumps(doc).encode())
        return failures, not_before

    def _record_failure(self) -> int:
        failures = self._failures()[0] + 1
        self._write_failures(failures, self._clock() + delay_after(failures))
        return failures

    def _clear_failures(self) -> None:
        self.throttle_path.unlink(missing_ok=True)
