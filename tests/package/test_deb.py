"""The Debian package as a user's machine gets it: its fields and files, the validators Debian and
the desktops use (desktop-file-validate, appstreamcli, lintian), a rebuild that gives the same
bytes, and the installed app itself.

The installed-app smoke test proves `Depends` by use: the .deb goes into a bare `debootstrap
--variant=minbase` Debian 12 with `apt-get install --no-install-recommends`, so only what the
package declares is there; the app then starts under Xvfb as an ordinary user, logs in to a
sandbox on the host's loopback, and the screen is checked by its pixels (the accent colour of the
styled login window, then the inbox painted), because a build without its resources exits 0 just
the same. Anything the app prints, or logs at WARNING or above, fails it. Finally `apt-get purge`
must leave nothing but the user's data.
"""

from __future__ import annotations

import collections
import contextlib
import gzip
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtGui import QImage

from server.demo.users import DEMO_PASSWORD
from server.testing import ServerThread
from tests.package.conftest import ROOT
from tests.package.debian_chroot import Chroot, cached_base
from tests.server.conftest import demo_server, demo_template, server_factory  # noqa: F401
from ui import palette

APP_ID = "fr.sante_ara.MonSisraBureau"
PREFIX = "/opt/monsisra-bureau"
BUILD_DEB = ROOT / "installer" / "linux" / "build-deb.sh"
CACHE = ROOT / ".package-cache"
X_SOCKETS = Path("/tmp/.X11-unix")  # noqa: S108 (where every X server puts its socket)
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
GP_LOGIN = "helene.garnier"  # the demo GP: an inbox with unread messages
USER_UID = 1000
USER_HOME = "/home/soignant"
# Measured on a good build: login window ≈13,400 accent pixels (a build without its style: 0);
# inbox ≈5,800 pixels of the selected folder's tint and ≈8,100 of row text (the login window:
# 0 and ≈850).
LOGIN_ACCENT_MIN = 5_000
ACCENT = palette.ACCENT.rgb() & 0xFFFFFF
SELECTED = palette.SELECTED.rgb() & 0xFFFFFF  # the selected folder's tint
TEXT = palette.TEXT.rgb() & 0xFFFFFF
INBOX_SELECTED_MIN = 1_000
INBOX_TEXT_MIN = 4_000
# A line of the app's log (app/logs.py) at WARNING or above: "2026-12-06 17:52:10,105 WARNING …".
LOGGED_PROBLEM = re.compile(r"^\S+ \S+ (WARNING|ERROR|CRITICAL) ")
# The warnings this system must give, each with its reason. A minimal Debian has no Secret Service
# (neither GNOME Keyring nor KWallet): the login window says the session cannot be remembered, and
# the log says it for support.
EXPECTED_PROBLEMS = (re.compile(r" WARNING monsisra\.ui\.app: no usable keyring: "),)
T = TypeVar("T")
GRAB = (
    "import sys\n"
    "from PySide6.QtGui import QGuiApplication\n"
    "app = QGuiApplication(['grab'])\n"
    "sys.exit(0 if app.primaryScreen().grabWindow(0).save(sys.argv[1]) else 1)\n"
)


def dpkg_field(deb: Path, field: str) -> str:
    return subprocess.run(
        ["dpkg-deb", "--field", str(deb), field], capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.fixture(scope="module")
def unpacked(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package's files, as dpkg would install them, under a folder of their own."""
    root = tmp_path_factory.mktemp("deb-root")
    subprocess.run(["dpkg-deb", "--extract", str(deb), str(root)], check=True)
    return root


def is_elf(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4) == b"\x7fELF"


# --- Fields and files ----------------------------------------------------------------------------


def test_fields_name_the_bundles_version_and_this_architecture(deb: Path, bundle: Path) -> None:
    banner = subprocess.run(
        [str(bundle / "monsisra-cli"), "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    arch = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()
    version = dpkg_field(deb, "Version")
    assert banner == f"MonSisra bureau {version}"
    assert dpkg_field(deb, "Package") == "monsisra-bureau"
    assert dpkg_field(deb, "Architecture") == arch
    assert deb.name == f"monsisra-bureau_{version}_{arch}.deb"
    assert int(dpkg_field(deb, "Installed-Size")) > 50_000  # KiB: the whole bundle


def test_depends_floors_libc6_at_the_newest_glibc_symbol_the_bundle_uses(
    deb: Path, unpacked: Path
) -> None:
    depends = [d.strip() for d in dpkg_field(deb, "Depends").split(",")]
    versions: set[tuple[int, ...]] = set()
    for path in (unpacked / PREFIX.lstrip("/")).rglob("*"):
        if path.is_file() and not path.is_symlink() and is_elf(path):
            listing = subprocess.run(
                ["readelf", "-V", "--wide", str(path)], capture_output=True, text=True, check=True
            ).stdout
            versions.update(
                tuple(map(int, v.split("."))) for v in re.findall(r"GLIBC_([0-9.]+)\b", listing)
            )
    glibc = ".".join(map(str, max(versions)))
    assert f"libc6 (>= {glibc})" in depends
    # Libraries the bundle links to and does not ship, and the files read at run time.
    for package in ("libxcb1", "libgl1", "libegl1", "fontconfig-config", "fonts-dejavu-core"):
        assert package in depends
    print(f"\nDepends: {', '.join(depends)}\nglibc needed: {glibc}")


def test_layout_is_the_bundle_in_opt_with_its_programs_on_the_path(deb: Path) -> None:
    listing = subprocess.run(
        ["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    entries = {}
    for line in listing:
        mode, owner, _size, _date, _time, name, *link = line.split(maxsplit=6)
        assert owner == "root/root", line
        entries[name.removeprefix(".")] = (mode, link[0] if link else "")
    assert entries["/usr/bin/monsisra"] == ("lrwxrwxrwx", f"-> {PREFIX}/monsisra")
    assert entries["/usr/bin/monsisra-cli"] == ("lrwxrwxrwx", f"-> {PREFIX}/monsisra-cli")
    assert entries[f"{PREFIX}/monsisra"][0] == "-rwxr-xr-x"
    assert entries[f"{PREFIX}/monsisra-cli"][0] == "-rwxr-xr-x"
    assert f"{PREFIX}/_internal/" in entries
    expected = [
        f"/usr/share/applications/{APP_ID}.desktop",
        f"/usr/share/metainfo/{APP_ID}.metainfo.xml",
        f"/usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg",
        "/usr/share/doc/monsisra-bureau/copyright",
        "/usr/share/doc/monsisra-bureau/changelog.gz",
        "/usr/share/lintian/overrides/monsisra-bureau",
        "/usr/share/man/man1/monsisra.1.gz",
        "/usr/share/man/man1/monsisra-cli.1.gz",
        *(f"/usr/share/icons/hicolor/{n}x{n}/apps/{APP_ID}.png" for n in ICON_SIZES),
    ]
    for name in expected:
        assert entries[name][0] == "-rw-r--r--", name
    outside = [n for n in entries if not n.startswith((f"{PREFIX}/", "/usr/", "/opt/"))]
    assert outside == ["/"]


def test_no_maintainer_scripts_the_caches_are_dpkg_triggers(deb: Path) -> None:
    control = subprocess.run(
        ["dpkg-deb", "--ctrl-tarfile", str(deb)], capture_output=True, check=True
    ).stdout
    names = subprocess.run(
        ["tar", "-t"], input=control, capture_output=True, check=True
    ).stdout.split()
    assert sorted(names) == [b"./", b"./control", b"./md5sums"]


def test_desktop_file_validates_and_names_the_window_class(unpacked: Path) -> None:
    desktop = unpacked / "usr/share/applications" / f"{APP_ID}.desktop"
    result = subprocess.run(
        ["desktop-file-validate", str(desktop)], capture_output=True, text=True, check=False
    )
    # Hints are suggestions, not faults (MedicalSoftware "can be extended" with Science).
    problems = [line for line in result.stdout.splitlines() if ": hint:" not in line]
    assert result.returncode == 0, result.stdout
    assert problems == []
    text = desktop.read_text(encoding="utf-8")
    for line in (
        "Name=MonSisra bureau",
        "Exec=monsisra",
        f"Icon={APP_ID}",
        "GenericName[en]=Secure health messaging",
        "Version=1.4",
    ):
        assert line in text.splitlines()


def test_metainfo_validates_and_carries_this_release(deb: Path, unpacked: Path) -> None:
    metainfo = unpacked / "usr/share/metainfo" / f"{APP_ID}.metainfo.xml"
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(metainfo)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    assert not re.search(r"^[EW]: ", result.stdout, re.MULTILINE), result.stdout
    text = metainfo.read_text(encoding="utf-8")
    assert f'<release version="{dpkg_field(deb, "Version")}" date="' in text
    assert f'<launchable type="desktop-id">{APP_ID}.desktop</launchable>' in text
    assert "<project_license>EUPL-1.2</project_license>" in text


def test_copyright_is_machine_readable_and_points_to_the_bundled_notices(unpacked: Path) -> None:
    doc = unpacked / "usr/share/doc/monsisra-bureau"
    text = (doc / "copyright").read_text(encoding="utf-8")
    assert text.startswith(
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
    )
    assert "\nLicense: EUPL-1.2\n EUROPEAN UNION PUBLIC LICENCE v. 1.2\n" in text
    notices = f"{PREFIX}/_internal/monsisra_resources/notices/THIRD-PARTY-NOTICES.txt"
    assert notices in text
    assert (unpacked / notices.lstrip("/")).stat().st_size > 0
    changelog = gzip.decompress((doc / "changelog.gz").read_bytes()).decode()
    assert changelog.startswith("monsisra-bureau (")


def test_no_build_machine_path_in_the_package_text(unpacked: Path) -> None:
    for path in (
        unpacked / "usr/share/applications" / f"{APP_ID}.desktop",
        unpacked / "usr/share/metainfo" / f"{APP_ID}.metainfo.xml",
        unpacked / "usr/share/doc/monsisra-bureau/copyright",
    ):
        text = path.read_text(encoding="utf-8")
        assert str(ROOT) not in text, path
        assert "/tmp/" not in text, path  # noqa: S108 (looked for, not used)


def test_lintian_reports_nothing_but_its_overrides(deb: Path) -> None:
    result = subprocess.run(
        ["lintian", "--no-tag-display-limit", str(deb)],
        capture_output=True,
        text=True,
        check=False,
    )
    found = [line for line in result.stdout.splitlines() if re.match(r"[EW]: ", line)]
    assert found == [], "\n".join(found)


def test_rebuilding_gives_the_same_bytes(
    deb: Path, bundle: Path, icons: Path, tmp_path: Path
) -> None:
    # The first ar member's date is the SOURCE_DATE_EPOCH the package was made with.
    header = deb.read_bytes()[8 : 8 + 60]
    epoch = header[16:28].decode().strip()
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch}
    subprocess.run(
        [str(BUILD_DEB), str(bundle), str(icons), str(tmp_path)],
        env=env,
        check=True,
        capture_output=True,
    )
    rebuilt = tmp_path / deb.name
    assert rebuilt.read_bytes() == deb.read_bytes()


# --- The installed app ---------------------------------------------------------------------------


def free_display() -> int:
    """A display number nobody uses: no lock file in /tmp, and no socket of that name, abstract
    or not. The abstract ones (@/tmp/.X11-unix/Xn, which clients try first) belong to the network
    namespace, so an X server in another mount namespace (another chroot test) can hold one whose
    lock file is not in our /tmp: taking its number would connect the app to that server."""
    with open("/proc/net/unix", encoding="utf-8") as table:
        sockets = {line.split()[-1].lstrip("@") for line in table if "X11-unix" in line}
    for number in range(200, 1000):
        lock = X_SOCKETS.parent / f".X{number}-lock"
        if not lock.exists() and str(X_SOCKETS / f"X{number}") not in sockets:
            return number
    raise AssertionError("no free X display number")


@contextlib.contextmanager
def xvfb(log: Path) -> Iterator[str]:
    """An X server on the host (its socket in /tmp/.X11-unix, which the chroot mounts)."""
    read_end, write_end = os.pipe()
    display = f":{free_display()}"
    with log.open("wb") as out:
        server = subprocess.Popen(
            ["Xvfb", display, "-displayfd", str(write_end), "-screen", "0", "1280x800x24"],
            pass_fds=(write_end,),
            stdout=out,
            stderr=out,
        )
    os.close(write_end)
    try:
        # Xvfb writes its number when it accepts connections (EOF if it fails).
        ready, _, _ = select.select([read_end], [], [], 30)
        number = os.read(read_end, 16).decode().strip() if ready else ""
        assert f":{number}" == display, f"Xvfb did not start: {log.read_text(errors='replace')}"
        yield display
    finally:
        os.close(read_end)
        server.terminate()
        server.wait(timeout=10)


def xdotool(display: str, *args: str) -> str:
    return subprocess.run(
        ["xdotool", *args],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()


def until(what: str, check: Callable[[], T], timeout: float = 60) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"gave up waiting for {what} after {timeout:.0f} s")


def grab(display: str, path: Path) -> collections.Counter[int]:
    """The whole screen, saved to `path`, as a count of each RGB colour."""
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    subprocess.run([sys.executable, "-c", GRAB, str(path)], env=env, check=True, timeout=30)
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_RGB32)
    return collections.Counter(p & 0xFFFFFF for p in memoryview(image.constBits()).cast("I"))


def test_installed_app_logs_in_shows_the_inbox_and_purges_clean(
    deb: Path,
    demo_server: ServerThread,  # noqa: F811
    tmp_path: Path,
) -> None:
    try:
        tarball = cached_base(CACHE)
    except PermissionError as e:
        pytest.fail(str(e))
    chroot = Chroot.unpack(tarball, tmp_path / "root")
    try:
        chroot.run(["useradd", "--create-home", "--uid", str(USER_UID), "soignant"])
        runtime = chroot.root / "run" / "user" / str(USER_UID)
        runtime.mkdir(parents=True, mode=0o700)
        os.chown(runtime, USER_UID, USER_UID)
        before = chroot.paths()

        # Depends is enough: apt may add only what the package declares (and their own needs).
        shutil.copy(deb, chroot.root / "root")
        chroot.run(
            ["apt-get", "install", "-y", "-q", "--no-install-recommends", f"/root/{deb.name}"],
            env={"DEBIAN_FRONTEND": "noninteractive"},
        )
        (chroot.root / "root" / deb.name).unlink()
        version = dpkg_field(deb, "Version")
        user_env = {
            "HOME": USER_HOME,
            "USER": "soignant",
            "LOGNAME": "soignant",
            "LANG": "C.UTF-8",
            "PATH": "/usr/bin:/bin",
            "XDG_RUNTIME_DIR": f"/run/user/{USER_UID}",
        }
        cli = chroot.run(["monsisra-cli", "--version"], user=USER_UID, env=user_env)
        assert cli.stdout.strip() == f"MonSisra bureau {version}"

        with xvfb(tmp_path / "xvfb.log") as display:
            user_env["DISPLAY"] = display
            run_installed_app(chroot, display, user_env, demo_server, tmp_path)

        chroot.run(
            [
                "apt-get", "purge", "-y", "-q", "--autoremove",
                # What apt installed for the package goes too, even what others recommend.
                "-o", "APT::AutoRemove::RecommendsImportant=false",
                "monsisra-bureau",
            ],
            env={"DEBIAN_FRONTEND": "noninteractive"},
        )  # fmt: skip
        after = chroot.paths()
        bookkeeping = ("/var/cache/apt/", "/var/log/apt/", "/var/lib/apt/extended_states")
        users_data = (f"{USER_HOME}/", f"/run/user/{USER_UID}/")
        left = sorted(p for p in after - before if not p.startswith(bookkeeping + users_data))
        assert left == [], f"left behind by the package: {left}"
        # dpkg removes the /opt it created for us when it is empty again: it was empty before.
        assert before - after <= {"/opt"}, sorted(before - after)
    finally:
        chroot.remove()


def run_installed_app(
    chroot: Chroot, display: str, env: dict[str, str], server: ServerThread, shots: Path
) -> None:
    """/usr/bin/monsisra in the chroot: the styled login window, a login typed in, the inbox."""
    output_log = shots / "app-output.log"
    with output_log.open("w") as output:
        app = subprocess.Popen(
            chroot.argv(
                ["/usr/bin/monsisra", "--server", server.base_url], user=USER_UID, env=env, x11=True
            ),
            stdout=output,
            stderr=output,
        )
    try:
        login = until(
            "the login window",
            lambda: xdotool(display, "search", "--onlyvisible", "--name", "Connexion"),
        ).split()[0]

        def login_styled() -> bool:
            return grab(display, shots / "login.png")[ACCENT] >= LOGIN_ACCENT_MIN

        until(f"the styled login window (see {shots}/login.png)", login_styled, timeout=20)
        # What ties the window to the desktop file (launcher icon, unread badge): the app id
        # Qt names as the desktop file (GNOME, KDE), and the class of StartupWMClass (others).
        properties = subprocess.run(
            ["xprop", "-id", login, "WM_CLASS", "_GTK_APPLICATION_ID", "_KDE_NET_WM_DESKTOP_FILE"],
            env={**os.environ, "DISPLAY": display},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
        desktop = (chroot.root / "usr/share/applications" / f"{APP_ID}.desktop").read_text()
        startup_class = re.search(r"^StartupWMClass=(.*)$", desktop, re.MULTILINE)
        assert startup_class is not None
        assert properties == [
            f'WM_CLASS(STRING) = "monsisra", "{startup_class[1]}"',
            f'_GTK_APPLICATION_ID(UTF8_STRING) = "{APP_ID}"',
            f'_KDE_NET_WM_DESKTOP_FILE(UTF8_STRING) = "{APP_ID}"',
        ]

        xdotool(display, "windowfocus", "--sync", login)
        xdotool(display, "type", "--delay", "20", GP_LOGIN)
        xdotool(display, "key", "Tab")
        xdotool(display, "type", "--delay", "20", DEMO_PASSWORD)
        xdotool(display, "key", "Return")
        until(
            "the main window",
            lambda: xdotool(
                display, "search", "--onlyvisible", "--name", r"^(\([0-9]+\) )?MonSisra bureau$"
            ),
        )

        def inbox_painted() -> bool:
            colours = grab(display, shots / "inbox.png")
            return colours[SELECTED] >= INBOX_SELECTED_MIN and colours[TEXT] >= INBOX_TEXT_MIN

        until(f"the inbox painted (see {shots}/inbox.png)", inbox_painted, timeout=30)
        app.send_signal(signal.SIGTERM)  # the app's clean quit (ui/app.py)
        assert app.wait(timeout=30) == 0
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
    # Nothing is expected on either: what fails before the app's logging starts (a missing
    # library, fontconfig without its configuration) is printed there.
    printed = output_log.read_text(errors="replace")
    assert printed == "", f"the installed app printed (stdout, stderr):\n{printed}"
    # Afterwards Qt's messages go to the app's log (ui/qtlog.py), with the app's own.
    logs = sorted((chroot.root / USER_HOME.lstrip("/")).rglob("*.log"))
    assert logs, f"the installed app wrote no log file in {USER_HOME}"
    problems = [
        line
        for log in logs
        for line in log.read_text(errors="replace").splitlines()
        if LOGGED_PROBLEM.match(line) and not any(e.search(line) for e in EXPECTED_PROBLEMS)
    ]
    assert problems == [], "the installed app logged:\n" + "\n".join(problems)
