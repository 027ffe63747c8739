"""The refresh token in the OS keyring ("remember me"), and the secret that authenticates the
vault's failure state. Never the password.

Where no keyring service exists (a headless Linux without Secret Service), `keyring` falls back to
a backend that fails; we then say so and the app asks for the password at each launch. Backends that
only obfuscate (keyrings.alt's plaintext file) count as no keyring: a token must not sit on disk in
clear.
"""

from __future__ import annotations

from pathlib import Path

import keyring
import keyring.backend
import keyring.errors
from keyring.backends import fail

from app import logs, messages

log = logs.get("keychain")

SERVICE = "MonSisra bureau"

NO_KEYRING_FR = messages.NO_KEYRING.text()

# Backends that store secrets in clear or merely encoded: never trusted with a token.
_UNSAFE_BACKENDS = frozenset(
    {"keyrings.alt.file.PlaintextKeyring", "keyring.backends.null.Keyring"}
)


def _backend_name(backend: keyring.backend.KeyringBackend) -> str:
    return f"{type(backend).__module__}.{type(backend).__qualname__}"


def _safe(backend: keyring.backend.KeyringBackend) -> bool:
    return not isinstance(backend, fail.Keyring) and _backend_name(backend) not in _UNSAFE_BACKENDS


class TokenStore:
    """The refresh token of one account, under (SERVICE, the account folder's name)."""

    def __init__(self, username: str, service: str = SERVICE) -> None:
        self.username = username
        self.service = service

    @classmethod
    def for_account(cls, account_dir: Path) -> TokenStore:
        return cls(account_dir.name)

    @classmethod
    def for_vault(cls, account_dir: Path) -> TokenStore:
        """The secret that authenticates the vault's failure state (app/account/vault.py)."""
        return cls(f"{account_dir.name}.vault")

    @staticmethod
    def available() -> bool:
        """False when the keyring cannot keep a secret safely: then show NO_KEYRING_FR."""
        try:
            backend = keyring.get_keyring()
        except keyring.errors.KeyringError:
            return False
        if not _safe(backend):
            return False
        # The chainer holds the usable backends; none left means nothing can store a secret.
        children = getattr(backend, "backends", None)
        if isinstance(children, list):
            return any(_safe(b) for b in children)
        return True

    def save(self, refresh_token: str) -> bool:
        """True when stored; False (logged, not raised) when the keyring refuses."""
        if not self.available():
            return False
        try:
            keyring.set_password(self.service, self.username, refresh_token)
        except keyring.errors.KeyringError as exc:
            log.warning("keyring refused to store the token (%s)", type(exc).__name__)
            return False
        return True

    def load(self) -> str | None:
        if not self.available():
            return None
        try:
            return keyring.get_password(self.service, self.username)
        except keyring.errors.KeyringError as exc:
            log.warning("keyring could not be read (%s)", type(exc).__name__)
            return None

    def delete(self) -> None:
        if not self.available():
            return
        try:
            keyring.delete_password(self.service, self.username)
        except keyring.errors.PasswordDeleteError:
            return  # nothing was stored
        except keyring.errors.KeyringError as exc:
            log.warning("keyring could not delete the token (%s)", type(exc).__name__)
