"""Settings: the schema and the dataclass agree, a round trip through the JSON file keeps every
value, bad values fall back to their defaults, older files are migrated step by step."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from app import settings as settings_mod
from app.settings import SCHEMA, PracticeLocation, Settings


def test_schema_and_settings_agree_on_names_and_defaults() -> None:
    assert [s.name for s in SCHEMA] == [f.name for f in fields(Settings)]
    defaults = Settings()
    for setting in SCHEMA:
        assert getattr(defaults, setting.name) == setting.default, setting.name
        assert setting.label_fr
    assert defaults.notify_patient_names is False  # patient names stay out of notifications
    assert defaults.autolock_minutes == 120


def test_round_trip_through_the_file(tmp_path: Path) -> None:
    chosen = Settings(
        server_url="https://mss.example",
        last_login="helene.garnier",
        remember_me=True,
        cache_budget_mb=2000,
        notify_patient_names=True,
        autolock_minutes=15,
        practice_location=PracticeLocation(45.76, 4.84, "Lyon"),
        language="fr",
        ca_bundle="/etc/ssl/igc-sante.pem",
    )
    settings_mod.save(tmp_path, chosen)
    assert settings_mod.load(tmp_path) == chosen
    doc = json.loads((tmp_path / settings_mod.FILE_NAME).read_text(encoding="utf-8"))
    assert doc["version"] == settings_mod.VERSION
    assert doc["practice_location"] == {"lat": 45.76, "lon": 4.84, "commune": "Lyon"}


def test_no_file_or_an_unreadable_one_gives_the_defaults(tmp_path: Path) -> None:
    assert settings_mod.load(tmp_path) == Settings()
    (tmp_path / settings_mod.FILE_NAME).write_text("{ pas du json", encoding="utf-8")
    assert settings_mod.load(tmp_path) == Settings()


@pytest.mark.parametrize(
    ("name", "bad"),
    [
        ("remember_me", "yes"),
        ("cache_budget_mb", 10),  # below its minimum
        ("autolock_minutes", True),
        ("server_url", None),
        ("practice_location", {"lat": 123, "lon": 4}),
        ("practice_location", "Lyon"),
    ],
)
def test_a_bad_value_falls_back_to_its_default_and_the_others_stay(name: str, bad: Any) -> None:
    loaded = Settings.from_json({"version": 1, "last_login": "k.benali", name: bad, "junk": 1})
    assert getattr(loaded, name) == getattr(Settings(), name)
    assert loaded.last_login == "k.benali"
    with pytest.raises(ValueError, match=name):
        Settings().with_(**{name: bad})


def test_older_files_are_migrated_step_by_step() -> None:
    def one_to_two(doc: dict[str, Any]) -> dict[str, Any]:
        doc = dict(doc)
        doc["autolock_minutes"] = doc.pop("autolock_hours") * 60
        return doc

    def two_to_three(doc: dict[str, Any]) -> dict[str, Any]:
        doc = dict(doc)
        server = doc.pop("server")
        doc["server_url"] = server
        return doc

    steps = {1: one_to_two, 2: two_to_three}
    old = {"version": 1, "autolock_hours": 3, "server": "https://old.example"}
    loaded = Settings.from_json(old, migrations=steps, version=3)
    assert loaded.autolock_minutes == 180
    assert loaded.server_url == "https://old.example"
    # A file already at version 2 runs only the later step.
    newer = {"version": 2, "autolock_minutes": 30, "server": "https://b.example"}
    assert Settings.from_json(newer, migrations=steps, version=3).autolock_minutes == 30


def test_update_saves_in_the_data_root_in_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings_mod, "_state", settings_mod.State())
    settings_mod.use(tmp_path)
    settings_mod.override(server_url="https://cli.example")  # this run only
    settings_mod.update(last_login="helene.garnier")
    assert settings_mod.current().last_login == "helene.garnier"
    assert settings_mod.load(tmp_path).last_login == "helene.garnier"
    assert not list(tmp_path.glob(".settings-*"))  # no temporary file left behind


def test_an_override_lasts_for_this_run_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings_mod, "_state", settings_mod.State())
    settings_mod.use(tmp_path)
    assert settings_mod.folder() == tmp_path
    settings_mod.override(server_url="https://cli.example")  # --server on the command line
    assert settings_mod.current().server_url == "https://cli.example"
    assert not settings_mod.path_in(tmp_path).exists()
    with pytest.raises(ValueError, match="autolock_minutes"):
        settings_mod.override(autolock_minutes=0)  # below the schema's minimum
    assert settings_mod.current().autolock_minutes == 120
