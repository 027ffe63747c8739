"""Password hashes: scrypt with a per-password salt, never the password itself."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

_R, _P, _LEN = 8, 1, 32


def hash_password(password: str, log_n: int) -> str:
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, 1 << log_n)
    salt_b64, digest_b64 = base64.b64encode(salt).decode(), base64.b64encode(digest).decode()
    return f"scrypt${log_n}${_R}${_P}${salt_b64}${digest_b64}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, log_n, r, p, salt_b64, digest_b64 = stored.split("$")
        if scheme != "scrypt" or int(r) != _R or int(p) != _P:
            return False
        salt, expected = base64.b64decode(salt_b64), base64.b64decode(digest_b64)
    except ValueError:
        return False
    return hmac.compare_digest(_scrypt(password, salt, 1 << int(log_n)), expected)


def _scrypt(password: str, salt: bytes, n: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=_R, p=_P, maxmem=256 * n * _R, dklen=_LEN
    )


# A hash to check unknown logins against, so that they cost as much time as known ones.
def dummy_hash(log_n: int) -> str:
    return hash_password(secrets.token_urlsafe(12), log_n)
