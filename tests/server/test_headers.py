"""Security headers on every answer of the sandbox, HTML and API, success and error alike
(server/headers.py), and portal pages that work under that Content-Security-Policy."""

from __future__ import annotations

import base64
import re

import httpx

from server.testing import ServerThread
from tests.server.conftest import ALICE

EXPECTED = {
    "content-security-policy": (
        "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def assert_secured(r: httpx.Response, what: str) -> None:
    for name, value in EXPECTED.items():
        assert r.headers.get_list(name) == [value], (what, r.status_code, name)


def test_every_kind_of_answer_carries_the_security_headers(
    server: ServerThread, alice_token: str
) -> None:
    base = server.base_url
    bearer = {"Authorization": f"Bearer {alice_token}"}
    pair = base64.b64encode(f"{ALICE.login}:{ALICE.password}".encode()).decode()
    basic = {"Authorization": f"Basic {pair}"}
    session = httpx.get(base + "/.well-known/jmap", headers=bearer).json()
    account_id = session["primaryAccounts"]["urn:ietf:params:jmap:mail"]
    upload = httpx.post(
        base + f"/jmap/upload/{account_id}/",
        headers={**bearer, "Content-Type": "text/html"},
        content=b"<script>alert(1)</script>",
    )
    blob_id = upload.json()["blobId"]
    cases: list[tuple[str, httpx.Response]] = [
        ("token", httpx.post(base + "/auth/token", data={"grant_type": "nope"})),
        ("session", httpx.get(base + "/.well-known/jmap", headers=bearer)),
        ("jmap api", httpx.post(base + "/jmap/api", headers=bearer, json={"using": []})),
        ("jmap 401", httpx.post(base + "/jmap/api", json={})),
        ("upload", upload),
        (
            "download",
            httpx.get(base + f"/jmap/download/{account_id}/{blob_id}/a.html", headers=bearer),
        ),
        ("fhir", httpx.get(base + "/fhir/metadata", headers=bearer)),
        ("fhir 401", httpx.get(base + "/fhir/Practitioner")),
        ("regional", httpx.get(base + "/regional/v1/file-active", headers=bearer)),
        ("regional 401", httpx.get(base + "/regional/v1/file-active")),
        ("regional 404", httpx.get(base + "/regional/v1/patients/nope", headers=bearer)),
        ("openapi", httpx.get(base + "/regional/v1/openapi.json")),
        ("portal page", httpx.get(base + "/portal/mespatients", headers=basic)),
        ("portal 401", httpx.get(base + "/portal/mespatients")),
        ("portal form", httpx.get(base + "/portal/inscription")),
        ("portal 404", httpx.get(base + "/portal/telemedecine/join/nope")),
        ("style sheet", httpx.get(base + "/portal/portal.css")),
        ("unknown 404", httpx.get(base + "/nowhere")),
        ("405", httpx.delete(base + "/auth/token")),
        (
            "413",
            httpx.post(base + "/regional/v1/patients", content=b"x" * (2 * 1024 * 1024)),
        ),
    ]
    with httpx.stream("GET", base + "/jmap/eventsource?ping=0", headers=bearer) as push:
        cases.append(("push", push))
    statuses = {what: r.status_code for what, r in cases}
    assert statuses["download"] == 200
    assert statuses["push"] == 200
    assert {401, 404, 405, 413} <= set(statuses.values())
    for what, r in cases:
        assert_secured(r, what)


def test_portal_pages_need_nothing_the_policy_blocks(server: ServerThread) -> None:
    """No inline style or script: the style sheet is a file of the sandbox's own."""
    page = httpx.get(server.base_url + "/portal/inscription")
    html = page.text
    assert "<style" not in html
    assert "<script" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)
    sheet = re.search(r'<link rel="stylesheet" href="([^"]+)">', html)
    assert sheet is not None
    css = httpx.get(server.base_url + sheet.group(1))
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    assert "font-family" in css.text
