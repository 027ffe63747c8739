"""The Windows and macOS installers and the CI workflow, checked on the machine they are written on.

The MSIs are compiled here by the script the Windows runner runs (installer/windows/build-msi.sh,
with GNOME msitools: wixl, wixl-heat, msibuild), from a small fake bundle laid out like
PyInstaller's Windows output, and read back with msiinfo and msiextract: what CI ships is made by
the recipe tested here. No frozen bundle is needed. What only Windows can do (ICE validation,
installing) is done by the CI job (installer/windows/check-msi.sh); codesign, hdiutil and
notarytool need a Mac, so the macOS scripts are checked by shellcheck and their no-credential paths
run here. The workflow runs only on GitHub's runners: it is parsed, its file references and bash
steps checked.
"""

from __future__ import annotations

import os
import plistlib
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
INSTALLER = REPO / "installer"
BUILD_MSI = INSTALLER / "windows" / "build-msi.sh"
WORKFLOW = REPO / ".github" / "workflows" / "package.yml"
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
APP_ID = "fr.sante_ara.MonSisraBureau"
# Fixed for ever: a package with another UpgradeCode does not replace the installed one.
UPGRADE_CODES = {
    "per-user": "{36B302F9-2802-4720-9329-22C3E61FA8EC}",
    "per-machine": "{61CE5BDC-67A7-47F6-B67E-EDE80FAAD10D}",
}
# Summary information, word count: "elevated privileges are not required".
NO_ELEVATION = 8
# Upgrade table attribute: the row only detects, it removes nothing.
ONLY_DETECT = 2
REGISTRY_HKCU, REGISTRY_HKLM = 1, 2
# What PyInstaller 6 lays out on Windows, in small: two executables, the rest under _internal/.
FAKE_BUNDLE = (
    "monsisra.exe",
    "monsisra-cli.exe",
    "_internal/python311.dll",
    "_internal/base_library.zip",
    "_internal/PySide6/plugins/platforms/qwindows.dll",
    "_internal/PySide6/translations/qtbase_fr.qm",
    "_internal/monsisra_resources/style.qss",
    "_internal/monsisra_resources/icons/monsisra.svg",
    "_internal/monsisra_resources/notices/THIRD-PARTY-NOTICES.txt",
    "_internal/monsisra_bureau-0.1.0.dist-info/METADATA",
)


def run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, env=env, check=False
    )


def without_signing_credentials() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WINDOWS_SIGN_", "MACOS_"))}
    env["PYTHON"] = sys.executable
    return env


def make_fake_bundle(folder: Path) -> Path:
    bundle = folder / "monsisra-bureau"
    for name in FAKE_BUNDLE:
        path = bundle / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"content of {name}\n".encode())
    icon = folder / "monsisra.ico"
    # An icon file's header: wixl stores the bytes as they are.
    icon.write_bytes(b"\0\0\1\0" + bytes(18))
    return bundle


def build_msis(tmp: Path) -> tuple[dict[str, Path], subprocess.CompletedProcess[str]]:
    bundle = make_fake_bundle(tmp)
    out = tmp / "out"
    result = run(
        BUILD_MSI, "--bundle", bundle, "--icon", tmp / "monsisra.ico", "--out", out,
        env=without_signing_credentials(),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    msis = {scope: out / f"monsisra-bureau-{VERSION}-x64-{scope}.msi" for scope in UPGRADE_CODES}
    assert sorted(out.iterdir()) == sorted(msis.values())
    return msis, result


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Path], str, str]:
    tmp = tmp_path_factory.mktemp("msi")
    msis, result = build_msis(tmp)
    return msis, result.stdout, result.stderr


@pytest.fixture(scope="module")
def msis(built: tuple[dict[str, Path], str, str]) -> dict[str, Path]:
    return built[0]


def table(msi: Path, name: str) -> list[dict[str, str]]:
    """The rows of one table (msiinfo export: column names, types, table name, then rows)."""
    # msiinfo writes a table's binary streams (the icon) to files in its current folder
    with tempfile.TemporaryDirectory() as scratch:
        result = subprocess.run(
            ["msiinfo", "export", str(msi), name], capture_output=True, text=True, cwd=scratch,
            check=False,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    columns = lines[0].split("\t")
    return [dict(zip(columns, line.split("\t"), strict=True)) for line in lines[3:]]


def properties(msi: Path) -> dict[str, str]:
    return {row["Property"]: row["Value"] for row in table(msi, "Property")}


def word_count(msi: Path) -> int:
    """The summary information's word count (msiinfo calls it "Source")."""
    summary = run("msiinfo", "suminfo", msi).stdout
    match = re.search(r"^Source: (\d+)", summary, re.MULTILINE)
    assert match, summary
    return int(match[1])


# Windows: the MSIs


def test_msis_build_without_a_wixl_warning_and_say_that_signing_was_skipped(
    built: tuple[dict[str, Path], str, str],
) -> None:
    _, stdout, stderr = built
    # wixl drops what it does not know with a warning on stderr: a silently missing attribute.
    assert stderr == ""
    skipped = [line for line in stdout.splitlines() if "code signing skipped" in line]
    # the two executables (before they go into the packages), then each package
    assert len(skipped) == 3
    assert all("WINDOWS_SIGN_CERT_SHA1" in line and "WINDOWS_SIGN_PFX" in line for line in skipped)


def test_msi_build_leaves_nothing_behind_in_the_repository(msis: dict[str, Path]) -> None:
    assert all(msi.is_file() for msi in msis.values())
    assert not list((REPO / "build").glob("msi.*"))  # the work folders


def test_both_packages_name_the_product_its_publisher_and_the_pyproject_version(
    msis: dict[str, Path],
) -> None:
    for msi in msis.values():
        props = properties(msi)
        assert props["ProductName"] == "MonSisra bureau"
        assert props["Manufacturer"] == "GCS SARA"
        assert props["ProductVersion"] == VERSION
        assert "Template: x64;" in run("msiinfo", "suminfo", msi).stdout


def test_per_user_package_installs_in_the_users_programs_folder_without_admin_rights(
    msis: dict[str, Path],
) -> None:
    msi = msis["per-user"]
    props = properties(msi)
    # With both, Windows Installer installs for the current user and redirects
    # ProgramFiles64Folder to %LOCALAPPDATA%\Programs.
    assert props["ALLUSERS"] == "2"
    assert props["MSIINSTALLPERUSER"] == "1"
    assert word_count(msi) & NO_ELEVATION
    install_dir = next(row for row in table(msi, "Directory") if row["Directory"] == "INSTALLDIR")
    assert install_dir["Directory_Parent"] == "ProgramFiles64Folder"
    assert install_dir["DefaultDir"] == "MonSisra bureau"
    assert [row["Root"] for row in table(msi, "Registry")] == [str(REGISTRY_HKCU)]


def test_per_machine_package_installs_for_all_users_in_program_files(
    msis: dict[str, Path],
) -> None:
    msi = msis["per-machine"]
    props = properties(msi)
    assert props["ALLUSERS"] == "1"
    assert "MSIINSTALLPERUSER" not in props
    assert not word_count(msi) & NO_ELEVATION
    install_dir = next(row for row in table(msi, "Directory") if row["Directory"] == "INSTALLDIR")
    assert install_dir["Directory_Parent"] == "ProgramFiles64Folder"
    assert [row["Root"] for row in table(msi, "Registry")] == [str(REGISTRY_HKLM)]


def test_each_scope_keeps_its_fixed_upgrade_code_and_each_build_is_a_new_product(
    msis: dict[str, Path], tmp_path: Path
) -> None:
    again, _ = build_msis(tmp_path)
    for scope, msi in msis.items():
        first, second = properties(msi), properties(again[scope])
        assert first["UpgradeCode"] == second["UpgradeCode"] == UPGRADE_CODES[scope]
        # A major upgrade needs a new ProductCode each time (Product Id="*").
        assert first["ProductCode"] != second["ProductCode"]


def test_a_newer_package_replaces_the_installed_one_and_an_older_one_is_refused(
    msis: dict[str, Path],
) -> None:
    for scope, msi in msis.items():
        rows = table(msi, "Upgrade")
        assert {row["UpgradeCode"] for row in rows} == {UPGRADE_CODES[scope]}
        older = [row for row in rows if row["VersionMax"] == VERSION and row["VersionMin"] == ""]
        assert len(older) == 1
        assert not int(older[0]["Attributes"]) & ONLY_DETECT  # found, then removed
        assert older[0]["ActionProperty"] in properties(msi)["SecureCustomProperties"].split(";")
        newer = [row for row in rows if row["VersionMin"] == VERSION]
        assert len(newer) == 1
        assert int(newer[0]["Attributes"]) & ONLY_DETECT
        [condition] = table(msi, "LaunchCondition")
        assert condition["Condition"] == f"NOT {newer[0]['ActionProperty']}"
        assert "plus récente de MonSisra bureau est déjà installée" in condition["Description"]
        sequence = {
            row["Action"]: int(row["Sequence"]) for row in table(msi, "InstallExecuteSequence")
        }
        # The old version goes before the new one is installed: nothing of it is left behind.
        assert sequence["InstallValidate"] < sequence["RemoveExistingProducts"]
        assert sequence["RemoveExistingProducts"] < sequence["InstallInitialize"]


def test_start_menu_shortcut_starts_the_app_with_its_application_id(
    msis: dict[str, Path],
) -> None:
    for msi in msis.values():
        [shortcut] = table(msi, "Shortcut")
        assert shortcut["Directory_"] == "ProgramMenuFolder"
        assert shortcut["Name"] == "MonSisra bureau"
        assert shortcut["Target"] == "[#MonSisraExe]"
        assert shortcut["WkDir"] == "INSTALLDIR"
        files = {row["File"]: row for row in table(msi, "File")}
        assert files["MonSisraExe"]["FileName"] == "monsisra.exe"
        # Notifications and the taskbar group under the app only if its shortcut carries its id.
        [app_id] = table(msi, "MsiShortcutProperty")
        assert app_id["Shortcut_"] == shortcut["Shortcut"]
        assert app_id["PropertyKey"] == "System.AppUserModel.ID"
        assert app_id["PropVariantValue"] == APP_ID


def test_add_remove_programs_shows_the_icon_publisher_and_help_link(
    msis: dict[str, Path],
) -> None:
    for msi in msis.values():
        props = properties(msi)
        assert props["ARPPRODUCTICON"] in {row["Name"] for row in table(msi, "Icon")}
        assert props["ARPPRODUCTICON"].endswith(".ico")  # written to a file, read by its type
        assert props["ARPHELPLINK"] == "https://sante-ara.fr"
        assert props["ARPNOMODIFY"] == "1"


def test_each_package_installs_every_file_of_the_bundle_unchanged(
    msis: dict[str, Path], tmp_path: Path
) -> None:
    for scope, msi in msis.items():
        target = tmp_path / scope
        result = run("msiextract", "--directory", target, msi)
        assert result.returncode == 0, result.stderr
        installed = target / "MonSisra bureau"
        files = sorted(
            p.relative_to(installed).as_posix() for p in installed.rglob("*") if p.is_file()
        )
        assert files == sorted(FAKE_BUNDLE)
        for name in FAKE_BUNDLE:
            assert (installed / name).read_text() == f"content of {name}\n"


def test_a_version_windows_installer_cannot_order_is_refused(tmp_path: Path) -> None:
    # build-msi.sh reads the version from the pyproject.toml two folders above it.
    shutil.copytree(INSTALLER / "windows", tmp_path / "installer" / "windows")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "1.0.0rc1"\n')
    bundle = make_fake_bundle(tmp_path)
    result = run(
        tmp_path / "installer" / "windows" / "build-msi.sh",
        "--bundle", bundle, "--icon", tmp_path / "monsisra.ico", "--out", tmp_path / "out",
        env=without_signing_credentials(),
    )  # fmt: skip
    assert result.returncode != 0
    assert "'1.0.0rc1': a Windows Installer version is three numbers" in result.stderr
    assert not list((tmp_path / "out").glob("*.msi"))


def test_a_bundle_without_its_executables_is_refused_with_a_message(tmp_path: Path) -> None:
    bundle = make_fake_bundle(tmp_path)
    (bundle / "monsisra-cli.exe").unlink()
    icon, out = tmp_path / "monsisra.ico", tmp_path / "out"
    result = run(
        BUILD_MSI,
        "--bundle",
        bundle,
        "--icon",
        icon,
        "--out",
        out,
        env=without_signing_credentials(),
    )
    assert result.returncode == 1
    assert "monsisra-cli.exe is missing: build the bundle first" in result.stderr


def test_paths_given_relative_to_the_callers_folder_are_found(tmp_path: Path) -> None:
    make_fake_bundle(tmp_path)
    result = subprocess.run(
        [str(BUILD_MSI), "--bundle", "monsisra-bureau", "--icon", "monsisra.ico", "--out", "out"],
        capture_output=True, text=True, cwd=tmp_path, env=without_signing_credentials(),
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "out").glob("*.msi"))) == 2


def test_a_bundle_with_a_symbolic_link_is_refused_rather_than_installed_without_it(
    tmp_path: Path,
) -> None:
    bundle = make_fake_bundle(tmp_path)
    (bundle / "_internal" / "python3.dll").symlink_to("python311.dll")
    icon, out = tmp_path / "monsisra.ico", tmp_path / "out"
    result = run(
        BUILD_MSI,
        "--bundle",
        bundle,
        "--icon",
        icon,
        "--out",
        out,
        env=without_signing_credentials(),
    )
    assert result.returncode == 1
    assert "holds symbolic links, which an MSI cannot install" in result.stderr
    assert "_internal/python3.dll" in result.stderr


# macOS and the shell scripts


def test_every_installer_shell_script_is_shellcheck_clean() -> None:
    scripts = sorted(INSTALLER.rglob("*.sh"))
    names = {p.relative_to(INSTALLER).as_posix() for p in scripts}
    assert {
        "windows/build-msi.sh",
        "windows/check-msi.sh",
        "macos/make-dmg.sh",
        "macos/sign-and-notarize.sh",
        "macos/check-dmg.sh",
    } <= names
    result = run("shellcheck", "--external-sources", *scripts)
    assert result.returncode == 0, result.stdout


def test_every_installer_plist_is_well_formed() -> None:
    # plutil is macOS-only; plistlib reads the same XML format.
    plists = sorted(INSTALLER.rglob("*.plist"))
    assert plists
    for path in plists:
        with path.open("rb") as f:
            assert isinstance(plistlib.load(f), dict), path


def test_mac_entitlements_lift_only_what_python_needs_and_pass_notarisation() -> None:
    with (INSTALLER / "macos" / "entitlements.plist").open("rb") as f:
        entitlements = plistlib.load(f)
    # Apple: list only entitlements that are true.
    assert all(value is True for value in entitlements.values())
    assert set(entitlements) == {"com.apple.security.cs.allow-unsigned-executable-memory"}
    # Refused by notarisation, and the sandbox would cut the app off from documents and keychain.
    assert "com.apple.security.get-task-allow" not in entitlements
    assert "com.apple.security.app-sandbox" not in entitlements


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("keychain",), "no certificate to import (MACOS_SIGN_P12_BASE64 is not set)"),
        (("app", "MonSisra bureau.app"), "signing skipped (MACOS_SIGN_IDENTITY is not set)"),
        (
            ("dmg", "monsisra.dmg"),
            "signing and notarisation skipped (MACOS_SIGN_IDENTITY is not set)",
        ),
    ],
)
def test_mac_signing_and_notarisation_are_skipped_with_a_message_without_credentials(
    tmp_path: Path, args: tuple[str, ...], says: str
) -> None:
    (tmp_path / "MonSisra bureau.app" / "Contents" / "MacOS").mkdir(parents=True)
    (tmp_path / "monsisra.dmg").write_bytes(b"")
    script = INSTALLER / "macos" / "sign-and-notarize.sh"
    # codesign, xcrun and security do not exist here: reaching one would fail the run.
    result = subprocess.run(
        [str(script), *args], capture_output=True, text=True, cwd=tmp_path,
        env=without_signing_credentials(), check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert says in result.stdout


def test_mac_signing_with_an_identity_but_a_missing_app_fails(tmp_path: Path) -> None:
    env = without_signing_credentials() | {"MACOS_SIGN_IDENTITY": "Developer ID Application: X"}
    result = run(
        INSTALLER / "macos" / "sign-and-notarize.sh", "app", tmp_path / "absent.app", env=env
    )
    assert result.returncode == 1
    assert "is not an application bundle" in result.stderr


# The CI workflow (runs on GitHub's runners only: checked statically here)


@pytest.fixture(scope="module")
def workflow() -> dict[str, object]:
    loaded = yaml.safe_load(WORKFLOW.read_text())
    assert isinstance(loaded, dict)
    return loaded


def steps(workflow: dict[str, object], job: str) -> list[dict[str, object]]:
    jobs = workflow["jobs"]
    assert isinstance(jobs, dict)
    return list(jobs[job]["steps"])


def step(workflow: dict[str, object], job: str, name_start: str) -> dict[str, object]:
    [found] = [s for s in steps(workflow, job) if str(s.get("name", "")).startswith(name_start)]
    return found


def action(workflow: dict[str, object], job: str, name: str) -> dict[str, object]:
    """The one step of the job that uses the action NAME (owner/repo)."""
    [found] = [s for s in steps(workflow, job) if str(s.get("uses", "")).startswith(f"{name}@")]
    return found


BUILD_JOBS = ("linux", "windows", "macos")


def test_workflow_runs_on_pushes_tags_and_pull_requests(workflow: dict[str, object]) -> None:
    # YAML 1.1 reads the key `on` as true
    triggers = workflow[True]
    assert isinstance(triggers, dict)
    assert triggers["push"]["tags"] == ["v*"]
    assert "pull_request" in triggers


def test_workflow_builds_on_debian_12_windows_and_macos_with_python_311(
    workflow: dict[str, object],
) -> None:
    jobs = workflow["jobs"]
    assert isinstance(jobs, dict)
    assert jobs["linux"]["container"] == "debian:12"
    assert jobs["linux"]["env"]["PYTHON"] == "python3"  # Debian 12's Python is 3.11
    assert str(jobs["windows"]["runs-on"]).startswith("windows-")
    assert str(jobs["macos"]["runs-on"]).startswith("macos-")
    for job in ("windows", "macos"):
        assert action(workflow, job, "actions/setup-python")["with"]["python-version"] == "3.11"
    for job in BUILD_JOBS:
        assert "sys.version_info[:2] == (3, 11)" in str(step(workflow, job, "Python 3.11")["run"])


def test_the_three_jobs_build_and_smoke_test_the_bundle_the_same_way(
    workflow: dict[str, object],
) -> None:
    shared = ("Python 3.11", "Build environment", "Frozen bundle", "Test environment", "Smoke test")
    for name in shared:
        linux = step(workflow, "linux", name)
        assert step(workflow, "windows", name) == linux == step(workflow, "macos", name)
    install = str(step(workflow, "linux", "Build environment")["run"])
    assert "--require-hashes --no-deps -r requirements/build.lock" in install
    assert "pip check" in install  # a lock missing a platform's dependency stops here
    assert "-m PyInstaller --noconfirm" in str(step(workflow, "linux", "Frozen bundle")["run"])
    smoke = step(workflow, "linux", "Smoke test")
    assert "tests/package/test_bundle.py" in str(smoke["run"])
    assert smoke["env"] == {"MONSISRA_BUNDLE": "dist/monsisra-bureau"}


def makefile_recipe_lines(target: str) -> list[str]:
    """The commands of one Makefile rule, with its variables (:= or ?=) replaced."""
    makefile = (REPO / "Makefile").read_text()
    variables = dict(re.findall(r"^(\w+) *[:?]?= *(.*)$", makefile, re.MULTILINE))
    rule = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert rule, f"no rule {target} in the Makefile"
    lines = [line.strip().lstrip("@") for line in rule[1].splitlines()]
    for _ in range(3):  # variables defined with variables
        lines = [re.sub(r"\$\((\w+)\)", lambda m: variables.get(m[1], m[0]), x) for x in lines]
    return lines


def test_the_shared_build_steps_are_the_makefiles_package_recipe(
    workflow: dict[str, object],
) -> None:
    """Windows has no make: the workflow repeats `make package`'s commands, and must not drift."""
    shared = "\n".join(
        str(step(workflow, "linux", name)["run"]) for name in ("Build environment", "Frozen bundle")
    )
    venv_python = ".venv-build/bin/python"
    recipe = [
        line.replace(f"{venv_python} ", '"$BUILD_PY" ').replace(
            ".venv-build/bin/pyinstaller ", '"$BUILD_PY" -m PyInstaller '
        )
        for line in makefile_recipe_lines("$(BUILD_STAMP)") + makefile_recipe_lines("package")
    ]
    in_build_venv = [line for line in recipe if line.startswith('"$BUILD_PY"')]
    assert len(in_build_venv) >= 5
    for line in in_build_venv:
        assert line in shared.splitlines(), line
    [deb] = [line for line in recipe if line.startswith("installer/linux/")]
    assert deb in str(step(workflow, "linux", "Debian package")["run"])


def test_each_build_job_makes_its_installers_and_uploads_them(workflow: dict[str, object]) -> None:
    runs = {
        job: "\n".join(str(s.get("run", "")) for s in steps(workflow, job)) for job in BUILD_JOBS
    }
    assert "installer/windows/build-msi.sh" in runs["windows"]
    assert "installer/windows/check-msi.sh" in runs["windows"]
    for script in (
        "make-dmg.sh",
        "sign-and-notarize.sh app",
        "sign-and-notarize.sh dmg",
        "check-dmg.sh",
    ):
        assert f"installer/macos/{script}" in runs["macos"]
    patterns = {"linux": "dist/*.deb", "windows": "dist/*.msi", "macos": "dist/*.dmg"}
    for job, pattern in patterns.items():
        upload = action(workflow, job, "actions/upload-artifact")
        assert upload["with"]["path"] == pattern
        assert upload["with"]["if-no-files-found"] == "error"


def test_the_release_of_a_tag_gets_every_artefact(workflow: dict[str, object]) -> None:
    release = workflow["jobs"]["release"]
    assert release["if"] == "startsWith(github.ref, 'refs/tags/v')"
    assert sorted(release["needs"]) == sorted(BUILD_JOBS)
    assert release["permissions"] == {"contents": "write"}
    assert "gh release create" in str(release["steps"][-1]["run"])


def test_workflow_uses_no_yaml_merge_key() -> None:
    # GitHub expands anchors and aliases (the shared steps) but rejects the merge key.
    assert "<<:" not in WORKFLOW.read_text()


def test_actions_are_pinned_to_a_major_version(workflow: dict[str, object]) -> None:
    for job in (*BUILD_JOBS, "release"):
        for s in steps(workflow, job):
            if "uses" in s:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", str(s["uses"])), s["uses"]


# Paths the steps run or read, relative to the top of the repository (outputs are left out: they
# are under build/ or dist/, or follow --out).
REFERENCED = re.compile(
    r"(?<![\w./-])(?:installer|scripts|tests|requirements)/[\w./-]+|build\.spec"
)


def test_workflow_names_only_files_that_exist_in_the_repository(
    workflow: dict[str, object],
) -> None:
    text = "\n".join(
        str(s.get("run", "")) for job in (*BUILD_JOBS, "release") for s in steps(workflow, job)
    )
    referenced = set(REFERENCED.findall(text))
    assert "installer/windows/build-msi.sh" in referenced
    missing = sorted(path for path in referenced if not (REPO / path).exists())
    assert missing == []
    # the smoke tests it selects by name exist
    [selection] = re.findall(r'-k "([^"]+)"', str(step(workflow, "linux", "Smoke test")["run"]))
    smoke_tests = (REPO / "tests" / "package" / "test_bundle.py").read_text()
    for name in selection.split(" or "):
        assert re.search(rf"^def {name}\w*\(", smoke_tests, re.MULTILINE), name


def test_workflow_bash_steps_are_shellcheck_clean(
    workflow: dict[str, object], tmp_path: Path
) -> None:
    scripts = []
    for job in (*BUILD_JOBS, "release"):
        for i, s in enumerate(steps(workflow, job)):
            if "run" not in s or s.get("shell", "bash") not in {"bash", "msys2 {0}"}:
                continue
            # GitHub replaces ${{ … }} before bash sees the script, and runs it with -eo pipefail.
            body = re.sub(r"\$\{\{[^}]*\}\}", "expression", str(s["run"]))
            script = tmp_path / f"{job}-{i}.sh"
            script.write_text(f"#!/usr/bin/env bash\nset -eo pipefail\n{body}")
            scripts.append(script)
    assert len(scripts) >= 15
    result = run("shellcheck", *scripts)
    assert result.returncode == 0, result.stdout
