"""Peak memory of a sync that reads the patients of hostile IHE_XDM.ZIP packages (target ≤ 300 MB).

    .venv/bin/python bench/xdm.py [--messages 6] [--scenarios documents,metadata,large]

Each scenario puts `--messages` messages in the inbox of an account of its own on a sandbox (run as
a subprocess, as in bench/sync.py), each message carrying the same package:
- documents: the issue's package, ~257 KB whose one document unpacks to just under the 256 MiB
  budget of app.message.xdm (before: read whole, then copied: 523 MiB each, six at a time);
- metadata: a METADATA.XML as costly to parse as the XML limits let through (one element with
  ~200,000 attributes, 8 MB once unpacked);
- large: 20 MB packages (the most a sync downloads), incompressible: what the byte budget shares.
Then, for each scenario, a child process (so that the peak is the client's alone) logs in, opens a
fresh SQLCipher cache, runs SyncEngine.sync_once and then read_patients, and reports its peak RSS
(VmHWM in /proc/self/status) after each step: "synced" is the process with its cache and the
messages, "patients" adds reading the packages.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import email.message
import email.utils
import io
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.message.patient import INS_NIR_TEST_OID, PatientIdentity
from app.message.xdm import (
    MAX_METADATA_BYTES,
    MAX_TOTAL_BYTES,
    MAX_XML_NODES,
    METADATA_PATH,
    XdmDocument,
    XdmSource,
    build_xdm,
    write_xdm,
)
from app.remote.auth import ServerAuth, password_grant
from app.remote.http import make_http_client
from app.remote.jmap import JmapClient
from app.store import mail
from app.store.db import Cache
from app.sync.engine import SyncEngine
from app.sync.patients import MAX_XDM_BYTES
from bench.sync import server_process
from server.context import Sandbox
from server.testing import quick_config

MB = 1024 * 1024
TARGET = 300 * 1000 * 1000  # bytes: "≤ 300 MB"
PASSWORD = "bench-xdm-secret"  # noqa: S105 - a synthetic account only
SENDER = "dr.expediteur@sisra-demo.mssante.fr"
PATIENT = PatientIdentity(
    ins="279035121518989",
    oid=INS_NIR_TEST_OID,
    given="Banc",
    family="ESSAI",
    birth_date=dt.date(1979, 3, 5),
    sex="female",
)
WHEN = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
SMALL_DOCUMENT = XdmDocument("cr.pdf", "application/pdf", "11488-4", "", "CR", b"%PDF-1.4\n%%EOF\n")


# --- the packages ------------------------------------------------------------------------------


def documents_package() -> bytes:
    """One text document of zero bytes, as large as the package's budget lets it be declared."""
    size = MAX_TOTAL_BYTES - 64 * 1024  # room for INDEX.HTM, README.TXT and METADATA.XML

    def chunks() -> Iterator[bytes]:
        block = bytes(MB)
        for start in range(0, size, MB):
            yield block[: min(MB, size - start)]

    source = XdmSource("zeros.txt", "text/plain", "11488-4", "", "Zéros", size, chunks)
    buffer = io.BytesIO()
    write_xdm(buffer, PATIENT, [source], "Dr Expéditeur", SENDER, WHEN)
    return buffer.getvalue()


def _members(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(members: dict[str, bytes], method: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def metadata_package() -> bytes:
    """A real METADATA.XML with one more element that carries as many attributes, as long as
    they can be, as the node limit and the size limit let through."""
    members = _members(build_xdm(PATIENT, [SMALL_DOCUMENT], "Dr Expéditeur", SENDER, WHEN))
    metadata = members[METADATA_PATH].decode()
    count = MAX_XML_NODES - 1_000  # the real elements and attributes fit in the rest
    value = "v" * ((MAX_METADATA_BYTES - len(metadata) - 1_000) // count - 12)
    junk = "<junk " + " ".join(f'a{i}="{value}"' for i in range(count)) + "/>"
    root_end = metadata.index(">", metadata.index("SubmitObjectsRequest")) + 1
    members[METADATA_PATH] = (metadata[:root_end] + junk + metadata[root_end:]).encode()
    assert len(members[METADATA_PATH]) <= MAX_METADATA_BYTES
    return _zip(members, zipfile.ZIP_DEFLATED)


def large_package() -> bytes:
    """A readable package padded with random bytes to just under what a sync downloads."""
    members = _members(build_xdm(PATIENT, [SMALL_DOCUMENT], "Dr Expéditeur", SENDER, WHEN))
    members["README.TXT"] = os.urandom(MAX_XDM_BYTES - 256 * 1024)
    return _zip(members, zipfile.ZIP_STORED)


SCENARIOS: dict[str, tuple[str, Callable[[], bytes]]] = {
    "documents": ("a document that unpacks to 256 MiB", documents_package),
    "metadata": ("the costliest METADATA.XML the limits let through", metadata_package),
    "large": ("20 MB packages (incompressible)", large_package),
}


def message(recipient: str, n: int, package: bytes) -> bytes:
    msg = email.message.EmailMessage()
    msg["From"] = f"Dr Expéditeur <{SENDER}>"
    msg["To"] = recipient
    msg["Subject"] = f"Documents de la patiente ({n})"
    msg["Date"] = email.utils.format_datetime(WHEN + dt.timedelta(minutes=n))
    msg["Message-ID"] = email.utils.make_msgid(domain="sisra-demo.mssante.fr")
    msg.set_content("Bonjour, voici les documents de la patiente.")
    msg.add_attachment(package, maintype="application", subtype="zip", filename="IHE_XDM.ZIP")
    return msg.as_bytes()


def prepare_server(data: Path, scenarios: list[str], count: int) -> dict[str, int]:
    """One account per scenario, its inbox holding `count` messages; the package sizes."""
    sandbox = Sandbox(quick_config(data))
    sizes: dict[str, int] = {}
    try:
        for name in scenarios:
            package = SCENARIOS[name][1]()
            sizes[name] = len(package)
            address = f"bench.{name}@sisra-demo.mssante.fr"
            sandbox.accounts.create(f"bench.{name}", PASSWORD, f"Bench {name.title()}", address)
            for n in range(count):
                sandbox.mail.deliver(message(address, n, package), [address])
    finally:
        sandbox.close()
    return sizes


# --- the child: one sync, its peak --------------------------------------------------------------


def vm_hwm() -> int:
    """Peak resident set size of this process so far (bytes)."""
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


async def child_sync(url: str, login: str, folder: Path) -> dict[str, float]:
    cache = await asyncio.to_thread(Cache.open, folder / "cache.db", secrets.token_bytes(32))
    try:
        async with make_http_client() as login_http:
            tokens = await password_grant(login_http, url, login, PASSWORD)
        assert tokens is not None
        async with make_http_client(auth=ServerAuth(url, tokens=tokens)) as http:
            engine = SyncEngine(cache, JmapClient(http, url + "/.well-known/jmap"))
            report = await engine.sync_once()
            synced = vm_hwm()
            started = time.perf_counter()
            found = await engine.read_patients()
            seconds = time.perf_counter() - started
        with cache.read() as conn:
            missing = len(mail.emails_missing_patient(conn))
    finally:
        await asyncio.to_thread(cache.close)
    return {
        "emails": report.added,
        "synced": synced,
        "patients": vm_hwm(),
        "found": found,
        "missing": missing,
        "seconds": seconds,
    }


def run_child(url: str, name: str, folder: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", url, f"bench.{name}", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the {name} child failed ({done.returncode}):\n{done.stderr[-3000:]}")
    result: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return result


# --- main --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=6, help="messages per scenario")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help="comma-separated")
    parser.add_argument(
        "--child", nargs=3, metavar=("URL", "LOGIN", "FOLDER"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        url, login, folder = args.child
        print(json.dumps(asyncio.run(child_sync(url, login, Path(folder)))))
        return
    scenarios = [s for s in args.scenarios.split(",") if s]
    unknown = set(scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    missed = False
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        sizes = prepare_server(folder / "server", scenarios, args.messages)
        print(
            f"sandbox with {args.messages} messages per scenario built in "
            f"{time.perf_counter() - started:.1f} s"
        )
        with server_process(folder / "server") as url:
            for name in scenarios:
                (folder / name).mkdir()
                r = run_child(url, name, folder / name)
                peak = r["patients"]
                missed = missed or peak > TARGET
                print(
                    f"{name:<9} {args.messages} × {sizes[name] / 1000:,.0f} KB packages "
                    f"({SCENARIOS[name][0]}): peak RSS {r['synced'] / MB:.0f} MB after the sync "
                    f"of {r['emails']:.0f} emails, {peak / MB:.0f} MB after reading the packages "
                    f"(target ≤ {TARGET / 1e6:.0f} MB{', MISSED' if peak > TARGET else ''}); "
                    f"patients found {r['found']:.0f}, left {r['missing']:.0f}, "
                    f"in {r['seconds']:.2f} s"
                )
    print(
        "peak RSS of the client process (VmHWM), measured in a child process per scenario"
        + ("; a target was missed" if missed else "")
    )
    print(
        f"reproduce: .venv/bin/python bench/xdm.py --messages {args.messages} "
        f"--scenarios {','.join(scenarios)}"
    )


if __name__ == "__main__":
    main()
