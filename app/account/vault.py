"""The vault: the cache's random key, wrapped under a key derived from the user's password.

Offline login is unwrapping it; a password change re-wraps it and never re-encrypts the cache.
The file holds the KDF parameters, the salt, the nonce and the wrapped key (AES-256-GCM, with the
header as associated data so that nobody can lower the parameters unnoticed). The key comes out
straight into the account's CacheKey buffer (app/store/key.py), never as an immutable copy.

Repeated wrong passwords cost a growing delay, kept inside vault.json itself (format 2): the one
file that cannot be deleted without losing the key, so deleting a file no longer lifts the delay.
The state is authenticated with a per-account secret kept in the OS keyring, so that editing it
down is detected; missing, damaged or unverifiable state counts as the worst case (one attempt per
five minutes), never as none. Without a keyring (a headless Linux) there is no secret to check
with: the state is then only protected against deletion, not against hand-editing — the
protection against guessing is then scrypt's cost, as it always is for someone who copies the
file. Restoring an older copy of vault.json is not detected either (the same person could run
scrypt on that copy anyway). Format 1 files, with their delay in vault-failures.json beside them,
are migrated at first use.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeGuard

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from app import logs, messages, paths
from app.account.keychain import TokenStore
from app.errors import CoreError
from app.messages import Message
from app.store.key import CacheKey, zero

log = logs.get("vault")

VERSION = 2  # the file's format: 2 keeps the failure state inside
WRAP_VERSION = 1  # what the wrapped key's associated data says: the wrapping is format 1's
KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12
MAX_DELAY = 300.0  # five minutes: the cap of the growing delay
FREE_FAILURES = 2  # failures forgiven before the delay starts (typos happen)
WORST_FAILURES = 10  # what missing or forged state counts as (the delay's cap)
TAG_BYTES = 16


@dataclass(frozen=True)
class KdfParams:
    """scrypt parameters. n = 2**17, r = 8 costs about 0.3 s and 128 MiB here (OWASP's choice)."""

    log_n: int = 17
    r: int = 8
    p: int = 1

    @property
    def memory(self) -> int:
        """The bytes scrypt works in (OpenSSL's count: 128·r·(n + p + 2))."""
        return 128 * self.r * ((1 << self.log_n) + self.p + 2)

    def derive(self, password: str, salt: bytes) -> bytes:
        # hashlib's scrypt (OpenSSL) lets other threads run while it works; cryptography's
        # Scrypt holds the GIL for its whole 0.3–0.5 s, so the UI froze at every login and
        # unlock although the derivation runs in a worker thread. Same function, same keys.
        return hashlib.scrypt(
            password.encode("utf-8"),
            salt=salt,
            n=1 << self.log_n,
            r=self.r,
            p=self.p,
            maxmem=self.memory,
            dklen=KEY_BYTES,
        )

    def as_json(self) -> dict[str, Any]:
        return {"name": "scrypt", "log_n": self.log_n, "r": self.r, "p": self.p}


DEFAULT_KDF = KdfParams()
# What we accept from a file: enough to resist tampering that would make unlocking instant, and
# bounded so that a hostile file cannot make us allocate gigabytes.
_MIN_LOG_N, _MAX_LOG_N = 14, 20
_MAX_MEMORY = 1 << 30  # 8 times what the default costs


class WrongPassword(CoreError):
    message = messages.WRONG_PASSWORD


class VaultThrottled(CoreError):
    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        super().__init__(
            f"vault throttled for {retry_after:.0f} s",
            messages.VAULT_THROTTLED.fill(wait=format_wait(retry_after)),
        )


class VaultCorrupt(CoreError):
    message = messages.VAULT_CORRUPT


def format_wait(seconds: float) -> Message:
    """'12 secondes', '3 minutes', rounded up so that the user never retries too early."""
    whole = max(1, math.ceil(seconds))
    if whole < 60:
        return (messages.SECONDS_ONE if whole == 1 else messages.SECONDS_MANY).fill(count=whole)
    minutes = math.ceil(whole / 60)
    return (messages.MINUTES_ONE if minutes == 1 else messages.MINUTES_MANY).fill(count=minutes)


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
class Throttle:
    """The failure state of format 2: failures so far, no attempt before `not_before` (epoch
    seconds, wall clock on purpose: it must survive a restart), and its MAC (None when written
    without a keyring)."""

    failures: int
    not_before: float
    mac: str | None

    def signed_data(self, salt: bytes) -> bytes:
        """What the MAC covers; the vault's salt ties it to this vault (a password change, which
        changes the salt, rewrites it)."""
        doc = {"failures": self.failures, "not_before": self.not_before, "salt": _b64(salt)}
        return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()

    def as_json(self) -> dict[str, Any]:
        return {"failures": self.failures, "not_before": self.not_before, "mac": self.mac}

    @classmethod
    def parse(cls, value: object) -> Throttle | None:
        """None when absent or malformed (the caller counts that as the worst case)."""
        if not isinstance(value, dict):
            return None
        failures, not_before, mac = value.get("failures"), value.get("not_before"), value.get("mac")
        if not (_is_int(failures) and failures >= 0 and _is_number(not_before)):
            return None
        if mac is not None and not isinstance(mac, str):
            return None
        return cls(failures, float(not_before), mac)


@dataclass(frozen=True)
class VaultFile:
    """The parsed content of vault.json."""

    kdf: KdfParams
    salt: bytes
    nonce: bytes
    wrapped_key: bytes
    version: int = VERSION
    throttle: Throttle | None = None  # None: absent or damaged (format 1 has none)

    def header(self) -> dict[str, Any]:
        """The associated data of the wrapped key: format 1's header, whatever the format."""
        return {
            "version": WRAP_VERSION,
            "kdf": {**self.kdf.as_json(), "salt": _b64(self.salt)},
            "cipher": "AES-256-GCM",
        }

    def associated_data(self) -> bytes:
        return json.dumps(self.header(), sort_keys=True, separators=(",", ":")).encode()

    def to_bytes(self) -> bytes:
        """Always format 2."""
        doc: dict[str, Any] = {
            **self.header(),
            "version": VERSION,
            "nonce": _b64(self.nonce),
            "wrapped_key": _b64(self.wrapped_key),
        }
        if self.throttle is not None:
            doc["throttle"] = self.throttle.as_json()
        return json.dumps(doc, indent=2, sort_keys=True).encode() + b"\n"

    @classmethod
    def parse(cls, data: bytes) -> VaultFile:
        """Validates every field of the key's wrapping; anything unexpected is VaultCorrupt,
        never a KeyError. The failure state is read leniently: damage there is not the key's."""
        try:
            doc = json.loads(data)
        except (ValueError, UnicodeDecodeError):
            raise VaultCorrupt("vault.json is not JSON") from None
        if not isinstance(doc, dict) or doc.get("version") not in (1, VERSION):
            raise VaultCorrupt("unknown vault version")
        version = doc["version"]
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
        if KdfParams(log_n=log_n, r=r, p=p).memory > _MAX_MEMORY:
            raise VaultCorrupt("kdf parameters out of range (memory)")
        salt = _unb64(kdf.get("salt"), SALT_BYTES)
        nonce = _unb64(doc.get("nonce"), NONCE_BYTES)
        wrapped = _unb64(doc.get("wrapped_key"), KEY_BYTES + TAG_BYTES)
        throttle = Throttle.parse(doc.get("throttle")) if version == VERSION else None
        return cls(KdfParams(log_n=log_n, r=r, p=p), salt, nonce, wrapped, version, throttle)


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


def _wrap(key: CacheKey, password: str, kdf: KdfParams, throttle: Throttle | None) -> VaultFile:
    salt, nonce = secrets.token_bytes(SALT_BYTES), secrets.token_bytes(NONCE_BYTES)
    draft = VaultFile(kdf, salt, nonce, b"")
    kek = kdf.derive(password, salt)
    with key.view() as plain:
        wrapped = AESGCM(kek).encrypt(nonce, plain, draft.associated_data())
    return replace(draft, wrapped_key=wrapped, throttle=throttle)


def _unwrap(vault_file: VaultFile, password: str) -> CacheKey | None:
    """The key, decrypted straight into its CacheKey buffer; None for a wrong password. (The KEK
    scrypt derives is an immutable bytes object of cryptography's: it cannot be wiped.)"""
    kek = vault_file.kdf.derive(password, vault_file.salt)
    ciphertext, tag = vault_file.wrapped_key[:-TAG_BYTES], vault_file.wrapped_key[-TAG_BYTES:]
    decryptor = Cipher(algorithms.AES(kek), modes.GCM(vault_file.nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(vault_file.associated_data())
    scratch = bytearray(len(ciphertext) + 15)  # update_into wants a block's room more
    try:
        written = decryptor.update_into(ciphertext, scratch)
        decryptor.finalize()  # checks the tag: InvalidTag for a wrong password
        if written != KEY_BYTES:
            raise VaultCorrupt("unwrapped key has a wrong length")
        with memoryview(scratch) as plain:
            return CacheKey(lambda buffer: buffer.__setitem__(slice(None), plain[:KEY_BYTES]))
    except InvalidTag:
        return None
    finally:
        zero(scratch)


class Vault:
    """One account's vault. `unlock` and `create` are slow on purpose: call them via to_thread.
    `keyring` holds the secret that authenticates the failure state (per account)."""

    FILE_NAME = "vault.json"
    LEGACY_THROTTLE_FILE_NAME = "vault-failures.json"  # format 1's failure state, beside it

    def __init__(
        self,
        account_dir: Path,
        clock: Callable[[], float] = time.time,
        keyring: TokenStore | None = None,
    ) -> None:
        self.account_dir = account_dir
        self._clock = clock
        self._keyring = keyring or TokenStore.for_vault(account_dir)

    @property
    def path(self) -> Path:
        return self.account_dir / self.FILE_NAME

    @property
    def legacy_throttle_path(self) -> Path:
        return self.account_dir / self.LEGACY_THROTTLE_FILE_NAME

    @staticmethod
    def exists(account_dir: Path) -> bool:
        return (account_dir / Vault.FILE_NAME).is_file()

    @classmethod
    def create(
        cls,
        account_dir: Path,
        password: str,
        kdf: KdfParams = DEFAULT_KDF,
        keyring: TokenStore | None = None,
    ) -> tuple[Vault, CacheKey]:
        """A new random 256-bit key, wrapped under `password`. Replaces any previous vault. The
        caller owns the key (and wipes it)."""
        paths.private_dir(account_dir)
        key = CacheKey.random()
        vault = cls(account_dir, keyring=keyring)
        try:
            vault._write(_wrap(key, password, kdf, None), 0, 0.0)
        except BaseException:
            key.wipe()
            raise
        vault.legacy_throttle_path.unlink(missing_ok=True)
        log.info("vault created (scrypt log_n=%d)", kdf.log_n)
        return vault, key

    def read(self) -> VaultFile:
        """The vault file, format 1 migrated to format 2 first (its failure state moved in)."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            raise VaultCorrupt("no vault file") from None
        vault_file = VaultFile.parse(data)
        if vault_file.version == VERSION:
            return vault_file
        failures, not_before = self._legacy_failures()
        migrated = self._write(vault_file, failures, not_before)
        self.legacy_throttle_path.unlink(missing_ok=True)
        log.info("vault migrated to format %d (%d failures kept)", VERSION, failures)
        return migrated

    def retry_after(self) -> float:
        """Seconds left before another attempt is allowed (0 when allowed now)."""
        _, not_before = self._failures(self.read())
        return max(0.0, not_before - self._clock())

    def unlock(self, password: str) -> CacheKey:
        """The cache key (the caller owns it and wipes it); WrongPassword (and a longer delay
        next time) for a wrong password."""
        vault_file = self.read()
        failures, not_before = self._failures(vault_file)
        wait = not_before - self._clock()
        if wait > 0:
            raise VaultThrottled(wait)
        key = _unwrap(vault_file, password)
        if key is None:
            failures += 1
            self._write(vault_file, failures, self._clock() + delay_after(failures))
            log.info("vault: wrong password (failure %d)", failures)
            raise WrongPassword("wrong vault password")
        if failures or not_before:
            self._write(vault_file, 0, 0.0)
        return key

    def change_password(self, old: str, new: str) -> None:
        """Re-wraps the same key under `new` (fresh salt and nonce); the cache is untouched."""
        key = self.unlock(old)
        try:
            vault_file = self.read()
            self._write(_wrap(key, new, vault_file.kdf, None), 0, 0.0)
        finally:
            key.wipe()
        log.info("vault re-wrapped under a new password")

    # The failure state ---------------------------------------------------------------------------

    def _failures(self, vault_file: VaultFile) -> tuple[int, float]:
        """(failures, not_before) when the state is there and checks out; otherwise the worst
        case is recorded once (rewritten, so that the wait ends) and returned."""
        state = vault_file.throttle
        flaw = "missing or damaged" if state is None else self._flaw(state, vault_file.salt)
        if state is not None and flaw is None:
            # A clock set back must not stretch the wait beyond the cap.
            return state.failures, min(state.not_before, self._clock() + MAX_DELAY)
        log.warning("vault: failure state %s, the longest delay applies", flaw)
        worst = self._clock() + MAX_DELAY
        self._write(vault_file, WORST_FAILURES, worst)
        return WORST_FAILURES, worst

    def _flaw(self, state: Throttle, salt: bytes) -> str | None:
        """Why the state cannot be trusted (None when it can); the reason goes to the log, so
        that support can tell a removed MAC from a keyring that went away."""
        secret = self._secret(create=False)
        if state.mac is None:
            # Written without a keyring; with one, a MAC was removed.
            return None if secret is None else "unsigned although a keyring secret exists"
        if secret is None:
            return "signed but the keyring secret is gone (or the keyring is not there now)"
        if not hmac.compare_digest(state.mac, _mac(secret, state.signed_data(salt))):
            return "not authentic (its MAC does not match)"
        return None

    def _write(self, vault_file: VaultFile, failures: int, not_before: float) -> VaultFile:
        state = Throttle(failures, not_before, None)
        secret = self._secret(create=True)
        if secret is not None:
            state = replace(state, mac=_mac(secret, state.signed_data(vault_file.salt)))
        written = replace(vault_file, version=VERSION, throttle=state)
        write_private_atomically(self.path, written.to_bytes())
        return written

    def _secret(self, *, create: bool) -> bytes | None:
        """The per-account secret in the OS keyring (made when first needed); None without a
        keyring."""
        stored = self._keyring.load()
        if stored is not None:
            try:
                return base64.b64decode(stored, validate=True)
            except (binascii.Error, ValueError):
                return None  # damaged: whatever it signed cannot be trusted
        if not create or not self._keyring.available():
            return None
        secret = secrets.token_bytes(32)
        if not self._keyring.save(_b64(secret)):
            return None
        return secret

    def _legacy_failures(self) -> tuple[int, float]:
        """Format 1's state, from vault-failures.json: none when absent, the worst when damaged."""
        try:
            doc = json.loads(self.legacy_throttle_path.read_bytes())
        except FileNotFoundError:
            return 0, 0.0
        except (OSError, ValueError):
            doc = None
        state = Throttle.parse({**doc, "mac": None} if isinstance(doc, dict) else None)
        if state is None:
            return WORST_FAILURES, self._clock() + MAX_DELAY
        return state.failures, min(state.not_before, self._clock() + MAX_DELAY)


def _mac(secret: bytes, data: bytes) -> str:
    return _b64(hmac.new(secret, data, hashlib.sha256).digest())
