"""`monsisra-server`: run the sandbox. The first line on stdout is one JSON object with the base
URL and the demo logins, so scripts and `make demo` can read it."""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import sys
import time
from pathlib import Path

import uvicorn

from server import demo
from server.app import create_app
from server.config import ServerConfig
from server.context import Sandbox
from server.testing import bind_loopback, uvicorn_config


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
    p.add_argument("--log-level", default="warning")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), stream=sys.stderr)
    config = ServerConfig(
        data_dir=args.data.resolve(),
        access_token_lifetime=args.token_lifetime,
        max_size_upload=args.max_upload,
        behind_proxy=args.behind_proxy,
    )
    sandbox = Sandbox(config)
    if args.demo and not demo.is_generated(sandbox):
        started = time.monotonic()
        print("Génération des données de démonstration…", file=sys.stderr, flush=True)
        demo.generate(sandbox, seed=args.seed, scale=args.scale, professionals=args.professionals)
        print(f"… faite en {time.monotonic() - started:.1f} s", file=sys.stderr, flush=True)
    sock = bind_loopback(args.host, args.port)
    host, port = sock.getsockname()[:2]
    url = f"http://{host}:{port}"
    accounts = demo.demo_logins() if args.demo else []
    info = {
        "url": url,
        "session": url + "/.well-known/jmap",
        "data": str(config.data_dir),
        "accounts": accounts,
    }
    print(json.dumps(info, ensure_ascii=False), flush=True)
    _print_banner(url, accounts)
    server = uvicorn.Server(
        uvicorn_config(
            create_app(sandbox), behind_proxy=config.behind_proxy, log_level=args.log_level
        )
    )
    gc.freeze()  # what start-up built lives as long as the server: keep it out of GC passes
    try:
        asyncio.run(server.serve(sockets=[sock]))
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.close()
    return 0


def _print_banner(url: str, accounts: list[dict[str, str]]) -> None:
    """A human-readable summary on stderr (stdout's first line stays machine-readable)."""
    lines = [f"Serveur régional MonSisra (bac à sable) : {url}"]
    if accounts:
        lines.append("Comptes de démonstration (identifiant / mot de passe) :")
        for a in accounts:
            lines.append(f"  {a['login']:<16} {a['password']}   {a['name']}, {a['role']}")
    lines.append("Ctrl+C pour arrêter.")
    print("\n".join(lines), file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
