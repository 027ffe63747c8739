"""Request bodies are capped before authentication and parsing, and counted as they arrive
(server/bodies.py): an anonymous 200 MB POST is answered at once, in its area's shape, without
the sandbox reading it."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from server.testing import ServerThread
from tests.server.conftest import ALICE, ServerFactory, get_token

MB = 1024 * 1024
HUGE = 200 * MB


def raw_exchange(server: ServerThread, head: str) -> tuple[int, dict[str, str], bytes]:
    """Sends only the request's head (a Content-Length promising a huge body, none of which is
    ever sent) and reads the answer: one that comes proves nothing waited for the body."""
    host, port = server.base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(head.encode())
        data = b""
        while chunk := sock.recv(65536):  # the server closes the connection after answering
            data += chunk
    head_bytes, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head_bytes.decode().split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (h.partition(":") for h in header_lines)}
    return int(status_line.split()[1]), headers, body


@pytest.mark.parametrize(
    ("method", "path", "status", "shape"),
    [
        ("POST", "/auth/token", 413, "oauth"),
        ("POST", "/auth/revoke", 413, "oauth"),
        ("POST", "/jmap/api", 400, "jmap:maxSizeRequest"),
        ("POST", "/jmap/upload/a1/", 413, "jmap:maxSizeUpload"),
        ("POST", "/regional/v1/patients", 413, "regional"),
        ("POST", "/regional/v1/resource-teams/rt1/templates", 413, "regional"),
        ("POST", "/portal/inscription", 413, "portal"),
        ("GET", "/fhir/Practitioner", 413, "fhir"),
        ("POST", "/nowhere", 413, "problem"),
    ],
)
def test_a_declared_body_over_the_cap_is_refused_before_a_byte_is_read(
    server: ServerThread, method: str, path: str, status: int, shape: str
) -> None:
    got, headers, body = raw_exchange(
        server,
        f"{method} {path} HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/json\r\n"
        f"Content-Length: {HUGE}\r\n\r\n",
    )
    assert got == status
    assert headers["connection"] == "close"
    if shape == "portal":
        assert "trop volumineux" in body.decode()
        return
    doc: dict[str, Any] = json.loads(body)
    if shape == "oauth":
        assert doc["error"] == "invalid_request"
    elif shape.startswith("jmap:"):
        assert doc["type"] == "urn:ietf:params:jmap:error:limit"
        assert doc["limit"] == shape.removeprefix("jmap:")
    elif shape == "regional":
        assert doc["error"] == "too_large"
        assert doc["message"].startswith("La requête dépasse la taille maximale acceptée")
    elif shape == "fhir":
        assert doc["resourceType"] == "OperationOutcome"
        assert doc["issue"][0]["code"] == "too-long"
    else:
        assert (doc["status"], doc["type"]) == (413, "about:blank")


class Counted:
    """A 200 MB body sent in 1 MB chunks, counting what the client managed to send."""

    def __init__(self) -> None:
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        chunk = b"x" * MB
        while self.sent < HUGE:
            self.sent += len(chunk)
            yield chunk


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/regional/v1/patients", 413),  # past the 1 MB cap, before authentication
        ("/auth/token", 413),  # a route whose form parser catches its own errors
        ("/jmap/upload/a1/", 401),  # authentication first, then nothing read
        ("/jmap/api", 401),
    ],
)
def test_an_anonymous_streamed_body_is_answered_without_being_read(
    server: ServerThread, path: str, status: int
) -> None:
    body = Counted()
    content_type = "application/x-www-form-urlencoded" if path.startswith("/auth") else "text/plain"
    r = httpx.post(
        server.base_url + path, content=body, headers={"Content-Type": content_type}, timeout=30
    )
    assert r.status_code == status
    assert r.headers["connection"] == "close"
    # What the kernel buffers took before the server closed the connection, not 200 MB.
    assert body.sent < 32 * MB, body.sent


def test_a_template_may_be_larger_than_the_regional_json_cap(
    server_factory: ServerFactory,
) -> None:
    """The template route has its own cap (its template limit), not the 1 MB of JSON."""
    server = server_factory()
    token = get_token(server.base_url, ALICE)
    auth = {"Authorization": f"Bearer {token}"}
    api = server.base_url + "/regional/v1"
    team = httpx.post(
        api + "/resource-teams",
        headers=auth,
        json={"name": "T", "activityDescription": "d", "contactAddress": ALICE.email},
    ).json()
    template = b"%PDF-1.4\n" + b"0" * (3 * MB)
    r = httpx.post(
        f"{api}/resource-teams/{team['id']}/templates",
        headers=auth,
        files={"file": ("modele.pdf", template, "application/pdf")},
    )
    assert r.status_code == 201, r.text
    too_much = httpx.post(api + "/patients", headers=auth, content=b"{" + b" " * (2 * MB) + b"}")
    assert too_much.status_code == 413
