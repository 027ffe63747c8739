"""The installed app against the issue's targets, measured in one run:

a. `make package` wall time (target ≤ 5 min here), unless --no-build reuses the last bundle;
b. the bundle's size (≤ 160 MB) and the .deb's, when one was built (≤ 50 MB);
c. process start → login window painted, the frozen `monsisra` against the same app run from the
   venv (`python -m ui.app`), alternated run by run, medians compared (target ≤ 1.1×).

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python bench/package.py [--runs 5] [--no-build]

(c) is bench/ui.py's start-up measure (ui/first_paint.py prints the end of the first paint when
MONSISRA_FIRST_PAINT=1; the time runs from just before the process starts), with the same
environment: xcb under a display, the venv's bytecode cached as an installed app's is shipped
compiled. Both open an empty data folder of their own on a server that does not answer, after
one warm-up run each.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ui import OFFLINE_SERVER, first_paint_after, load, median, qt_env  # noqa: E402

BUNDLE = ROOT / "dist" / "monsisra-bureau"
TARGET_BUILD_S = 300
TARGET_BUNDLE_MB = 160
TARGET_DEB_MB = 50
TARGET_RATIO = 1.1


def mark(ok: bool) -> str:
    return "ok" if ok else "OVER TARGET"


def build() -> None:
    started = time.monotonic()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # as from a shell
    done = subprocess.run(["make", "package"], cwd=ROOT, env=env, check=False)
    took = time.monotonic() - started
    said = "" if done.returncode == 0 else f" (make ended with status {done.returncode})"
    verdict = mark(took <= TARGET_BUILD_S)
    print(f"a. make package: {took:.0f} s, target ≤ {TARGET_BUILD_S} s: {verdict}{said}")


def sizes() -> None:
    size = sum(p.stat().st_size for p in BUNDLE.rglob("*") if p.is_file() and not p.is_symlink())
    mb = size / 1e6
    print(
        f"b. bundle {BUNDLE.relative_to(ROOT)}: {mb:.1f} MB, target ≤ {TARGET_BUNDLE_MB} MB: "
        f"{mark(mb <= TARGET_BUNDLE_MB)}"
    )
    debs = sorted((ROOT / "dist").glob("monsisra-bureau_*.deb"))
    for deb in debs:
        deb_mb = deb.stat().st_size / 1e6
        print(
            f"   {deb.name}: {deb_mb:.1f} MB, target ≤ {TARGET_DEB_MB} MB: "
            f"{mark(deb_mb <= TARGET_DEB_MB)}"
        )
    if not debs:
        print("   no .deb in dist/ (not built)")


def startup(runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-package-") as tmp:
        folder = Path(tmp)
        env, where = qt_env(ROOT / ".bench-cache")
        env = {**env, "MONSISRA_FIRST_PAINT": "1"}
        venv = [sys.executable, "-m", "ui.app", "--data", str(folder / "venv-data")]
        frozen = [str(BUNDLE / "monsisra"), "--data", str(folder / "frozen-data")]
        venv += ["--server", OFFLINE_SERVER]
        frozen += ["--server", OFFLINE_SERVER]
        frozen_env = {k: v for k, v in env.items() if not k.startswith("PYTHON")}
        print(
            f"c. start → login window painted, {runs} runs each, alternated; Qt on {where}; "
            f"load {load()}"
        )
        first_paint_after(venv, env)  # warm-up: the OS file cache, first-run settings
        first_paint_after(frozen, frozen_env)
        venv_times, frozen_times = [], []
        for _ in range(runs):
            venv_times.append(first_paint_after(venv, env))
            frozen_times.append(first_paint_after(frozen, frozen_env))
        ratio = median(frozen_times) / median(venv_times)
        print(
            f"   venv:   median {median(venv_times) * 1000:.0f} ms "
            f"({', '.join(f'{t * 1000:.0f}' for t in venv_times)})"
        )
        print(
            f"   frozen: median {median(frozen_times) * 1000:.0f} ms "
            f"({', '.join(f'{t * 1000:.0f}' for t in frozen_times)})"
        )
        print(
            f"   ratio frozen / venv: {ratio:.2f}, target ≤ {TARGET_RATIO}×: "
            f"{mark(ratio <= TARGET_RATIO)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5, help="start-up runs of each (median)")
    parser.add_argument("--no-build", action="store_true", help="measure the last bundle")
    args = parser.parse_args()
    print("bench/package.py — the installed app (make bench; alone: see the module's docstring)")
    if args.no_build:
        print("a. make package: not run (--no-build)")
    else:
        build()
    if not (BUNDLE / "monsisra").exists():
        raise SystemExit(f"no bundle in {BUNDLE}: run make package first")
    sizes()
    if not os.environ.get("DISPLAY"):
        print("   (no display: Qt's offscreen platform; run under xvfb-run for real windows)")
    startup(args.runs)


if __name__ == "__main__":
    main()
