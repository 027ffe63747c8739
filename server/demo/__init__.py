"""Deterministic demo data (`--demo`): accounts, directory, patients, conversations.

Each area generates its own part from one seeded PRNG, in a fixed order, and records in the
DemoWorld what the next areas may refer to. Nothing here is about real persons.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from server.context import Sandbox
from server.demo.names import mss_address
from server.demo.users import DEMO_USERS
from server.demo.world import DemoAccount, DemoWorld

DEFAULT_SEED = 2026
MIGRATIONS = ["CREATE TABLE demo_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"]


def is_generated(sandbox: Sandbox) -> bool:
    sandbox.db.migrate("demo", MIGRATIONS)
    with sandbox.db.read() as conn:
        row = conn.execute("SELECT value FROM demo_meta WHERE key = 'generated'").fetchone()
    return row is not None


def generate(
    sandbox: Sandbox,
    seed: int = DEFAULT_SEED,
    scale: int = 0,
    professionals: int = 20_000,
    progress: Callable[[str], None] | None = None,
) -> DemoWorld:
    """Fills an empty sandbox. `scale` adds that many extra messages (benchmarks). `progress` is
    told (in French, for a terminal) which area starts: the whole takes 10–20 s."""
    step = progress or (lambda _area: None)
    # Imported here: each area's generator is heavy and only needed once.
    from server.demo.conversations import seed_conversations
    from server.directory.demo import seed_directory
    from server.regional.demo import seed_regional

    if is_generated(sandbox):
        raise RuntimeError("demo data already generated in this data folder")
    rng = random.Random(seed)
    world = DemoWorld(seed=seed)
    step("comptes de démonstration")
    for spec in DEMO_USERS:
        email = mss_address(spec.given, spec.family, sandbox.config.mail_domain)
        account = sandbox.accounts.create(
            login=spec.login,
            password=spec.password,
            display_name=f"{spec.prefix} {spec.given} {spec.family}",
            email=email,
            account_id=f"a-{spec.key}",
        )
        world.accounts[spec.key] = DemoAccount(spec=spec, account_id=account.id, email=email)
    step(f"annuaire ({professionals} professionnels)")
    seed_directory(sandbox, world, random.Random(rng.random()), count=professionals)
    for demo_account in world.accounts.values():
        if demo_account.person is not None:
            sandbox.accounts.link_practitioner(
                demo_account.account_id,
                demo_account.person.practitioner_id,
                demo_account.person.rpps,
            )
    step("patients et services régionaux")
    seed_regional(sandbox, world, random.Random(rng.random()))
    step("conversations et documents")
    seed_conversations(sandbox, world, random.Random(rng.random()), scale=scale)
    with sandbox.db.write() as conn:
        conn.execute(
            "INSERT INTO demo_meta (key, value) VALUES ('generated', ?), ('seed', ?)",
            (str(int(time.time())), str(seed)),
        )
    return world


def demo_logins() -> list[dict[str, str]]:
    return [
        {
            "login": u.login,
            "password": u.password,
            "name": f"{u.prefix} {u.given} {u.family}",
            "role": u.note,
        }
        for u in DEMO_USERS
    ]
