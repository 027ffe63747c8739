"""Run as a script by tests/app/test_tls_frozen.py: the client's TLS set up as in a frozen build
(sys.frozen and sys._MEIPASS set) where certifi's bundle file is not there (certifi.where()
fails: any use of it shows) and this OpenSSL's default store points at nothing (a bundled
OpenSSL built for another system's folders). Prints what the context trusts, as JSON."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import NoReturn

import certifi


def _no_bundle() -> NoReturn:
    raise FileNotFoundError("certifi's cacert.pem is not in this build")


async def main() -> dict[str, object]:
    from app.remote.http import make_http_client
    from app.remote.tls import trust_context

    client = make_http_client()
    await client.aclose()
    return {"stats": trust_context().cert_store_stats()}


if __name__ == "__main__":
    certifi.where = _no_bundle
    certifi.contents = _no_bundle
    sys.frozen = True  # type: ignore[attr-defined]
    sys._MEIPASS = sys.argv[1]  # type: ignore[attr-defined]
    print(json.dumps(asyncio.run(main())))
