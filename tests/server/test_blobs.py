"""Blob upload and download (RFC 8620 §6) over HTTP."""

from __future__ import annotations

import os
import threading
import time
from typing import Any
from urllib.parse import quote

import httpx

from server.testing import ServerThread
from tests.server.conftest import ALICE, ServerFactory, get_token


def _session(base_url: str, token: str) -> dict[str, Any]:
    r = httpx.get(base_url + "/.well-known/jmap", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    session: dict[str, Any] = r.json()
    return session


def _upload(session: dict[str, Any], token: str, data: bytes, content_type: str) -> httpx.Response:
    account_id = session["primaryAccounts"]["urn:ietf:params:jmap:mail"]
    url = session["uploadUrl"].replace("{accountId}", account_id)
    return httpx.post(
        url,
        content=data,
        headers={"Authorization": f"Bearer {token}", "Content-Type": content_type},
    )


def _download_url(session: dict[str, Any], blob_id: str, name: str, type_: str) -> str:
    account_id = session["primaryAccounts"]["urn:ietf:params:jmap:mail"]
    return (
        session["downloadUrl"]
        .replace("{accountId}", account_id)
        .replace("{blobId}", blob_id)
        .replace("{name}", quote(name, safe=""))
        .replace("{type}", quote(type_, safe=""))
    )


def test_upload_then_download_round_trips_with_the_file_name(
    server: ServerThread, alice_token: str
) -> None:
    session = _session(server.base_url, alice_token)
    data = os.urandom(300_000)
    r = _upload(session, alice_token, data, "application/pdf")
    assert r.status_code == 201
    body = r.json()
    assert body["size"] == len(data)
    assert body["type"] == "application/pdf"
    name = 'compte rendu n°2 (été) "final".pdf'
    url = _download_url(session, body["blobId"], name, "application/pdf")
    got = httpx.get(url, headers={"Authorization": f"Bearer {alice_token}"})
    assert got.status_code == 200
    assert got.content == data
    assert got.headers["content-type"] == "application/pdf"
    disposition = got.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''" + quote(name, safe="") in disposition
    assert '"' not in disposition.split('filename="')[1].split('";')[0]


def test_upload_larger_than_the_limit_is_refused(server_factory: ServerFactory) -> None:
    server = server_factory(max_size_upload=100_000)
    token = get_token(server.base_url, ALICE)
    session = _session(server.base_url, token)
    assert session["capabilities"]["urn:ietf:params:jmap:core"]["maxSizeUpload"] == 100_000
    r = _upload(session, token, b"x" * 100_001, "text/plain")
    assert r.status_code == 413
    assert r.json()["limit"] == "maxSizeUpload"
    # Without a Content-Length (chunked), the limit is enforced while streaming.
    account_id = session["primaryAccounts"]["urn:ietf:params:jmap:mail"]
    url = session["uploadUrl"].replace("{accountId}", account_id)

    def chunks() -> Any:
        for _ in range(30):
            yield b"y" * 10_000

    r = httpx.post(url, content=chunks(), headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 413
    assert _upload(session, token, b"x" * 100_000, "text/plain").status_code == 201


def test_blobs_are_private_to_their_account(
    server: ServerThread, alice_token: str, bob_token: str
) -> None:
    alice = _session(server.base_url, alice_token)
    bob = _session(server.base_url, bob_token)
    blob_id = _upload(alice, alice_token, b"secret report", "text/plain").json()["blobId"]
    # Bob with his own account id and alice's blob id: not found.
    url = _download_url(bob, blob_id, "a.txt", "text/plain")
    assert httpx.get(url, headers={"Authorization": f"Bearer {bob_token}"}).status_code == 404
    # Bob with alice's account id: not found either.
    url = _download_url(alice, blob_id, "a.txt", "text/plain")
    assert httpx.get(url, headers={"Authorization": f"Bearer {bob_token}"}).status_code == 404
    account_id = alice["primaryAccounts"]["urn:ietf:params:jmap:mail"]
    r = httpx.post(
        alice["uploadUrl"].replace("{accountId}", account_id),
        content=b"x",
        headers={"Authorization": f"Bearer {bob_token}"},
    )
    assert r.status_code == 404


def test_odd_blob_ids_and_types_are_answered_cleanly(
    server: ServerThread, alice_token: str
) -> None:
    session = _session(server.base_url, alice_token)
    auth = {"Authorization": f"Bearer {alice_token}"}
    for blob_id in ["../../etc/passwd", "B" + "0" * 64, "B' OR 1=1 --", "x" * 500, "%00"]:
        url = _download_url(session, blob_id, "f.bin", "application/octet-stream")
        assert httpx.get(url, headers=auth).status_code == 404
    blob_id = _upload(session, alice_token, b"hello", "text/plain").json()["blobId"]
    url = _download_url(session, blob_id, "f.txt", "text/html\r\nX-Evil: 1")
    r = httpx.get(url, headers=auth)
    assert r.status_code == 200
    assert "x-evil" not in r.headers
    assert r.headers["content-type"].startswith("text/plain")
    assert httpx.get(url).status_code == 401


def _slow_body(chunks: int, delay: float) -> Any:
    for _ in range(chunks):
        time.sleep(delay)
        yield b"z" * 1000


def test_concurrency_limits_answer_with_a_limit_problem(server_factory: ServerFactory) -> None:
    server = server_factory(max_concurrent_upload=1, max_concurrent_requests=1)
    token = get_token(server.base_url, ALICE)
    session = _session(server.base_url, token)
    account_id = session["primaryAccounts"]["urn:ietf:params:jmap:mail"]
    auth = {"Authorization": f"Bearer {token}"}
    upload_url = session["uploadUrl"].replace("{accountId}", account_id)
    # A slow upload holds the only upload slot; a second one is told about the limit.
    results: list[int] = []
    slow = threading.Thread(
        target=lambda: results.append(
            httpx.post(upload_url, content=_slow_body(15, 0.1), headers=auth).status_code
        )
    )
    slow.start()
    time.sleep(0.5)
    second = httpx.post(upload_url, content=b"x", headers=auth)
    assert second.status_code == 429
    assert second.json()["limit"] == "maxConcurrentUpload"
    slow.join()
    assert results == [201]
    assert httpx.post(upload_url, content=b"x", headers=auth).status_code == 201
    # The same for API requests: one whose body is still arriving holds the only slot.
    api_results: list[int] = []
    slow_api = threading.Thread(
        target=lambda: api_results.append(
            httpx.post(session["apiUrl"], content=_slow_body(10, 0.1), headers=auth).status_code
        )
    )
    slow_api.start()
    time.sleep(0.4)
    r = httpx.post(
        session["apiUrl"],
        headers=auth,
        json={"using": ["urn:ietf:params:jmap:core"], "methodCalls": [["Core/echo", {}, "0"]]},
    )
    assert r.status_code == 429
    assert r.json()["limit"] == "maxConcurrentRequests"
    slow_api.join()
    assert api_results == [400]  # its body was not JSON, but it was answered


def test_a_name_with_slashes_still_downloads(server: ServerThread, alice_token: str) -> None:
    """A sender may name a document anything, "/" included (the client quotes it as %2F, which
    the server's router sees decoded): the name is the last segments of the path, not a 404."""
    session = _session(server.base_url, alice_token)
    body = _upload(session, alice_token, b"%PDF-1.4\n", "application/pdf").json()
    for name in ('<img src="/dev/zero">cr.pdf', "a/b/c.pdf"):
        url = _download_url(session, body["blobId"], name, "application/pdf")
        got = httpx.get(url, headers={"Authorization": f"Bearer {alice_token}"})
        assert got.status_code == 200, (name, got.text)
        assert got.content == b"%PDF-1.4\n"
        assert "/" not in got.headers["content-disposition"].split("filename*=")[0]
