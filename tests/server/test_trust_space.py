"""The trust space's whitelist (issue 14 §3): the Session names it, it is the XML ANS publishes
(namespace, `//Domaine/Nom`), it lists the configured domains (or the sandbox's own, Mon espace
santé's and its directory's), and a client's copy is confirmed by 304 on a conditional GET."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import httpx

from server.testing import ServerThread
from server.urls import REGIONAL_CAPABILITY, TRUST_SPACE_PATH
from tests.server.conftest import ALICE, ServerFactory, get_token

NS = "https://listeblanche.mssante.fr/schema"


def _whitelist_url(server: ServerThread) -> str:
    token = get_token(server.base_url, ALICE)
    session = httpx.get(
        server.base_url + "/.well-known/jmap", headers={"Authorization": f"Bearer {token}"}
    ).json()
    url: str = session["capabilities"][REGIONAL_CAPABILITY]["trustSpaceUrl"]
    assert url.startswith(server.base_url + "/")  # on the origin the user logged in to
    return url


def _domains(body: bytes) -> list[str]:
    root = ET.fromstring(body)  # noqa: S314 (our own server's answer, in a test)
    assert root.tag == f"{{{NS}}}ListeBlanche"
    return [(n.text or "") for n in root.findall(f".//{{{NS}}}Domaine/{{{NS}}}Nom")]


def test_the_configured_domains_are_published_escaped_and_public(
    server_factory: ServerFactory,
) -> None:
    server = server_factory(trusted_domains=("CHU-Lyon.mssante.fr ", "a&b<c>.fr", "  "))
    url = _whitelist_url(server)
    r = httpx.get(url)  # no credentials: ANS's list is public too
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/xml")
    assert int(r.headers["cache-control"].removeprefix("max-age=")) == 24 * 3600
    assert _domains(r.content) == ["a&b<c>.fr", "chu-lyon.mssante.fr"]


def test_a_copy_still_good_gets_304_and_a_changed_list_a_new_etag(
    server_factory: ServerFactory,
) -> None:
    server = server_factory(trusted_domains=("a.mssante.fr",))
    url = _whitelist_url(server)
    first = httpx.get(url)
    etag = first.headers["etag"]
    again = httpx.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert httpx.get(url, headers={"If-None-Match": '"autre"'}).status_code == 200
    other = server_factory(trusted_domains=("a.mssante.fr", "b.mssante.fr"))
    changed = httpx.get(_whitelist_url(other), headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert _domains(changed.content) == ["a.mssante.fr", "b.mssante.fr"]


def test_by_default_the_sandbox_the_patient_mailboxes_and_the_directory_are_inside(
    demo_server: ServerThread,
) -> None:
    body = httpx.get(demo_server.base_url + TRUST_SPACE_PATH).content
    domains = _domains(body)
    assert "sisra-demo.mssante.fr" in domains
    assert "patient.mssante.fr" in domains
    assert "pro.mssante.fr" in domains  # the cabinets' addresses in the demo directory
    assert any(d.startswith("chu-") for d in domains)  # and the establishments'
    assert domains == sorted(set(domains))
    assert "example.org" not in domains


def test_the_command_line_sets_the_trusted_domains(tmp_path: Path) -> None:
    from tests.server.test_cli import running_server

    domains = ("--trusted-domain", "a.mssante.fr", "--trusted-domain", "b.mssante.fr")
    with running_server(tmp_path / "cli", *domains) as info:
        body = httpx.get(info["url"] + TRUST_SPACE_PATH).content
    assert _domains(body) == ["a.mssante.fr", "b.mssante.fr"]
