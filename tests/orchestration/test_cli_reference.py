"""`finstat check-reference` prints the city the reference files name; a bad file stops `finstat run`; status names landing folders no source reads."""

from __future__ import annotations

import shutil

from finstat.settings import SHIPPED_REFERENCE_DIR
from orchestration.cli import main


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _reference(tmp_path, regions: str | None = None):
    folder = tmp_path / "reference"
    shutil.copytree(SHIPPED_REFERENCE_DIR, folder)
    if regions is not None:
        (folder / "regions.csv").write_text(regions, encoding="utf-8")
    return folder


def test_check_reference_prints_the_city_and_its_counties(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("FINSTAT_REFERENCE_DIR", str(_reference(tmp_path)))
    code, out, _ = _run(capsys, "--home", str(tmp_path / "home"), "check-reference")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].endswith(": OK")
    # The demo's city, read from the file (the test may name it; finstat does not).
    assert "city 本市: 鹤壁市 410600" in lines[1]
    assert "淇滨区 410611" in lines[2] and "(5)" in lines[2]
    assert lines[3].startswith("  institutions 机构名录: 30,")
    assert lines[4] == "  poverty households 脱贫户数: years 2021 (5 of 5 counties); 2022 (5 of 5 counties)"
    assert len(lines) == 5


def test_a_poverty_file_problem_is_reported_for_the_v_figures_only(tmp_path, capsys, monkeypatch):
    folder = _reference(tmp_path)
    rows = (folder / "poverty_households.csv").read_text(encoding="utf-8").splitlines()
    # One county's 2022 row gone is no error here (rule 29 needs it only when that county lends).
    kept = [row for row in rows if not row.startswith("2022,410622,")]
    (folder / "poverty_households.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    monkeypatch.setenv("FINSTAT_REFERENCE_DIR", str(folder))
    code, out, _ = _run(capsys, "--home", str(tmp_path / "home"), "check-reference")
    assert code == 0
    assert out.splitlines()[4].endswith("2022 (4 of 5 counties, missing 淇县 410622)")

    (folder / "poverty_households.csv").unlink()
    code, out, _ = _run(capsys, "--home", str(tmp_path / "home"), "check-reference")
    lines = out.splitlines()
    assert code == 0 and lines[0].endswith(": OK")  # the loan figures do not wait for it
    assert lines[4].startswith("  poverty households 脱贫户数: PROBLEM, the poverty-credit rates (V)")
    assert "poverty_households.csv: file not found" in lines[4]


def test_a_register_of_another_city_is_refused_by_check_and_run(tmp_path, capsys, monkeypatch):
    # The register names Hebi's regions; regions.csv is Anyang's: every institution is off the map.
    anyang = "region_code,region_name\n410500,安阳市\n410502,文峰区\n"
    monkeypatch.setenv("FINSTAT_REFERENCE_DIR", str(_reference(tmp_path, anyang)))
    home = tmp_path / "home"
    code, out, _ = _run(capsys, "--home", str(home), "check-reference")
    assert code == 1
    assert "NOT USABLE" in out and "institutions.csv row 2, column region_code: '410600'" in out

    landing = tmp_path / "landing" / "bank_loans" / "2022-05"
    landing.mkdir(parents=True)
    (landing / "x.csv").write_text("never read\n", encoding="utf-8")
    code, out, err = _run(
        capsys, "--landing", str(tmp_path / "landing"), "--home", str(home), "run", "--month", "2022-05"
    )
    assert code == 1 and out == ""
    assert "nothing was run" in err and "institutions.csv row 2, column region_code" in err
    assert "Traceback" not in err
    # Nothing ran: no Dagster run, no gate record, nothing published.
    assert not (home / "published").exists() and not (home / "gate").exists()


def test_status_names_the_city_or_the_reference_problem(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(
        "FINSTAT_REFERENCE_DIR", str(_reference(tmp_path, "region_code,region_name\n410602,鹤山区\n"))
    )
    code, out, _ = _run(capsys, "--home", str(tmp_path / "home"), "status")
    assert code == 0
    assert (
        "NOT USABLE" in out.splitlines()[0]
        and "exactly one row must be the city total" in out.splitlines()[0]
    )


def test_a_run_started_outside_the_cli_fails_at_ingestion_naming_the_file(tmp_path, monkeypatch):
    # The UI (or a schedule) starts the job without the CLI's check: ingestion stops it, the month
    # is recorded failed with the file and row, and nothing is published.
    from finstat.gate_record import read_gate_record
    from finstat.settings import load_settings
    from orchestration.runner import FAILED, dagster_instance, run_month

    reference = _reference(tmp_path, "region_code,region_name\n410500,安阳市\n410502,文峰区\n")
    monkeypatch.setenv("FINSTAT_REFERENCE_DIR", str(reference))
    landing, home = tmp_path / "landing", tmp_path / "home"
    (landing / "bank_loans" / "2022-05").mkdir(parents=True)
    (landing / "bank_loans" / "2022-05" / "x.csv").write_text("never read\n", encoding="utf-8")
    for key, value in (
        ("FINSTAT_LANDING", landing),
        ("FINSTAT_HOME", home),
        ("DAGSTER_HOME", home / "dagster"),
    ):
        monkeypatch.setenv(key, str(value))
    settings = load_settings(landing, home, reference)
    outcome = run_month("2022-05", settings, dagster_instance(settings))
    assert outcome.code == FAILED
    assert any("institutions.csv row 2, column region_code" in e for e in outcome.errors), outcome.errors
    assert read_gate_record(home, "2022-05")["outcome"] == "failed"
    assert not (home / "published").exists()


def test_status_names_a_landing_folder_that_is_no_source(tmp_path, capsys):
    landing = tmp_path / "landing"
    (landing / "bank_loan" / "2022-05").mkdir(parents=True)  # a sender's typo of bank_loans
    (landing / "bank_loan" / "2022-05" / "x.xlsx").write_text("never read", encoding="utf-8")
    code, out, _ = _run(capsys, "--landing", str(landing), "--home", str(tmp_path / "home"), "status")
    assert code == 0
    line = out.splitlines()[1]
    assert line.startswith("landing folders finstat does not read: bank_loan ")
    assert "bank_loans" in line
