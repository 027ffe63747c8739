"""Login, tokens, throttling (DESIGN §2.1), over HTTP against a running sandbox."""

from __future__ import annotations

import base64
import time

import httpx

from server.testing import ServerThread
from tests.server.conftest import ALICE, BOB, ServerFactory, get_token


def _token_request(base_url: str, **form: str) -> httpx.Response:
    return httpx.post(base_url + "/auth/token", data=form)


def test_password_grant_returns_bearer_and_refresh_tokens(server: ServerThread) -> None:
    r = _token_request(
        server.base_url, grant_type="password", username=ALICE.login, password=ALICE.password
    )
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 600
    assert body["access_token"] != body["refresh_token"]
    assert r.headers["cache-control"] == "no-store"


def test_wrong_password_is_invalid_grant(server: ServerThread) -> None:
    r = _token_request(
        server.base_url, grant_type="password", username=ALICE.login, password="nope"
    )
    assert r.status_code == 401
    assert r.json()["error"] == "invalid_grant"
    unknown = _token_request(
        server.base_url, grant_type="password", username="ghost", password="nope"
    )
    assert unknown.status_code == 401
    assert unknown.json()["error"] == "invalid_grant"


def test_malformed_token_requests_are_400(server: ServerThread) -> None:
    assert _token_request(server.base_url).json()["error"] == "invalid_request"
    r = _token_request(server.base_url, grant_type="client_credentials")
    assert (r.status_code, r.json()["error"]) == (400, "unsupported_grant_type")
    r = _token_request(server.base_url, grant_type="password", username="alice")
    assert (r.status_code, r.json()["error"]) == (400, "invalid_request")
    r = httpx.post(
        server.base_url + "/auth/token",
        content=b"\xff\xfe{",
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 400


def test_five_failures_lock_the_login_with_retry_after(server_factory: ServerFactory) -> None:
    server = server_factory(login_failure_window=3)
    for _ in range(5):
        r = _token_request(
            server.base_url, grant_type="password", username=ALICE.login, password="wrong"
        )
        assert r.status_code == 401
    locked = _token_request(
        server.base_url, grant_type="password", username=ALICE.login, password=ALICE.password
    )
    assert locked.status_code == 429
    assert 1 <= int(locked.headers["retry-after"]) <= 3
    # Another login is not affected.
    assert get_token(server.base_url, BOB)
    time.sleep(int(locked.headers["retry-after"]) + 0.2)
    assert get_token(server.base_url, ALICE)


def test_access_token_expires_and_refresh_renews_it(server_factory: ServerFactory) -> None:
    server = server_factory(access_token_lifetime=1)
    body = _token_request(
        server.base_url, grant_type="password", username=ALICE.login, password=ALICE.password
    ).json()
    session = server.base_url + "/.well-known/jmap"
    auth = {"Authorization": f"Bearer {body['access_token']}"}
    assert httpx.get(server.base_url + "/jmap/api", headers=auth).status_code != 401
    time.sleep(1.3)
    expired = httpx.post(server.base_url + "/jmap/api", headers=auth, json={})
    assert expired.status_code == 401
    assert 'error="invalid_token"' in expired.headers["www-authenticate"]
    renewed = _token_request(
        server.base_url, grant_type="refresh_token", refresh_token=body["refresh_token"]
    )
    assert renewed.status_code == 200
    new_auth = {"Authorization": f"Bearer {renewed.json()['access_token']}"}
    assert httpx.get(session, headers=new_auth).json()["username"] == ALICE.login
    bad = _token_request(server.base_url, grant_type="refresh_token", refresh_token="rt_bogus")
    assert (bad.status_code, bad.json()["error"]) == (401, "invalid_grant")


def test_http_basic_is_accepted_and_checked(server: ServerThread) -> None:
    good = base64.b64encode(f"{ALICE.login}:{ALICE.password}".encode()).decode()
    r = httpx.get(server.base_url + "/.well-known/jmap", headers={"Authorization": f"Basic {good}"})
    assert r.status_code == 200
    assert r.json()["username"] == ALICE.login
    bad = base64.b64encode(f"{ALICE.login}:wrong".encode()).decode()
    r = httpx.post(
        server.base_url + "/jmap/api", headers={"Authorization": f"Basic {bad}"}, json={}
    )
    assert r.status_code == 401
    assert "Basic" in r.headers["www-authenticate"]
    r = httpx.post(server.base_url + "/jmap/api", headers={"Authorization": "Basic %%%"}, json={})
    assert r.status_code == 401


def test_passwords_and_tokens_are_not_stored_in_clear(server: ServerThread) -> None:
    token = get_token(server.base_url, ALICE)
    server.sandbox.db.connection().execute("PRAGMA wal_checkpoint(FULL)")
    raw = b"".join(p.read_bytes() for p in server.config.data_dir.rglob("*") if p.is_file())
    assert ALICE.password.encode() not in raw
    assert token.encode() not in raw
