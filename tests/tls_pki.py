"""A throwaway public-key infrastructure for tests over real TLS on loopback: a CA of our own, and
server certificates that are good, for the wrong host, expired, or self-signed. EC P-256 keys,
made in milliseconds; nothing here is trusted outside the test that uses it."""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from server.testing import TlsFiles

LOOPBACK_NAMES = ("127.0.0.1", "localhost")


@dataclass(frozen=True)
class Pki:
    ca_cert: Path  # the test CA's certificate: what a client is given as its CA bundle
    good: TlsFiles  # for 127.0.0.1 and localhost, valid now, issued by the CA
    wrong_host: TlsFiles  # issued by the CA, valid now, for another host name only
    expired: TlsFiles  # issued by the CA for 127.0.0.1 and localhost, expired yesterday
    self_signed: TlsFiles  # for 127.0.0.1 and localhost, valid now, issued by itself


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _alt_names(hosts: tuple[str, ...]) -> x509.SubjectAlternativeName:
    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    return x509.SubjectAlternativeName(names)


def _write_key(key: ec.EllipticCurvePrivateKey, path: Path) -> None:
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


class _Issuer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.UTC)
        self.name = _name("MonSisra test CA")
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(self.name)
            .issuer_name(self.name)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(self.key.public_key()), critical=False
            )
            .sign(self.key, hashes.SHA256())
        )
        self.cert_path = folder / "ca.pem"
        self.cert_path.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))

    def server(
        self,
        stem: str,
        hosts: tuple[str, ...],
        *,
        days_valid: tuple[int, int] = (-1, 30),
        self_signed: bool = False,
    ) -> TlsFiles:
        key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.UTC)
        subject = _name(hosts[0])
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject if self_signed else self.name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now + dt.timedelta(days=days_valid[0]))
            .not_valid_after(now + dt.timedelta(days=days_valid[1]))
            .add_extension(_alt_names(hosts), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        )
        if not self_signed:
            builder = builder.add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()),
                critical=False,
            )
        cert = builder.sign(key if self_signed else self.key, hashes.SHA256())
        cert_path, key_path = self.folder / f"{stem}.pem", self.folder / f"{stem}.key"
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        _write_key(key, key_path)
        return TlsFiles(cert_path, key_path)


def make_pki(folder: Path) -> Pki:
    """Writes the CA and four server certificates (with their keys) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    ca = _Issuer(folder)
    return Pki(
        ca_cert=ca.cert_path,
        good=ca.server("good", LOOPBACK_NAMES),
        wrong_host=ca.server("wrong-host", ("autre-serveur.example",)),
        expired=ca.server("expired", LOOPBACK_NAMES, days_valid=(-30, -1)),
        self_signed=ca.server("self-signed", LOOPBACK_NAMES, self_signed=True),
    )
