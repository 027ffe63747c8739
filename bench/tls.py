"""What trusting the OS store costs: building the client's SSL context, and a request over a new
connection (the sandbox serving a test certificate on loopback, its CA added as the settings'
bundle), with the app's context and with truststore's as it works on Linux.

    .venv/bin/python bench/tls.py [--requests 30]

Printed, not asserted. On Linux truststore loads OpenSSL's default paths again at every new
connection (inside the event loop); app/remote/tls.py loads them once per context instead.
"""

from __future__ import annotations

import argparse
import asyncio
import ssl
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
import truststore

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.remote import tls
from server.testing import ServerThread, quick_config
from tests.tls_pki import make_pki


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def build_times(ca_bundle: Path) -> None:
    tls._context.cache_clear()
    started = time.perf_counter()
    tls.trust_context(ca_bundle)
    cold = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(100):
        tls.trust_context(ca_bundle)
    cached = (time.perf_counter() - started) / 100
    print(f"trust_context: first {ms(cold)}, then {ms(cached)} (bundle read and checked, cached)")


async def new_connection_requests(url: str, context: ssl.SSLContext, count: int) -> list[float]:
    """Each request on a client of its own: a new TCP connection and TLS handshake each time."""
    times = []
    for _ in range(count):
        async with httpx.AsyncClient(verify=context) as client:
            started = time.perf_counter()
            response = await client.get(url + "/.well-known/jmap")
            times.append(time.perf_counter() - started)
            response.raise_for_status()
    return times


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--requests", type=int, default=30)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="monsisra-tls-") as folder:
        pki = make_pki(Path(folder) / "pki")
        build_times(pki.ca_cert)
        ours = tls.trust_context(pki.ca_cert)
        theirs = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        theirs.load_verify_locations(cafile=str(pki.ca_cert))
        with ServerThread(quick_config(Path(folder) / "server"), tls=pki.good) as server:
            for name, context in (("app", ours), ("truststore", theirs)):
                requests = new_connection_requests(server.base_url, context, args.requests)
                times = asyncio.run(requests)
                print(
                    f"{name:>10}: request over a new connection, median "
                    f"{ms(statistics.median(times))}, best {ms(min(times))} ({len(times)} requests)"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
