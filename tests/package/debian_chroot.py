"""A minimal Debian 12 system to install the .deb into: `debootstrap --variant=minbase bookworm`,
nothing else, so that what the installed app needs has to come from the package's `Depends`.

The bootstrapped system is cached as a tarball under `.package-cache/` (gitignored), keyed by the
mirror and the day: a second run the same day unpacks it in seconds instead of bootstrapping
again, and a new day picks up the archive's security updates.

Every command runs in a mount namespace of its own (`unshare --mount`): /proc, /dev, /sys and the
X server's socket folder are mounted there, and vanish with the namespace when the command ends —
whatever happens to the test, nothing stays mounted on the host, and deleting the chroot can never
reach the host's /dev or /sys through a forgotten bind mount.
"""

from __future__ import annotations

import datetime
import os
import shlex
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

SUITE = "bookworm"
MIRROR = "http://deb.debian.org/debian"  # the machine's apt source
NOT_ROOT = (
    "the installed-app smoke test needs root (debootstrap, chroot, mounts): run it as root, "
    "as CI does (`sudo make package-test`)"
)


def require_root() -> None:
    """Raises with a clear message unless running as root (the caller fails the test with it)."""
    if os.geteuid() != 0:
        raise PermissionError(NOT_ROOT)


def cached_base(cache_dir: Path, today: datetime.date | None = None) -> Path:
    """The tarball of a bootstrapped minbase system with apt's package lists, made on first use of
    the day (and older ones removed)."""
    require_root()
    day = (today or datetime.datetime.now(datetime.UTC).date()).strftime("%Y%m%d")
    host = MIRROR.split("://", 1)[1].split("/", 1)[0]
    prefix = f"{SUITE}-minbase-{host}-"
    tarball = cache_dir / f"{prefix}{day}.tar"
    if tarball.exists():
        return tarball
    cache_dir.mkdir(parents=True, exist_ok=True)
    work = cache_dir / f"{prefix}{day}.{os.getpid()}.tmp"
    root = work / "root"
    try:
        work.mkdir()
        bootstrap = subprocess.run(
            ["debootstrap", "--variant=minbase", SUITE, str(root), MIRROR],
            capture_output=True,
            text=True,
            check=False,
        )
        if bootstrap.returncode != 0:
            raise AssertionError(
                f"debootstrap failed:\n{bootstrap.stdout[-2000:]}\n{bootstrap.stderr[-4000:]}"
            )
        chroot = Chroot(root)
        chroot.run(["apt-get", "update", "-q"])
        chroot.run(["apt-get", "clean"])
        (root / "etc" / "resolv.conf").unlink(missing_ok=True)  # the host's, copied at each use
        partial = work / "base.tar"
        subprocess.run(["tar", "-cf", str(partial), "-C", str(root), "."], check=True)
        partial.rename(tarball)  # atomic: a concurrent run sees a whole tarball or none
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for old in cache_dir.glob(f"{prefix}*.tar"):
        if old != tarball:
            old.unlink()
    return tarball


class Chroot:
    """A root folder to run commands in, each in its own mount namespace."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def unpack(cls, tarball: Path, root: Path) -> Chroot:
        require_root()
        root.mkdir(parents=True)
        subprocess.run(["tar", "-xf", str(tarball), "-C", str(root)], check=True)
        (root / "tmp" / ".X11-unix").mkdir()  # where the host's X socket folder is mounted
        return cls(root)

    def argv(
        self,
        command: Sequence[str],
        *,
        user: int | None = None,
        env: Mapping[str, str] | None = None,
        x11: bool = False,
    ) -> list[str]:
        """The host's argv that runs `command` inside: with a clean environment (`env` only),
        as `user` (a uid, its group the same number) or root, with the X socket folder if `x11`.
        """
        shutil.copyfile("/etc/resolv.conf", self.root / "etc" / "resolv.conf")
        mounts = [
            "mount -t proc proc proc",
            "mount --rbind /dev dev",
            "mount --rbind /sys sys",
        ]
        if x11:
            mounts.append("mount --bind /tmp/.X11-unix tmp/.X11-unix")
        inner = ["env", "-i", *(f"{k}={v}" for k, v in (env or {}).items()), *command]
        who = [f"--userspec={user}:{user}"] if user is not None else []
        chroot = shlex.join(["chroot", *who, ".", *inner])
        script = " && ".join([f"cd {shlex.quote(str(self.root))}", *mounts, f"exec {chroot}"])
        # No --fork: the shell becomes the command, so its pid is the command's (for signals).
        return ["unshare", "--mount", "--propagation", "private", "sh", "-c", script]

    def run(
        self,
        command: Sequence[str],
        *,
        user: int | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float = 300,
    ) -> subprocess.CompletedProcess[str]:
        """Runs `command` to its end; raises with its output if it fails."""
        base = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8"}
        result = subprocess.run(
            self.argv(command, user=user, env={**base, **(env or {})}),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise AssertionError(
                f"{shlex.join(command)} failed in the chroot ({result.returncode}):\n"
                f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
            )
        return result

    def paths(self) -> set[str]:
        """Every path in the chroot, as seen from inside ("/usr/bin/…"); the host's view, where
        no namespace's mounts are."""
        found = {"/"}
        for folder, dirs, files in os.walk(self.root):
            inside = "/" + os.path.relpath(folder, self.root)
            inside = inside.removesuffix("/.")
            found.update(f"{inside.rstrip('/')}/{name}" for name in (*dirs, *files))
        return found

    def remove(self) -> None:
        """Deletes the chroot, after checking that nothing is mounted under it on the host."""
        with open("/proc/self/mounts", encoding="utf-8") as mounts:
            inside = [line for line in mounts if f" {self.root}/" in line]
        if inside:
            raise AssertionError(f"still mounted under the chroot, not deleted: {inside}")
        shutil.rmtree(self.root)
