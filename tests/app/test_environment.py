"""The programs the app opens get the user's environment, not the frozen bundle's: library
paths back from PyInstaller's _ORIG copies (or without the bundle's entries), Qt's variables
without the bundle's folders, PATH without them on Windows; nothing changed outside a frozen
build."""

from __future__ import annotations

from app import environment
from app.environment import restore_user_environment, user_environment

BUNDLE = "/opt/monsisra-bureau/_internal"
PLUGINS = f"{BUNDLE}/PySide6/Qt/plugins"


def test_not_frozen_nothing_changes() -> None:
    env = {"LD_LIBRARY_PATH": "/opt/dev/lib", "QT_PLUGIN_PATH": "/opt/dev/plugins"}
    assert user_environment(env, None, "linux") == env
    assert environment.bundle_dir() is None  # the tests do not run frozen


def test_the_library_path_comes_back_from_its_orig_copy() -> None:
    env = {
        "LD_LIBRARY_PATH": f"{BUNDLE}:/opt/cuda/lib",
        "LD_LIBRARY_PATH_ORIG": "/opt/cuda/lib",
        "HOME": "/home/u",
    }
    assert user_environment(env, BUNDLE, "linux") == {
        "LD_LIBRARY_PATH": "/opt/cuda/lib",
        "HOME": "/home/u",
    }


def test_a_library_path_the_user_did_not_have_is_removed() -> None:
    env = {"LD_LIBRARY_PATH": BUNDLE, "HOME": "/home/u"}
    assert user_environment(env, BUNDLE, "linux") == {"HOME": "/home/u"}
    # Without an _ORIG copy, only the bundle's entries go.
    env = {"LD_LIBRARY_PATH": f"{BUNDLE}:{BUNDLE}/lib:/usr/local/lib"}
    assert user_environment(env, BUNDLE, "linux") == {"LD_LIBRARY_PATH": "/usr/local/lib"}


def test_macos_dyld_path_the_same_way() -> None:
    env = {"DYLD_LIBRARY_PATH": BUNDLE, "DYLD_LIBRARY_PATH_ORIG": "/opt/l"}
    assert user_environment(env, BUNDLE, "darwin") == {"DYLD_LIBRARY_PATH": "/opt/l"}


def test_qt_variables_lose_the_bundles_folders_and_keep_the_users() -> None:
    env = {
        "QT_PLUGIN_PATH": f"{PLUGINS}:/home/u/qt-plugins",
        "QT_QPA_PLATFORM_PLUGIN_PATH": f"{PLUGINS}/platforms",
        "QML2_IMPORT_PATH": f"{BUNDLE}/PySide6/Qt/qml",
        "QT_QPA_PLATFORM": "xcb",  # a choice, not a path: kept
    }
    assert user_environment(env, BUNDLE, "linux") == {
        "QT_PLUGIN_PATH": "/home/u/qt-plugins",
        "QT_QPA_PLATFORM": "xcb",
    }


def test_a_folder_beside_the_bundle_is_not_inside_it() -> None:
    env = {"LD_LIBRARY_PATH": f"{BUNDLE}-other/lib:{BUNDLE}/../../lib"}
    assert user_environment(env, BUNDLE, "linux") == {
        "LD_LIBRARY_PATH": f"{BUNDLE}-other/lib:{BUNDLE}/../../lib"
    }


def test_windows_path_keeps_the_users_entries_in_order_without_the_bundles() -> None:
    bundle = r"C:\Program Files\MonSisra bureau\_internal"
    env = {
        "PATH": r"C:\PROGRAM FILES\MonSisra bureau\_internal\PySide6;C:\Windows\system32;"
        r"C:\Program Files\MonSisra bureau\_internal;C:\Tools",
        "QT_PLUGIN_PATH": r"c:\program files\monsisra bureau\_internal\PySide6\plugins",
    }
    assert user_environment(env, bundle, "win32") == {"PATH": r"C:\Windows\system32;C:\Tools"}
    # PATH is never removed, even left empty; an _ORIG copy wins.
    assert user_environment({"PATH": bundle}, bundle, "win32") == {"PATH": ""}
    env = {"PATH": rf"{bundle};C:\Windows", "PATH_ORIG": r"C:\Windows;C:\Tools"}
    assert user_environment(env, bundle, "win32") == {"PATH": r"C:\Windows;C:\Tools"}


def test_restoring_changes_the_mapping_in_place_and_names_what_changed() -> None:
    env = {
        "LD_LIBRARY_PATH": BUNDLE,
        "LD_LIBRARY_PATH_ORIG": "/opt/l",
        "QT_PLUGIN_PATH": PLUGINS,
        "PATH": "/usr/bin",
    }
    changed = restore_user_environment(env, BUNDLE, "linux")
    assert env == {"LD_LIBRARY_PATH": "/opt/l", "PATH": "/usr/bin"}
    assert changed == ["LD_LIBRARY_PATH", "LD_LIBRARY_PATH_ORIG", "QT_PLUGIN_PATH"]
    assert restore_user_environment(env, BUNDLE, "linux") == []  # once is enough
