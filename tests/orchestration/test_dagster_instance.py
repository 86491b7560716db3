"""The Dagster instance finstat creates under FINSTAT_HOME (orchestration/runner.py): its dagster.yaml."""

from __future__ import annotations

import yaml

from finstat.settings import load_settings
from orchestration.runner import DAGSTER_YAML, dagster_instance


def _instance_yaml(tmp_path, monkeypatch, existing: str | None) -> str:
    settings = load_settings(tmp_path / "landing", tmp_path / "home")
    # Set (and restored after the test): dagster_instance points DAGSTER_HOME at the instance it makes.
    monkeypatch.setenv("DAGSTER_HOME", str(settings.home / "dagster"))
    config = settings.home / "dagster" / "dagster.yaml"
    if existing is not None:
        config.parent.mkdir(parents=True)
        config.write_text(existing, encoding="utf-8")
    dagster_instance(settings)
    return config.read_text(encoding="utf-8")


def test_a_new_instance_has_no_telemetry_and_no_community_dialog(tmp_path, monkeypatch):
    written = yaml.safe_load(_instance_yaml(tmp_path, monkeypatch, None))
    assert written == {
        "telemetry": {"enabled": False},
        "nux": {"enabled": False},
        "event_log_storage": {
            "module": "orchestration.event_log",
            "class": "BatchedSqliteEventLogStorage",
            "config": {"dagster_home": {"env": "DAGSTER_HOME"}},
        },
    }


def test_an_earlier_finstat_file_is_brought_up_to_date(tmp_path, monkeypatch):
    earlier = "# Written by finstat: no usage telemetry leaves the intranet.\ntelemetry:\n  enabled: false\n"
    assert _instance_yaml(tmp_path, monkeypatch, earlier) == DAGSTER_YAML


def test_an_administrator_s_file_is_kept(tmp_path, monkeypatch):
    own = "telemetry:\n  enabled: false\nrun_monitoring:\n  enabled: true\n"
    assert _instance_yaml(tmp_path, monkeypatch, own) == own
