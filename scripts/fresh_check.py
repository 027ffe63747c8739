"""`make fresh-check`: the README's two commands on a really fresh Debian 12.

What a new user has: a minimal Debian 12 (`debootstrap --variant=minbase bookworm`, the one the
package tests use, cached under `.package-cache/`) with only `python3 make git ca-certificates`,
and a clone of this repository. In it, as that user would:

1. `make test` as a user who is not root: it must stop at once, print the `apt-get install` line
   to run, and leave no half-made `.venv` behind;
2. `make test` as root (it installs the Debian packages it needs), over a `.venv` without pip (what
   `python3 -m venv` leaves without python3-venv), limited with TEST_PARTS and PYTEST_ARGS to lint,
   types, import contracts and a few test files: the whole suite takes 20 min;
3. `make demo` as root, without a display (so under Xvfb), the app quitting after a while.

Each step's output goes to a log under `.package-cache/fresh-check/`; the summary (each step,
its time, ok or not) is printed at the end. Needs root (debootstrap, chroot, mounts) and the
network (Debian's archive, PyPI). Too long for every CI run: not part of `make test`.
The clone is of what is committed (HEAD), not of the working tree.

The root trusts what this machine trusts: the certificate authorities its administrator added
(`/usr/local/share/ca-certificates/`, a TLS-inspecting proxy's, a hospital's IT) are added there
the same way, and pip is pointed at the system's store (PIP_CERT), as on this machine; without
them, behind such a proxy, nothing could be downloaded and nothing would be checked.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.package.debian_chroot import Chroot, cached_base

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".package-cache"
WHAT_THE_README_ASSUMES = ["python3", "make", "git", "ca-certificates"]
USER_UID = 1000
CLONE = "/home/soignant/monsisra-bureau"
LOCAL_CAS = Path("/usr/local/share/ca-certificates")
SYSTEM_STORE = "/etc/ssl/certs/ca-certificates.crt"
# A quick but real `make test`: the checks, and the tests of what these commands touch.
TEST_PARTS = "lint types contracts pytest"
PYTEST_ARGS = "tests/server/test_cli.py tests/app/test_jmap_session.py tests/ui/test_app_demo.py"
DEMO_SECONDS = 20  # the app quits by itself after this long (--quit-after)


@dataclass
class Step:
    name: str
    ok: bool
    seconds: float
    log: Path


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--test-parts", default=TEST_PARTS, help="TEST_PARTS for make test")
    p.add_argument("--pytest-args", default=PYTEST_ARGS, help="PYTEST_ARGS for make test")
    p.add_argument("--keep", action="store_true", help="keep the chroot (to look into it)")
    return p.parse_args(argv)


def run_step(
    chroot: Chroot,
    name: str,
    command: str,
    logs: Path,
    *,
    user: int | None,
    expected: Callable[[int, str], bool] = lambda code, _said: code == 0,
) -> Step:
    """`command` (a shell line) inside, its output to logs/NAME.log; ok when `expected` says so
    of its exit code and output."""
    home = "/root" if user is None else "/home/soignant"
    env = {
        "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
        "LANG": "C.UTF-8",
        "HOME": home,
        "PIP_CERT": SYSTEM_STORE,
    }
    log = logs / f"{name}.log"
    print(f"fresh-check: {name}: {command}", flush=True)
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run(  # noqa: S603 (our own argv)
            chroot.argv(["sh", "-c", command], user=user, env=env),
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    ok = expected(done.returncode, log.read_text(encoding="utf-8"))
    step = Step(name, ok, time.monotonic() - started, log)
    print(f"fresh-check: {name}: {'ok' if ok else 'ÉCHEC'} ({step.seconds:.0f} s)", flush=True)
    return step


def trust_what_this_machine_trusts(chroot: Chroot) -> None:
    local = sorted(LOCAL_CAS.glob("*.crt"))
    if not local:
        return
    inside = chroot.root / LOCAL_CAS.relative_to("/")
    inside.mkdir(parents=True, exist_ok=True)
    for ca in local:
        shutil.copyfile(ca, inside / ca.name)
    chroot.run(["update-ca-certificates"])


def check(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logs = CACHE / "fresh-check"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)
    chroot = Chroot.unpack(cached_base(CACHE), logs / "root")
    clone = chroot.root / CLONE.lstrip("/")
    steps: list[Step] = []
    try:
        chroot.run(["apt-get", "install", "-y", "-q", *WHAT_THE_README_ASSUMES], timeout=900)
        trust_what_this_machine_trusts(chroot)
        chroot.run(["useradd", "--create-home", "--uid", str(USER_UID), "soignant"])
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)  # noqa: S603,S607
        chroot.run(["chown", "-R", f"{USER_UID}:{USER_UID}", CLONE])
        cd = f"cd {CLONE} && "

        # 1. Not root: it stops with the exact apt line, and makes no .venv by halves.
        def says_what_to_install(code: int, said: str) -> bool:
            return (
                code != 0
                and "apt-get install" in said
                and "python3-venv" in said
                and not (clone / ".venv").exists()
            )

        steps.append(
            run_step(
                chroot,
                "make-test-not-root",
                cd + "make test",
                logs,
                user=USER_UID,
                expected=says_what_to_install,
            )
        )
        chroot.run(["chown", "-R", "root:root", CLONE])

        # 2. and 3. As root, as the README says; over the .venv that `python3 -m venv` leaves
        # without python3-venv (no pip), which make must make again.
        chroot.run(["python3", "-m", "venv", "--without-pip", f"{CLONE}/.venv"])
        steps.append(
            run_step(
                chroot,
                "make-test",
                cd + f'make test TEST_PARTS="{args.test_parts}" PYTEST_ARGS="{args.pytest_args}"',
                logs,
                user=None,
            )
        )

        def demo_ran_and_stopped(code: int, said: str) -> bool:
            return (
                code == 0
                and "Génération des données de démonstration" in said  # its progress, named
                and "sous Xvfb" in said
                and "serveur arrêté" in said
            )

        steps.append(
            run_step(
                chroot,
                "make-demo",
                cd + f'make demo DEMO_ARGS="--quit-after {DEMO_SECONDS}"',
                logs,
                user=None,
                expected=demo_ran_and_stopped,
            )
        )
    finally:
        if not args.keep:
            chroot.remove()
    print("\nfresh-check: Debian 12 minimal (python3 make git ca-certificates), clone of HEAD")
    for step in steps:
        state = "ok" if step.ok else "ÉCHEC"
        print(f"  {step.name:<20} {state:<6} {step.seconds:6.0f} s   {step.log}")
        for line in step.log.read_text(encoding="utf-8").splitlines()[-400:]:
            if "faite en" in line or line.endswith("s ===") or " passed in " in line:
                print(f"  {'':<20} {line.strip()}")
    return 0 if steps and all(step.ok for step in steps) else 1


if __name__ == "__main__":
    sys.exit(check())
