"""PushSubscription/get and /set (RFC 8620 §7.2): a loopback receiver plays the push service."""

from __future__ import annotations

import base64
import json
import queue
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from server.testing import ServerThread
from tests.server.conftest import ALICE, BOB, get_token, start_sandbox
from tests.server.jmap_support import Jmap, simple_message

WAIT = 10  # seconds to wait for a push that must come


class Receiver:
    """Records every POST: (headers, body)."""

    def __init__(self) -> None:
        received: queue.Queue[tuple[dict[str, str], bytes]] = queue.Queue()
        self.received = received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.put(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(201)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.http = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/push"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def next(self) -> tuple[dict[str, str], bytes]:
        return self.received.get(timeout=WAIT)

    def next_json(self) -> dict[str, Any]:
        _, body = self.next()
        value: dict[str, Any] = json.loads(body)
        return value


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.http.shutdown()
    r.http.server_close()


def _set(jmap: Jmap, **args: Any) -> dict[str, Any]:
    [[name, result, _]] = jmap.request(["PushSubscription/set", args, "0"])
    assert name == "PushSubscription/set", result
    return dict(result)


def _get(jmap: Jmap, **args: Any) -> dict[str, Any]:
    [[name, result, _]] = jmap.request(["PushSubscription/get", args, "0"])
    assert name == "PushSubscription/get", result
    return dict(result)


def _subscribe(jmap: Jmap, receiver: Receiver, **props: Any) -> tuple[str, str]:
    """A verified subscription: its id and the code the server sent."""
    result = _set(jmap, create={"s": {"deviceClientId": "poste-1", "url": receiver.url, **props}})
    subscription_id = result["created"]["s"]["id"]
    verification = receiver.next_json()
    assert verification["@type"] == "PushVerification"
    code: str = verification["verificationCode"]
    assert verification["pushSubscriptionId"] == subscription_id
    return subscription_id, code


def test_create_sends_a_verification_and_get_hides_url_and_keys(
    alice: Jmap, receiver: Receiver
) -> None:
    far = (datetime.now(UTC) + timedelta(days=60)).strftime("%Y-%m-%dT%H:%M:%SZ")
    result = _set(
        alice,
        create={"s": {"deviceClientId": "poste-1", "url": receiver.url, "expires": far}},
    )
    assert "accountId" not in result
    assert "newState" not in result
    created = result["created"]["s"]
    capped = datetime.fromisoformat(created["expires"].replace("Z", "+00:00"))
    assert capped <= datetime.now(UTC) + timedelta(days=7, minutes=1)  # capped, and returned
    headers, body = receiver.next()
    assert headers["content-type"] == "application/json"
    verification = json.loads(body)
    assert verification["pushSubscriptionId"] == created["id"]
    assert len(verification["verificationCode"]) >= 16
    got = _get(alice)
    assert "state" not in got
    assert "accountId" not in got
    assert got["list"] == [
        {
            "id": created["id"],
            "deviceClientId": "poste-1",
            "verificationCode": None,  # not verified yet
            "expires": created["expires"],
            "types": None,
        }
    ]
    [[name, error, _]] = alice.request(["PushSubscription/get", {"properties": ["id", "url"]}, "0"])
    assert (name, error["type"]) == ("error", "forbidden")


@pytest.mark.parametrize(
    ("props", "bad"),
    [
        ({"url": "https://push.example.com/x"}, ["url"]),
        ({"url": "http://10.0.0.1/x"}, ["url"]),
        ({"url": "ftp://127.0.0.1/x"}, ["url"]),
        ({"deviceClientId": None}, ["deviceClientId"]),
        ({"verificationCode": "abc"}, ["verificationCode"]),
        ({"id": "P1"}, ["id"]),
        ({"expires": "2001-01-01T00:00:00Z"}, ["expires"]),
        ({"expires": "demain"}, ["expires"]),
        ({"types": "Email"}, ["types"]),
        ({"keys": {"p256dh": "pas-une-cle", "auth": "AAAA"}}, ["keys"]),
    ],
)
def test_create_with_bad_properties_is_invalid_properties(
    alice: Jmap, receiver: Receiver, props: dict[str, Any], bad: list[str]
) -> None:
    base = {"deviceClientId": "poste-1", "url": receiver.url}
    result = _set(alice, create={"s": {**base, **props}})
    error = result["notCreated"]["s"]
    assert error["type"] == "invalidProperties"
    assert error["properties"] == bad
    assert _get(alice)["list"] == []


def test_state_changes_are_pushed_only_once_verified(
    server: ServerThread, alice: Jmap, receiver: Receiver
) -> None:
    subscription_id, code = _subscribe(alice, receiver)
    server.sandbox.mail.import_message(alice.account_id, simple_message())  # not verified yet
    # A second subscription's verification, queued after that change, comes next: the first
    # subscription got nothing in between.
    _set(alice, create={"t": {"deviceClientId": "poste-2", "url": receiver.url}})
    assert receiver.next_json()["@type"] == "PushVerification"
    wrong = _set(alice, update={subscription_id: {"verificationCode": "faux"}})
    assert wrong["notUpdated"][subscription_id]["properties"] == ["verificationCode"]
    assert _set(alice, update={subscription_id: {"verificationCode": code}})["updated"] == {
        subscription_id: None
    }
    assert _get(alice, ids=[subscription_id])["list"][0]["verificationCode"] == code
    server.sandbox.mail.import_message(alice.account_id, simple_message(message_id="b@x"))
    change = receiver.next_json()
    assert change["@type"] == "StateChange"
    changed = change["changed"][alice.account_id]
    assert changed["Email"] == alice.state("Email")
    assert "Mailbox" in changed


def test_types_filter_what_is_pushed(server: ServerThread, alice: Jmap, receiver: Receiver) -> None:
    subscription_id, code = _subscribe(alice, receiver, types=["Identity"])
    _set(alice, update={subscription_id: {"verificationCode": code}})
    server.sandbox.mail.import_message(alice.account_id, simple_message())  # Email: not wanted
    alice.call("Identity/set", update={alice.identity(): {"name": "Dr A. Martin"}})
    change = receiver.next_json()
    assert change["changed"] == {alice.account_id: {"Identity": alice.state("Identity")}}


def test_immutable_properties_and_destroy(alice: Jmap, receiver: Receiver) -> None:
    subscription_id, _ = _subscribe(alice, receiver)
    refused = _set(
        alice, update={subscription_id: {"url": receiver.url + "2", "deviceClientId": "x"}}
    )
    assert sorted(refused["notUpdated"][subscription_id]["properties"]) == [
        "deviceClientId",
        "url",
    ]
    result = _set(alice, destroy=[subscription_id, "Pnope"])
    assert result["destroyed"] == [subscription_id]
    assert result["notDestroyed"] == {"Pnope": {"type": "notFound"}}
    assert _get(alice, ids=[subscription_id])["notFound"] == [subscription_id]
    [[name, error, _]] = alice.request(["PushSubscription/set", {"ifInState": "1"}, "0"])
    assert (name, error["type"]) == ("error", "invalidArguments")  # no ifInState here


def test_other_users_subscriptions_are_not_visible(
    server: ServerThread, alice: Jmap, bob_token: str, receiver: Receiver
) -> None:
    subscription_id, _ = _subscribe(alice, receiver)
    bob = Jmap(server.base_url, bob_token)
    assert _get(bob)["list"] == []
    assert _set(bob, destroy=[subscription_id])["notDestroyed"][subscription_id] == {
        "type": "notFound"
    }


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _hkdf(salt: bytes, ikm: bytes, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


def test_with_keys_every_push_is_encrypted_per_rfc_8291(alice: Jmap, receiver: Receiver) -> None:
    ua_private = ec.generate_private_key(ec.SECP256R1())
    ua_public = ua_private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    auth = b"0123456789abcdef"
    keys = {"p256dh": _b64(ua_public), "auth": _b64(auth)}
    _set(alice, create={"s": {"deviceClientId": "poste-1", "url": receiver.url, "keys": keys}})
    headers, body = receiver.next()
    assert headers["content-encoding"] == "aes128gcm"
    assert b"verificationCode" not in body
    # The user agent's side of RFC 8291 §3.4 and RFC 8188 §2.
    salt, id_len = body[:16], body[20]
    as_public = body[21 : 21 + id_len]
    as_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), as_public)
    secret = ua_private.exchange(ec.ECDH(), as_key)
    ikm = _hkdf(auth, secret, b"WebPush: info\x00" + ua_public + as_public, 32)
    cek = _hkdf(salt, ikm, b"Content-Encoding: aes128gcm\x00", 16)
    nonce = _hkdf(salt, ikm, b"Content-Encoding: nonce\x00", 12)
    plain = AESGCM(cek).decrypt(nonce, body[21 + id_len :], None)
    assert plain.endswith(b"\x02")
    assert json.loads(plain[:-1])["@type"] == "PushVerification"


def _push_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "jmap-push-subscriptions"]


def test_closing_the_sandbox_stops_and_joins_its_push_thread(
    tmp_path: Path, receiver: Receiver
) -> None:
    before = len(_push_threads())  # another test's sandbox may still be open on this worker
    server = start_sandbox(tmp_path / "sandbox", (ALICE, BOB))
    stopped = False
    try:
        alice = Jmap(server.base_url, get_token(server.base_url, ALICE))
        subscription_id, code = _subscribe(alice, receiver)
        _set(alice, update={subscription_id: {"verificationCode": code}})
        server.sandbox.mail.import_message(alice.account_id, simple_message())
        assert receiver.next_json()["@type"] == "StateChange"
        assert len(_push_threads()) == before + 1  # the worker runs
        pushes = server.sandbox.push_subscriptions
        server.stop()
        stopped = True
        assert len(_push_threads()) == before  # stopped and joined by Sandbox.close
        pushes.send_verification("S1", receiver.url, None, "code")  # after close: nothing
        assert len(_push_threads()) == before
        assert receiver.received.empty()
    finally:
        if not stopped:
            server.stop()
