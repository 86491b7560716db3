"""The bank_programmes landing files: each planned report rendered and written under its month."""

from __future__ import annotations

from pathlib import Path

from demo.bank_programmes.longcsv import render_csv
from demo.bank_programmes.numbers import ProgrammeData
from demo.bank_programmes.xlsx import render_xlsx
from demo.types import DemoDataset, FilePlan


def render_programme(dataset: DemoDataset, data: ProgrammeData, plan: FilePlan) -> bytes:
    return render_csv(data, plan) if plan.fmt == "csv" else render_xlsx(dataset, data, plan)


def write_bank_programmes(dataset: DemoDataset, data: ProgrammeData, landing: Path) -> list[Path]:
    """Write landing/bank_programmes/<YYYY-MM>/<file> for every planned report; return the paths."""
    written = []
    for plan in data.files:
        path = Path(landing) / plan.relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render_programme(dataset, data, plan))
        written.append(path)
    return written
