"""Push subscriptions (RFC 8620 §7.2): the server POSTs StateChange objects to a client's URL.

A new subscription first gets a PushVerification with a code; nothing else is pushed to it until
the client sets that code (proof that the URL is its own). The sandbox pushes to loopback URLs
only: it must not become a way to make requests to other hosts. With `keys`, every push is
encrypted as RFC 8291 says (aes128gcm), so only the client's browser reads it.

Pushes run on one worker thread: the change log's writer only queues them.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import queue
import secrets
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

if TYPE_CHECKING:
    from server.context import Sandbox

log = logging.getLogger(__name__)

MIGRATIONS = [
    """
    CREATE TABLE push_subscriptions (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        device_client_id TEXT NOT NULL,
        url TEXT NOT NULL,
        keys TEXT,
        verification_code TEXT NOT NULL,
        verified INTEGER NOT NULL DEFAULT 0,
        expires INTEGER NOT NULL,
        types TEXT
    );
    CREATE INDEX push_subscriptions_by_account ON push_subscriptions (account_id);
    """
]

MAX_LIFETIME = timedelta(days=7)
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
_TIMEOUT = 5.0


def loopback_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
        return parts.scheme in ("http", "https") and parts.hostname in LOOPBACK_HOSTS
    except ValueError:
        return False


def _b64url_decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def valid_keys(value: Any) -> bool:
    """{p256dh, auth}: a P-256 public key (uncompressed) and a 16-octet secret, base64url."""
    if not isinstance(value, dict) or set(value) != {"p256dh", "auth"}:
        return False
    try:
        public = _b64url_decode(value["p256dh"])
        auth = _b64url_decode(value["auth"])
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), public)
    except (TypeError, ValueError, AttributeError):
        return False
    return len(auth) == 16


def _hkdf(salt: bytes, ikm: bytes, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


def encrypt(body: bytes, keys: dict[str, str]) -> bytes:
    """RFC 8291 message encryption, in one aes128gcm record (RFC 8188)."""
    ua_public = _b64url_decode(keys["p256dh"])
    auth_secret = _b64url_decode(keys["auth"])
    ua_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), ua_public)
    as_private = ec.generate_private_key(ec.SECP256R1())
    as_public = as_private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    ecdh_secret = as_private.exchange(ec.ECDH(), ua_key)
    ikm = _hkdf(auth_secret, ecdh_secret, b"WebPush: info\x00" + ua_public + as_public, 32)
    salt = os.urandom(16)
    cek = _hkdf(salt, ikm, b"Content-Encoding: aes128gcm\x00", 16)
    nonce = _hkdf(salt, ikm, b"Content-Encoding: nonce\x00", 12)
    record_size = max(4096, len(body) + 18)  # one record: content, delimiter, tag
    ciphertext = AESGCM(cek).encrypt(nonce, body + b"\x02", None)
    header = salt + record_size.to_bytes(4, "big") + bytes([len(as_public)]) + as_public
    return header + ciphertext


def now_epoch() -> int:
    return int(datetime.now(UTC).timestamp())


class PushSubscriptions:
    def __init__(self, sandbox: Sandbox) -> None:
        self._sandbox = sandbox
        sandbox.db.migrate("push_subscriptions", MIGRATIONS)
        self._queue: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        self._worker: threading.Thread | None = None
        self._lock = threading.Lock()
        self._closed = False
        sandbox.broker.observers.append(self._on_change)

    def close(self) -> None:
        """Stops the worker and waits for it (at most one post's timeout): a closed sandbox
        leaves no thread behind (the soak and the tests count threads). After close, changes
        push nothing."""
        with self._lock:
            self._closed = True
            worker, self._worker = self._worker, None
        if worker is not None:
            self._queue.put(("stop", None))
            worker.join()

    def _on_change(self, account_id: str, changed: dict[str, str]) -> None:
        self._put(("state", (account_id, changed)))

    def send_verification(self, subscription_id: str, url: str, keys: Any, code: str) -> None:
        body = {
            "@type": "PushVerification",
            "pushSubscriptionId": subscription_id,
            "verificationCode": code,
        }
        self._put(("post", (url, keys, body)))

    def _put(self, item: tuple[str, Any]) -> None:
        with self._lock:
            if self._closed:
                return
            self._queue.put(item)
            if self._worker is None:
                self._worker = threading.Thread(
                    target=self._run, name="jmap-push-subscriptions", daemon=True
                )
                self._worker.start()

    def _run(self) -> None:
        while True:
            kind, payload = self._queue.get()
            if kind == "stop":
                return
            try:
                if kind == "post":
                    self._post(*payload)
                else:
                    self._push_state(*payload)
            except Exception:  # a client's URL failing never stops the others
                log.warning("push subscription delivery failed", exc_info=True)

    def _push_state(self, account_id: str, changed: dict[str, str]) -> None:
        with self._sandbox.db.read() as conn:
            rows = conn.execute(
                "SELECT url, keys, types FROM push_subscriptions "
                "WHERE account_id = ? AND verified = 1 AND expires > ?",
                (account_id, now_epoch()),
            ).fetchall()
        for row in rows:
            types = json.loads(row["types"]) if row["types"] else None
            relevant = {t: s for t, s in changed.items() if types is None or t in types}
            if relevant:
                body = {"@type": "StateChange", "changed": {account_id: relevant}}
                keys = json.loads(row["keys"]) if row["keys"] else None
                self._post(row["url"], keys, body)

    def _post(self, url: str, keys: dict[str, str] | None, body: dict[str, Any]) -> None:
        if not loopback_url(url):  # checked at creation; kept here so nothing else is reached
            return
        content = json.dumps(body).encode()
        headers = {"Content-Type": "application/json", "TTL": "86400"}
        if keys:
            content = encrypt(content, keys)
            headers = {"Content-Encoding": "aes128gcm", "TTL": "86400"}
        httpx.post(url, content=content, headers=headers, timeout=_TIMEOUT)

    @staticmethod
    def new_code() -> str:
        return secrets.token_urlsafe(16)

    @staticmethod
    def purge_expired(conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM push_subscriptions WHERE expires <= ?", (now_epoch(),))
