"""The sandbox serves real TLS with the test PKI: a client that trusts the test CA gets in with the
good certificate, and each bad certificate fails verification for its own reason."""

from __future__ import annotations

import ssl
from pathlib import Path

import httpx
import pytest

from server.testing import ServerThread, TlsFiles, quick_config
from tests.tls_pki import Pki, make_pki


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


def _get(pki: Pki, tls: TlsFiles, data: Path) -> httpx.Response:
    with ServerThread(quick_config(data), tls=tls) as server:
        assert server.base_url.startswith("https://127.0.0.1:")
        context = ssl.create_default_context(cafile=str(pki.ca_cert))
        return httpx.get(server.base_url + "/.well-known/jmap", verify=context)


def test_good_certificate_is_verified_against_the_test_ca(pki: Pki, tmp_path: Path) -> None:
    response = _get(pki, pki.good, tmp_path)
    assert response.status_code == 200  # the public part of the Session
    assert response.json()["apiUrl"].startswith("https://127.0.0.1:")


@pytest.mark.parametrize(
    ("which", "reason"),
    [
        ("wrong_host", "IP address mismatch"),
        ("expired", "certificate has expired"),
        ("self_signed", "self-signed certificate"),
    ],
)
def test_bad_certificates_fail_verification(
    pki: Pki, tmp_path: Path, which: str, reason: str
) -> None:
    with pytest.raises(httpx.ConnectError) as caught:
        _get(pki, getattr(pki, which), tmp_path)
    assert reason in str(caught.value)
