"""Benchmark: one very large month, written column-wise with numpy (no per-row Python formatting)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from demo.city import HEBI, SLOT_COUNTIES
from demo.rural_credit.base import (
    CLASS_NAMES,
    DISPOSAL_HEADER,
    ENCODING,
    LOAN_HEADER,
    SOURCE,
    _rng,
    month_end,
)
from demo.rural_credit.files import file_names
from demo.rural_credit.identities import _Identities
from demo.rural_credit.loans import _CUSTOMER_FORMATS, _Institution
from demo.types import SEED


def write_benchmark_month(
    landing: Path, period: str, n_rows: int, inst_code: str = "B1280H41061121", chunk: int = 200_000
) -> list[Path]:
    """One 贷款明细 file of n_rows loans (valid IDs, unique 借据号) and a header-only 不良处置 file.

    The rows are synthetic (they do not agree with any bank_loans report); the point is volume.
    """
    import numpy as np

    folder = Path(landing) / SOURCE / period
    folder.mkdir(parents=True, exist_ok=True)
    loans_name, disposals_name = file_names(period, inst_code)
    end = month_end(period)
    gen = np.random.default_rng(SEED)

    # A pool of borrowers, made once with the same identity rules as the demo, then sampled.
    identities, rng = _Identities(HEBI), _rng("benchmark", inst_code)
    book = _Institution("B1280H41061121", [], identities)  # only its borrower factory is used
    customer_format = _CUSTOMER_FORMATS.get(inst_code, lambda seq: f"K{seq:011d}")
    pool = []
    counties = SLOT_COUNTIES
    for i in range(min(20_000, max(1, n_rows // 4))):
        county = counties[i % len(counties)]
        product = ("poverty", "personal", "sole", "corp")[i % 4]
        industry = _Institution._terms(rng, product)[2]
        book.pool.clear()
        b = book._borrower(rng, county, product, industry)
        pool.append(
            (customer_format(i + 1), b.name, b.id_type, b.id_number, b.customer_type, county, industry)
        )

    def enc(values) -> np.ndarray:
        return np.array([str(v).encode(ENCODING) for v in values], dtype=object).astype(bytes)

    pool_cols = [enc(col) for col in zip(*pool, strict=True)]
    days = np.arange(0, 3 * 365)
    issue_pool = enc(f"{end - dt.timedelta(days=int(d)):%Y%m%d}" for d in days)
    maturity_pool = enc(f"{end + dt.timedelta(days=int(d)):%Y-%m-%d}" for d in days)
    class_pool = enc(CLASS_NAMES)
    flag_pool = enc(("否", "是"))
    head = ",".join(LOAN_HEADER).encode(ENCODING) + b"\r\n"
    prefix = f"{end:%Y%m%d},{inst_code},BM{end:%Y%m}".encode()

    def money(cents: np.ndarray) -> np.ndarray:
        whole = (cents // 100).astype(bytes)
        frac = np.strings.zfill((cents % 100).astype(bytes), 2)
        return np.strings.add(np.strings.add(whole, b"."), frac)

    path = folder / loans_name
    with open(path, "wb") as fh:
        fh.write(head)
        for start in range(0, n_rows, chunk):
            n = min(chunk, n_rows - start)
            who = gen.integers(0, len(pool), n)
            cls = gen.choice(5, n, p=[0.80, 0.12, 0.04, 0.025, 0.015])
            overdue = np.select(
                [cls == 0, cls == 1, cls == 2, cls == 3],
                [0, gen.integers(0, 91, n), gen.integers(91, 181, n), gen.integers(181, 361, n)],
                gen.integers(361, 1500, n),
            )
            issued = gen.integers(10, 5_000, n) * 1_000_000  # 1万..5000万 in cents
            balance = issued * gen.integers(5, 101, n) // 100 + gen.integers(0, 100, n)
            balance = np.minimum(balance, issued)
            seq = np.strings.zfill(np.arange(start + 1, start + n + 1).astype(bytes), 10)
            cols = [
                np.strings.add(prefix, seq),
                *(col[who] for col in pool_cols[:6]),
                pool_cols[6][who],
                issue_pool[gen.integers(0, len(days), n)],
                maturity_pool[gen.integers(0, len(days), n)],
                money(issued),
                money(balance),
                overdue.astype(bytes),
                class_pool[cls],
                flag_pool[gen.integers(0, 2, n)],
                flag_pool[gen.integers(0, 2, n)],
                flag_pool[gen.integers(0, 2, n)],
            ]
            line = cols[0]
            for col in cols[1:]:
                line = np.strings.add(np.strings.add(line, b","), col)
            fh.write(b"\r\n".join(line.tolist()) + b"\r\n")
    disposals_path = folder / disposals_name
    disposals_path.write_bytes(",".join(DISPOSAL_HEADER).encode(ENCODING) + b"\r\n")
    return [path, disposals_path]
