"""Directory search speed over 100,000 professionals: over HTTP, and the store's search alone.

    .venv/bin/python bench/directory.py [--count 100000] [--searches 1000] [--cache .bench-cache]

The seeded sandbox is kept in the cache folder and reused by later runs with the same count.
The mix holds the everyday searches of the client and broad ones (1-letter `:contains`, a
whole profession, a postal-code start of one digit, 1-letter `_text`, `near` of 2,000 km, deep
offsets) on the three resource types, so it stands for "any search".

The listening socket gets TCP_NODELAY (`--nagle` leaves it as server.testing.bind_loopback
makes it): without it, a response whose body is not sent with its headers waits for the
client's delayed ACK, ~40 ms on Linux loopback, whatever the search.
"""

from __future__ import annotations

import argparse
import logging
import random
import shutil
import socket
import statistics
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server.context import Sandbox
from server.demo.names import mss_address
from server.demo.users import DEMO_USERS
from server.demo.world import DemoAccount, DemoWorld
from server.directory.demo import seed_directory
from server.directory.search import parse
from server.testing import ServerThread, quick_config

USER, PASSWORD = "bench", "bench-secret-1"


def build(path: Path, count: int) -> None:
    if (path / "ready").exists():
        return
    shutil.rmtree(path, ignore_errors=True)
    sandbox = Sandbox(quick_config(path))
    world = DemoWorld(seed=1)
    for spec in DEMO_USERS:
        email = mss_address(spec.given, spec.family, sandbox.config.mail_domain)
        world.accounts[spec.key] = DemoAccount(spec=spec, account_id=f"a-{spec.key}", email=email)
    started = time.perf_counter()
    seed_directory(sandbox, world, random.Random(1), count)
    print(f"seeded {count} professionals in {time.perf_counter() - started:.1f} s")
    sandbox.accounts.create(USER, PASSWORD, "Bench", "bench@sisra-demo.mssante.fr")
    sandbox.close()
    (path / "ready").write_text("ok")


Search = tuple[str, dict[str, str]]  # resource type, parameters

INCLUDE = "PractitionerRole:practitioner,PractitionerRole:organization"


def queries(rng: random.Random, n: int) -> list[Search]:
    families = ["martin", "gar", "lefevre", "rou", "dupont", "mo", "benali", "perrin"]
    specialties = ["SM04", "SM15", "SM54", "SM42"]
    cities = [("45.757", "4.835"), ("45.179", "5.715"), ("45.434", "4.390"), ("48.85", "2.35")]
    mixes: list[Search] = []
    for _ in range(n):
        kind = rng.randrange(18)
        lat, lon = rng.choice(cities)
        role, person, org = "PractitionerRole", "Practitioner", "Organization"
        resource, q = [
            (role, {"family": rng.choice(families)}),
            (role, {"name:contains": rng.choice(["ill", "arn", "ui"])}),
            (
                role,
                {"specialty": rng.choice(specialties), "departement": "69"},
            ),
            (role, {"near": f"{lat}|{lon}|{rng.choice([2, 5, 10])}", "profession": "10"}),
            (role, {"near": f"{lat}|{lon}|5"}),
            (role, {"_text": rng.choice(["cardiologie", "plaies", "pharmacie du centre"])}),
            (role, {"profession": rng.choice(["60", "70", "21"]), "address-postalcode": "690"}),
            (role, {"expert": "true", "specialty": "SM15"}),
            (role, {"family": rng.choice(families), "departement": "38", "_offset": "50"}),
            # Broad searches: tens of thousands of matches, counted and paged.
            (rng.choice([role, person]), {"name:contains": rng.choice("eai")}),
            (rng.choice([role, person]), {"family:contains": rng.choice("aeu")}),
            (org, {"name:contains": rng.choice("ea")}),
            (rng.choice([role, person]), {"profession": "10"}),
            (rng.choice([role, person]), {"address-postalcode": rng.choice("6734")}),
            (rng.choice([role, person, org]), {"_text": rng.choice("mc")}),
            (rng.choice([role, person, org]), {"near": f"{lat}|{lon}|2000"}),
            # The deepest pages served (MAX_DEPTH in server/directory/search.py).
            (role, {"near": f"{lat}|{lon}|2000", "_offset": str(rng.choice([500, 950]))}),
            (rng.choice([role, person, org]), {"_offset": str(rng.randrange(5000, 9950))}),
        ][kind]
        if resource == role and rng.random() < 0.3:
            q["_include"] = INCLUDE
        if resource == person and rng.random() < 0.3:
            q["_revinclude"] = "PractitionerRole:practitioner"
        mixes.append((resource, q))
    return mixes


def report(name: str, seconds: list[float]) -> None:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[int(len(ms) * 0.95) - 1]
    print(
        f"{name:<22} n={len(ms)}  p50={statistics.median(ms):.1f} ms  p95={p95:.1f} ms  "
        f"max={ms[-1]:.1f} ms  over 50 ms: {sum(m >= 50 for m in ms)}"
    )


def worst(store_times: list[float], http_times: list[float], mix: list[Search]) -> None:
    print("slowest searches (store ms, HTTP ms, resource, parameters):")
    ranked = sorted(range(len(mix)), key=lambda i: max(store_times[i], http_times[i]))
    for i in reversed(ranked[-10:]):
        resource, q = mix[i]
        print(f"  {store_times[i] * 1000:6.1f} {http_times[i] * 1000:6.1f}  {resource} {q}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--searches", type=int, default=1000)
    parser.add_argument("--cache", type=Path, default=Path(".bench-cache"))
    parser.add_argument("--nagle", action="store_true", help="leave Nagle on (see docstring)")
    args = parser.parse_args()
    logging.getLogger("server.directory.slow").setLevel(logging.ERROR)  # the bench reports them
    path = args.cache / f"directory-{args.count}"
    build(path, args.count)
    mix = queries(random.Random(42), args.searches)
    server = ServerThread(quick_config(path))
    if not args.nagle:
        server._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # accepted ones inherit
    with server:
        store = server.sandbox.directory
        store_times = []
        for resource, q in mix:
            search = parse(resource, q.items())
            started = time.perf_counter()
            with server.sandbox.db.read() as conn:
                store.search(
                    conn, resource, search.query, search.paging.offset, search.paging.count
                )
            store_times.append(time.perf_counter() - started)
        with httpx.Client(base_url=server.base_url) as client:
            token = client.post(
                "/auth/token",
                data={"grant_type": "password", "username": USER, "password": PASSWORD},
            ).json()["access_token"]
            client.headers["Authorization"] = f"Bearer {token}"
            http_times = []
            for resource, q in mix:
                started = time.perf_counter()
                r = client.get(f"/fhir/{resource}", params=q)
                http_times.append(time.perf_counter() - started)
                assert r.status_code == 200, r.text
    print(f"{args.count} professionals, {len(mix)} mixed searches")
    report("store.search alone", store_times)
    report("HTTP (page of 50)", http_times)
    worst(store_times, http_times, mix)
    print(
        "reproduce: .venv/bin/python bench/directory.py "
        f"--count {args.count} --searches {args.searches} --cache {args.cache}"
        + (" --nagle" if args.nagle else "")
    )


if __name__ == "__main__":
    main()
