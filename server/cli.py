"""`monsisra-server`: run the sandbox. The first line on stdout is one JSON object with the base
URL and the demo logins, so scripts and `make demo` can read it.

SIGTERM (how `make demo` stops it) and Ctrl+C stop it within a second or two: uvicorn's graceful
shutdown waits for open connections, and a push stream never ends by itself, so the server ends
the streams first (`StateBroker.close`) and bounds the wait for any other request. It then exits
with code 0: it was asked to stop and did.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import os
import signal
import socket
import sys
import time
from pathlib import Path
from types import FrameType

import uvicorn

from server import demo
from server.app import create_app
from server.config import ServerConfig
from server.context import Sandbox
from server.notify import StateBroker
from server.psc_simule import with_psc_simule
from server.psc_simule.routes import PHONE_PATH
from server.testing import bind_loopback, uvicorn_config

# What a request still running when the server stops gets before it is cancelled (seconds).
GRACEFUL_SHUTDOWN = 1.0


class SandboxServer(uvicorn.Server):
    """uvicorn's server that ends the push streams when it starts stopping."""

    def __init__(self, config: uvicorn.Config, broker: StateBroker) -> None:
        super().__init__(config)
        self._broker = broker

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self._broker.close()
        await super().shutdown(sockets)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="monsisra-server", description=__doc__)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8750, help="0 picks a free port")
    p.add_argument("--data", type=Path, required=True, help="data folder (kept across restarts)")
    p.add_argument("--demo", action="store_true", help="generate demo data on first start")
    p.add_argument("--scale", type=int, default=0, help="extra demo messages, for benchmarks")
    p.add_argument("--professionals", type=int, default=20_000)
    p.add_argument("--seed", type=int, default=demo.DEFAULT_SEED)
    p.add_argument("--token-lifetime", type=int, default=3600, help="access token, seconds")
    p.add_argument("--max-upload", type=int, default=25 * 1024 * 1024, help="bytes")
    p.add_argument(
        "--behind-proxy",
        action="store_true",
        help="behind a reverse proxy: the client's address is the last one of X-Forwarded-For",
    )
    p.add_argument(
        "--smtp-relay",
        metavar="HOST:PORT",
        help="relay mail to outside addresses through this SMTP server (else only recorded)",
    )
    p.add_argument(
        "--smtp-sender",
        metavar="ADDRESS",
        help="envelope sender of relayed mail (default: ne-pas-repondre@ the mail domain)",
    )
    p.add_argument(
        "--max-delivered-size",
        type=int,
        default=50 * 1024 * 1024,
        metavar="BYTES",
        help="largest message delivered to one recipient; larger ones bounce (552 5.3.4)",
    )
    p.add_argument(
        "--max-delayed-send",
        type=int,
        default=86400,
        metavar="SECONDS",
        help="longest hold of a delayed send (FUTURERELEASE, HOLDFOR/HOLDUNTIL); 0: none",
    )
    p.add_argument(
        "--mss-product-reference",
        default="",
        metavar="REF",
        help="X-MSS-NIL of the clients' messages: the product reference declared to ANS",
    )
    p.add_argument(
        "--trusted-domain",
        action="append",
        metavar="DOMAIN",
        help="a domain of the trust space's whitelist (repeat it; default: the mail domain, "
        "patient.mssante.fr and the directory's domains)",
    )
    p.add_argument(
        "--directory-rate-limit",
        type=int,
        metavar="N",
        help="directory requests per second per application, 429 beyond (national API: 17)",
    )
    p.add_argument(
        "--directory-no-near",
        action="store_true",
        help="no `near` search in the directory, as on the national API",
    )
    p.add_argument(
        "--psc-discovery-url",
        metavar="URL",
        help="Pro Santé Connect's discovery document (full URL); unset: no PSC login",
    )
    p.add_argument("--psc-client-id", default="", metavar="ID", help="this server's PSC client id")
    p.add_argument(
        "--psc-client-secret",
        default=None,
        metavar="SECRET",
        help="this server's PSC client secret (better: env MONSISRA_PSC_CLIENT_SECRET)",
    )
    p.add_argument(
        "--psc-simule",
        action="store_true",
        help="serve a « PSC simulé » (Pro Santé Connect for demos) and log in through it",
    )
    p.add_argument("--log-level", default="warning")
    return p.parse_args(argv)


def config_from(args: argparse.Namespace) -> ServerConfig:
    """The settings the command line gives (the rest keep their defaults)."""
    return ServerConfig(
        data_dir=args.data.resolve(),
        access_token_lifetime=args.token_lifetime,
        max_size_upload=args.max_upload,
        behind_proxy=args.behind_proxy,
        smtp_relay=args.smtp_relay,
        smtp_sender=args.smtp_sender,
        mss_product_reference=args.mss_product_reference,
        max_delivered_size=args.max_delivered_size,
        max_delayed_send=max(0, args.max_delayed_send),
        trusted_domains=tuple(args.trusted_domain) if args.trusted_domain else None,
        directory_rate_limit=args.directory_rate_limit,
        directory_near=not args.directory_no_near,
        psc_discovery_url=args.psc_discovery_url,
        psc_client_id=args.psc_client_id,
        psc_client_secret=(
            args.psc_client_secret or os.environ.get("MONSISRA_PSC_CLIENT_SECRET", "")
        ),
        psc_simule=args.psc_simule,
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr)
    # uvicorn catches SIGTERM while it serves and raises it again once stopped; this handler makes
    # that (and a SIGTERM while the demo data is made) a clean exit, through the `finally` below.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    # Bound first: the PSC simulé's URLs (issue 15) need the port.
    sock = bind_loopback(args.host, args.port)
    host, port = sock.getsockname()[:2]
    url = f"http://{host}:{port}"
    sandbox = Sandbox(with_psc_simule(config_from(args), url))
    try:
        if args.demo and not demo.is_generated(sandbox):
            _generate_demo(sandbox, args)
        _serve(sandbox, args, sock, url)
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.close()
    return 0


def _generate_demo(sandbox: Sandbox, args: argparse.Namespace) -> None:
    """On stderr, each area as it starts: the first `make demo` waits here 10–20 s."""
    started = time.monotonic()

    def report(area: str) -> None:
        print(f"  {time.monotonic() - started:5.1f} s  {area}…", file=sys.stderr, flush=True)

    print("Génération des données de démonstration (une seule fois) :", file=sys.stderr, flush=True)
    demo.generate(
        sandbox,
        seed=args.seed,
        scale=args.scale,
        professionals=args.professionals,
        progress=report,
    )
    print(f"  … faite en {time.monotonic() - started:.1f} s", file=sys.stderr, flush=True)


def _serve(sandbox: Sandbox, args: argparse.Namespace, sock: socket.socket, url: str) -> None:
    accounts = demo.demo_logins() if args.demo else []
    info = {
        "url": url,
        "session": url + "/.well-known/jmap",
        "data": str(sandbox.config.data_dir),
        "accounts": accounts,
    }
    print(json.dumps(info, ensure_ascii=False), flush=True)
    _print_banner(url, accounts, sandbox.psc_simule is not None)
    server = SandboxServer(
        uvicorn_config(
            create_app(sandbox),
            behind_proxy=sandbox.config.behind_proxy,
            log_level=args.log_level,
            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN,
        ),
        sandbox.broker,
    )
    gc.freeze()  # what start-up built lives as long as the server: keep it out of GC passes
    asyncio.run(server.serve(sockets=[sock]))


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def _print_banner(url: str, accounts: list[dict[str, str]], psc_simule: bool = False) -> None:
    """A human-readable summary on stderr (stdout's first line stays machine-readable)."""
    lines = [f"Serveur régional MonSisra (bac à sable) : {url}"]
    if psc_simule:
        lines.append(f"PSC simulé, téléphone de l'e-CPS : {url}{PHONE_PATH}")
    if accounts:
        lines.append("Comptes de démonstration (identifiant / mot de passe) :")
        for a in accounts:
            lines.append(f"  {a['login']:<16} {a['password']}   {a['name']}, {a['role']}")
    lines.append("Ctrl+C pour arrêter.")
    print("\n".join(lines), file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
