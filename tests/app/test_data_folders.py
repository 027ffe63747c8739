"""Where the data lives: on Windows the accounts (cache, vault, documents) and the logs in the
local profile and only settings.json in the roaming one; macOS and Linux as platformdirs says;
MONSISRA_DATA and --data put everything in the one folder given. What an older version left in
the roaming data folder is moved (renamed) to its new place, or used where it is when it cannot
be moved. The answers per OS come from platformdirs' own classes for that OS (each reads its
folders from the environment, which the tests set)."""

from __future__ import annotations

from pathlib import Path

import pytest
from platformdirs.macos import MacOS
from platformdirs.unix import Unix
from platformdirs.windows import Windows

from app import paths
from app.paths import DataFolders, adopt_legacy, data_folders, folders_for_run, legacy_root

ROAMING = r"C:\Users\hgarnier\AppData\Roaming"
LOCAL = r"C:\Users\hgarnier\AppData\Local"


@pytest.fixture
def windows_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    """platformdirs' override of the Windows known folders (read instead of the shell's)."""
    monkeypatch.setenv("WIN_PD_OVERRIDE_APPDATA", ROAMING)
    monkeypatch.setenv("WIN_PD_OVERRIDE_LOCAL_APPDATA", LOCAL)


@pytest.mark.usefixtures("windows_profile")
def test_windows_keeps_the_data_local_and_roams_the_settings_only() -> None:
    folders = data_folders({}, Windows)
    assert windows(folders.data) == rf"{LOCAL}\MonSisra"
    assert windows(folders.settings) == rf"{ROAMING}\MonSisra"
    # Where earlier builds put everything.
    assert windows(legacy_root(Windows)) == rf"{ROAMING}\MonSisra"


def windows(path: Path) -> str:
    """platformdirs joins with this OS's separator: a Windows path as Windows writes it."""
    return str(path).replace("/", "\\")


def test_linux_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    folders = data_folders({}, Unix)
    assert folders == DataFolders(tmp_path / "share" / "MonSisra", tmp_path / "config" / "MonSisra")
    assert legacy_root(Unix) == folders.data  # the data did not move; settings.json does


def test_macos_keeps_both_in_application_support() -> None:
    folders = data_folders({}, MacOS)
    support = Path.home() / "Library" / "Application Support" / "MonSisra"
    assert folders == DataFolders(support, support)
    assert legacy_root(MacOS) == support  # nothing moves


@pytest.mark.usefixtures("windows_profile")
def test_monsisra_data_or_data_puts_everything_in_the_folder_given(tmp_path: Path) -> None:
    given = tmp_path / "portable"
    env = {"MONSISRA_DATA": str(given)}
    assert data_folders(env, Windows) == DataFolders(given, given)
    assert folders_for_run(None, env, Windows).folders == DataFolders(given, given)
    assert folders_for_run(given, {}, Windows).folders == DataFolders(given, given)


def old_install(root: Path) -> None:
    """What an earlier build left in its one folder: an account, the logs, the settings."""
    account = root / "accounts" / "helene-garnier-0123456789abcdef"
    account.mkdir(parents=True)
    (account / "cache.db").write_bytes(b"chiffr\xe9")
    (root / "logs").mkdir()
    (root / "logs" / "monsisra.log").write_text("…\n", encoding="utf-8")
    (root / "settings.json").write_text('{"version": 1}', encoding="utf-8")


def test_a_windows_install_moves_its_accounts_and_logs_to_the_local_profile(
    tmp_path: Path,
) -> None:
    roaming, local = tmp_path / "Roaming" / "MonSisra", tmp_path / "Local" / "MonSisra"
    old_install(roaming)
    adoption = adopt_legacy(DataFolders(local, roaming), roaming)
    assert adoption.folders == DataFolders(local, roaming)
    assert adoption.moved == ("accounts", "logs")
    assert adoption.left == ()
    assert (local / "accounts" / "helene-garnier-0123456789abcdef" / "cache.db").read_bytes()
    assert (local / "logs" / "monsisra.log").exists()
    assert sorted(p.name for p in roaming.iterdir()) == ["settings.json"]  # roams, small


def test_a_linux_install_moves_its_settings_to_the_config_folder(tmp_path: Path) -> None:
    share, config = tmp_path / "share" / "MonSisra", tmp_path / "config" / "MonSisra"
    old_install(share)
    adoption = adopt_legacy(DataFolders(share, config), share)
    assert adoption.folders == DataFolders(share, config)
    assert adoption.moved == ("settings.json",)
    assert (config / "settings.json").read_text(encoding="utf-8") == '{"version": 1}'
    assert (share / "accounts").is_dir()
    assert not (share / "settings.json").exists()


def test_the_move_happens_once_from_the_os_folders(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    old_install(tmp_path / "share" / "MonSisra")
    assert folders_for_run(None, {}, Unix).moved == ("settings.json",)
    assert folders_for_run(None, {}, Unix).moved == ()


def test_what_the_new_folder_already_has_wins_and_the_old_is_left_alone(tmp_path: Path) -> None:
    roaming, local = tmp_path / "Roaming", tmp_path / "Local"
    old_install(roaming)
    (local / "accounts").mkdir(parents=True)
    (local / "logs").mkdir()
    adoption = adopt_legacy(DataFolders(local, roaming), roaming)
    assert adoption.folders == DataFolders(local, roaming)
    assert adoption.moved == adoption.left == ()
    assert (roaming / "accounts" / "helene-garnier-0123456789abcdef" / "cache.db").exists()
    assert (roaming / "logs" / "monsisra.log").exists()


def test_accounts_that_cannot_be_moved_are_used_where_they_are(tmp_path: Path) -> None:
    roaming = tmp_path / "Roaming"
    old_install(roaming)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")  # the new folder cannot be made under a file
    adoption = adopt_legacy(DataFolders(blocked / "MonSisra", roaming), roaming)
    assert adoption.folders == DataFolders(roaming, roaming)
    assert adoption.moved == ()
    assert adoption.left == ("accounts (NotADirectoryError)",)
    assert (roaming / "accounts").is_dir()
    assert (roaming / "logs" / "monsisra.log").exists()  # the logs stay beside them


def test_the_private_modes_hold_after_a_move(tmp_path: Path) -> None:
    roaming, local = tmp_path / "Roaming", tmp_path / "Local" / "MonSisra"
    old_install(roaming)
    adopt_legacy(DataFolders(local, roaming), roaming)
    paths.secure_data_root(local)
    assert local.stat().st_mode & 0o777 == paths.PRIVATE_DIR
    for entry in local.rglob("*"):
        wanted = paths.PRIVATE_DIR if entry.is_dir() else paths.PRIVATE_FILE
        assert entry.stat().st_mode & 0o777 == wanted, entry
