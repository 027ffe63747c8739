"""Login, tokens, throttling (DESIGN §2.1), over HTTP against a running sandbox."""

from __future__ import annotations

import base64
import hashlib
import time
from pathlib import Path
from typing import Any

import httpx

from server.accounts import Accounts
from server.auth.tokens import MIGRATIONS
from server.storage import Database
from server.testing import ServerThread, quick_config
from tests.server.conftest import ALICE, BOB, ServerFactory, User, get_token


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


# --- Refresh token rotation, families, revocation -------------------------------------------------


def _password_login(server: ServerThread, user: User = ALICE) -> dict[str, Any]:
    r = _token_request(
        server.base_url, grant_type="password", username=user.login, password=user.password
    )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _refresh(server: ServerThread, refresh_token: str) -> httpx.Response:
    return _token_request(server.base_url, grant_type="refresh_token", refresh_token=refresh_token)


def _revoke(server: ServerThread, **form: str) -> httpx.Response:
    return httpx.post(server.base_url + "/auth/revoke", data=form)


def _accepted(server: ServerThread, access_token: str) -> bool:
    headers = {"Authorization": f"Bearer {access_token}"}
    return httpx.get(server.base_url + "/.well-known/jmap", headers=headers).status_code == 200


def test_each_refresh_returns_a_new_refresh_token_and_retires_the_one_used(
    server: ServerThread,
) -> None:
    first = _password_login(server)
    second = _refresh(server, first["refresh_token"])
    assert second.status_code == 200
    renewed = second.json()
    assert renewed["refresh_token"] not in (None, first["refresh_token"])
    assert renewed["access_token"] != first["access_token"]
    assert second.headers["cache-control"] == "no-store"
    third = _refresh(server, renewed["refresh_token"])  # the chain goes on
    assert third.status_code == 200
    assert _accepted(server, third.json()["access_token"])


def test_a_reused_refresh_token_revokes_its_whole_family_and_no_other(
    server: ServerThread,
) -> None:
    first = _password_login(server)
    current = _refresh(server, first["refresh_token"]).json()
    elsewhere = _password_login(server)  # another login of the same user: another family

    reused = _refresh(server, first["refresh_token"])
    assert (reused.status_code, reused.json()["error"]) == (401, "invalid_grant")
    # The thief or the user: the server cannot tell, so the whole chain goes.
    assert _refresh(server, current["refresh_token"]).status_code == 401
    assert not _accepted(server, current["access_token"])
    assert not _accepted(server, first["access_token"])
    assert _accepted(server, elsewhere["access_token"])
    assert _refresh(server, elsewhere["refresh_token"]).status_code == 200


def test_revoking_a_refresh_token_revokes_its_family_and_any_token_gets_200(
    server: ServerThread,
) -> None:
    tokens = _password_login(server)
    renewed = _refresh(server, tokens["refresh_token"]).json()
    r = _revoke(server, token=renewed["refresh_token"], token_type_hint="refresh_token")
    assert r.status_code == 200
    assert r.headers["cache-control"] == "no-store"
    assert _refresh(server, renewed["refresh_token"]).status_code == 401
    assert not _accepted(server, renewed["access_token"])
    assert not _accepted(server, tokens["access_token"])
    # Unknown and already revoked tokens: 200 all the same (RFC 7009 §2.2); no token: 400.
    assert _revoke(server, token="rt_unknown").status_code == 200
    assert _revoke(server, token=renewed["refresh_token"]).status_code == 200
    missing = _revoke(server)
    assert (missing.status_code, missing.json()["error"]) == (400, "invalid_request")
    # An access token goes alone.
    other = _password_login(server, BOB)
    assert _revoke(server, token=other["access_token"]).status_code == 200
    assert not _accepted(server, other["access_token"])
    assert _refresh(server, other["refresh_token"]).status_code == 200


def test_a_refresh_token_issued_before_rotation_existed_still_works_once(
    server_factory: ServerFactory, tmp_path: Path
) -> None:
    """The tokens table's second migration: a remembered session survives the upgrade."""
    data = tmp_path / "before-upgrade"
    db = Database(quick_config(data).database_path)
    account = Accounts(db, 10).create(ALICE.login, ALICE.password, ALICE.name, ALICE.email)
    db.migrate("tokens", MIGRATIONS[:1])
    old = "rt_" + "o" * 43
    with db.write() as conn:
        conn.execute(
            "INSERT INTO tokens (token_hash, account_id, kind, expires_at) VALUES (?, ?, ?, ?)",
            (hashlib.sha256(old.encode()).hexdigest(), account.id, "refresh", time.time() + 600),
        )
    db.close()
    server = server_factory(data_dir=data, users=())
    renewed = _refresh(server, old)
    assert renewed.status_code == 200
    assert _accepted(server, renewed.json()["access_token"])
    assert _refresh(server, renewed.json()["refresh_token"]).status_code == 200
    assert _refresh(server, old).status_code == 401  # reused: its family goes
