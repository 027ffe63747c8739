"""The user's environment for the programs the app opens, not the frozen bundle's.

A frozen build (PyInstaller) changes the environment of its own process so that it finds its
libraries: on Linux the bootloader puts the bundle first in `LD_LIBRARY_PATH` (keeping the
user's value, when there was one, in `LD_LIBRARY_PATH_ORIG`), PySide6's start-up hook points
Qt's plugin variables into the bundle, and on Windows the bundle's folders may be put first in
`PATH`. Everything the app starts inherits that environment: `xdg-open`, which Qt runs for a
link or a document, then the browser or the PDF viewer it starts, would load the bundle's Qt
and libraries instead of their own, and fail or misbehave. So, once the QApplication exists, the
app puts the user's values back into its own environment (`restore_user_environment`), and every
program started after that, by Qt or by us, gets them.

Why that is safe for our own process: the dynamic loader read `LD_LIBRARY_PATH` (macOS's dyld:
`DYLD_LIBRARY_PATH`) once, when the process was executed, and never reads it again; Qt read its
plugin path when the QApplication was built and keeps it (`QCoreApplication.libraryPaths()`,
asked before the change so that it is filled); on Windows the bootloader registered the bundle's
folder with `SetDllDirectory`, which Windows searches before `PATH`. Outside a frozen build
nothing is changed: a developer's `LD_LIBRARY_PATH` is theirs.
"""

from __future__ import annotations

import ntpath
import posixpath
import sys
from collections.abc import Callable, Mapping, MutableMapping

# Library search paths the bootloader changes; PyInstaller keeps the user's value in NAME_ORIG.
LIBRARY_PATHS = ("LD_LIBRARY_PATH", "DYLD_LIBRARY_PATH", "LIBPATH")
# Qt's own variables, set by PySide6's start-up hook to the bundle's plugins.
QT_PATHS = ("QT_PLUGIN_PATH", "QT_QPA_PLATFORM_PLUGIN_PATH", "QML2_IMPORT_PATH")
ORIG_SUFFIX = "_ORIG"


def bundle_dir() -> str | None:
    """The frozen bundle's folder (PyInstaller's `sys._MEIPASS`), None when not frozen."""
    if not getattr(sys, "frozen", False):
        return None
    bundle = getattr(sys, "_MEIPASS", None)
    return str(bundle) if bundle else None


def user_environment(
    environ: Mapping[str, str], bundle: str | None, platform: str = sys.platform
) -> dict[str, str]:
    """`environ` as the user had it before the bundle changed it (`bundle`: the bundle's folder;
    None, not frozen: `environ` unchanged).

    A library path comes back from its `_ORIG` copy; without one, the bundle's entries are
    dropped (and the variable with them when nothing else is left). Qt's variables lose the
    entries that point into the bundle. `PATH` keeps the user's entries in their order: from
    `PATH_ORIG` when there is one, else without the bundle's. The `_ORIG` copies go.
    """
    env = dict(environ)
    if bundle is None:
        return env
    windows = platform == "win32"

    def inside(entry: str) -> bool:
        return _inside_bundle(entry, bundle, windows)

    separator = ";" if windows else ":"
    for name in (*LIBRARY_PATHS, "PATH"):
        original = env.pop(name + ORIG_SUFFIX, None)
        if original is not None:
            env[name] = original
        elif name in env:
            _drop_entries(env, name, inside, separator, keep_empty=name == "PATH")
    for name in QT_PATHS:
        if name in env:
            _drop_entries(env, name, inside, separator, keep_empty=False)
    return env


def restore_user_environment(
    environ: MutableMapping[str, str], bundle: str | None, platform: str = sys.platform
) -> list[str]:
    """Puts `user_environment` into `environ` (os.environ: our children inherit it); returns
    the names of the variables changed, for the log (never their values)."""
    wanted = user_environment(environ, bundle, platform)
    changed = sorted(
        name for name in set(environ) | set(wanted) if environ.get(name) != wanted.get(name)
    )
    for name in changed:
        if name in wanted:
            environ[name] = wanted[name]
        else:
            del environ[name]
    return changed


def _inside_bundle(entry: str, bundle: str, windows: bool) -> bool:
    """Whether `entry` is the bundle's folder or under it (case-insensitively on Windows)."""
    if windows:
        entry, bundle, sep = (
            ntpath.normcase(ntpath.normpath(entry)),
            ntpath.normcase(ntpath.normpath(bundle)),
            "\\",
        )
    else:
        entry, bundle, sep = posixpath.normpath(entry), posixpath.normpath(bundle), "/"
    return entry == bundle or entry.startswith(bundle.rstrip(sep) + sep)


def _drop_entries(
    env: dict[str, str],
    name: str,
    inside: Callable[[str], bool],
    separator: str,
    *,
    keep_empty: bool,
) -> None:
    kept = [e for e in env[name].split(separator) if e and not inside(e)]
    if kept or keep_empty:
        env[name] = separator.join(kept)
    else:
        del env[name]
