"""A large 贷款明细 file whose balances add up, per county and five-level class, to given targets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from demo.generator import COUNTIES
from demo.rural_credit import CLASS_NAMES, ENCODING, LOAN_HEADER, file_names, month_end
from finstat.identifiers import RESIDENT_CHECK, RESIDENT_WEIGHTS, USCC_CHARSET, USCC_WEIGHTS

# Overdue days consistent with each class (rule 15 stays quiet): 正常 0, 关注 under 90, then by bucket.
_OVERDUE = ((0, 1), (0, 91), (91, 181), (181, 361), (361, 1500))
_SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚"
)
_GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华红玉兰建国志文斌辉鹏飞波宁凤海峰亮春梅林新利民永生金荣"
)
_PLACES = ("鹤山区", "山城区", "淇滨区", "浚县", "淇县")
_BRANDS = ("宏鑫", "丰瑞", "恒佳", "禾永", "金华", "盛兴", "昌润", "泰德", "信源", "达安", "嘉隆", "旺福")
_TRADES = ("农业科技", "牧业", "面粉", "食品", "纺织", "建材", "机械制造", "建筑工程", "商贸", "物流")
_SHOPS = ("超市", "粮油店", "农资店", "饭店", "养殖场", "家庭农场", "汽车修理部")
_SUFFIXES = ("有限公司", "有限责任公司", "专业合作社")
_INDUSTRIES = ("A01", "A02", "A03", "A04", "C13", "C14", "F51", "F52", "G54", "H62", "O80")
_RESIDENT_WEIGHTS = np.array(RESIDENT_WEIGHTS, dtype=np.int64)
_USCC_WEIGHTS = np.array(USCC_WEIGHTS, dtype=np.int64)
_USCC_CHARSET = np.frombuffer(USCC_CHARSET.encode(), dtype="S1")
_RESIDENT_CHECK = np.frombuffer(RESIDENT_CHECK.encode(), dtype="S1")


@dataclass(frozen=True)
class Cell:
    """Loans of one county and class: how many rows and the exact balance they add up to (cents)."""

    county: str
    risk_class: int  # 1..5 = 正常..损失
    rows: int
    cents: int


def _enc(values: Sequence[str]) -> np.ndarray:
    return np.array([v.encode(ENCODING) for v in values])


def _join(*parts: np.ndarray | bytes) -> np.ndarray:
    out = parts[0]
    for part in parts[1:]:
        out = np.strings.add(out, part)
    return out


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    return np.strings.zfill(values.astype(np.int64).astype(bytes), width)


def _check_chars(
    body: np.ndarray, weights: np.ndarray, modulus: int, table: np.ndarray, uscc: bool
) -> np.ndarray:
    # The bodies are all digits here, so a digit's value is its byte minus '0' in both standards.
    digits = np.frombuffer(body.astype("S17").tobytes(), dtype=np.uint8).reshape(-1, 17).astype(np.int64) - 48
    total = digits @ weights
    return table[(modulus - total % modulus) % modulus] if uscc else table[total % modulus]


class Borrowers:
    """Borrower b's customer number, name, ID and type, derived from b alone (no pool in memory)."""

    def __init__(self, inst_code: str) -> None:
        self.prefix = f"K{inst_code[1:5]}".encode()
        self.surnames, self.given = _enc(_SURNAMES), _enc(_GIVEN)
        self.places, self.brands = _enc(_PLACES), _enc(_BRANDS)
        self.trades, self.shops, self.suffixes = _enc(_TRADES), _enc(_SHOPS), _enc(_SUFFIXES)
        self.regions = np.array([r.encode() for r in COUNTIES])
        self.types = _enc(("个人", "个体工商户", "企业"))
        self.id_types = _enc(("身份证", "统一社会信用代码"))
        self.industries = _enc(_INDUSTRIES)

    def columns(self, b: np.ndarray) -> dict[str, np.ndarray]:
        """Columns 客户号..客户类型 and 行业代码 for borrower numbers b; kind: 0 person, 1 sole, 2 company."""
        kind = np.select([b % 10 < 6, b % 10 < 8], [0, 1], 2)
        mix = b * 2_654_435_761 % 4_294_967_291  # spreads consecutive numbers over the name pools
        person = _join(
            self.surnames[mix % len(self.surnames)],
            self.given[mix // 7 % len(self.given)],
            np.where(mix % 10 < 7, self.given[mix // 11 % len(self.given)], b""),
        )
        place = self.places[b % len(self.places)]
        shop = _join(place, person, self.shops[mix // 13 % len(self.shops)])
        company = _join(
            place,
            self.brands[mix // 17 % len(self.brands)],
            self.trades[mix // 19 % len(self.trades)],
            self.suffixes[mix // 23 % len(self.suffixes)],
        )
        # 身份证: region + birth date + sequence encode b, so IDs are unique and valid (GB 11643).
        region = self.regions[b % len(self.regions)]
        born = np.datetime64("1950-01-01") + (b // 5 % 18_000).astype("timedelta64[D]")
        birth = np.strings.replace(np.datetime_as_string(born).astype(bytes), b"-", b"")
        resident = _join(region, birth, _digits(b // 90_000 % 1000, 3))
        resident = np.strings.add(
            resident, _check_chars(resident, _RESIDENT_WEIGHTS, 11, _RESIDENT_CHECK, False)
        )
        # 统一社会信用代码 92 (个体工商户) / 91 (企业) with a numeric body (GB 32100 check character).
        uscc = _join(np.where(kind == 1, b"92", b"91"), region, _digits(b, 9))
        uscc = np.strings.add(uscc, _check_chars(uscc, _USCC_WEIGHTS, 31, _USCC_CHARSET, True))
        # Some 个体工商户 borrow on the owner's 身份证, as the demo's do.
        use_uscc = (kind == 2) | ((kind == 1) & (mix % 10 < 7))
        return {
            "customer_no": np.strings.add(self.prefix, _digits(b, 10)),
            "name": np.select([kind == 0, kind == 1], [person, shop], company),
            "id_type": self.id_types[use_uscc.astype(np.int64)],
            "id_number": np.where(use_uscc, uscc, resident),
            "customer_type": self.types[kind],
            "industry": self.industries[mix // 29 % len(self.industries)],
            "kind": kind,
        }


def split_cents(total: int, n: int, gen: np.random.Generator) -> np.ndarray:
    """n positive balances in cents that add up to total exactly (integer arithmetic only)."""
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if total < n:
        raise ValueError(f"{total} cents cannot give {n} loans a positive balance")
    # Skewed weights: many small loans, a few large ones, like a county bank's book.
    weights = 1 + (gen.random(n) ** 3 * 999).astype(np.int64)
    spread = total - n  # one cent each first, so no balance is zero
    cents = 1 + spread * weights // int(weights.sum())
    short = total - int(cents.sum())
    cents[gen.permutation(n)[:short]] += 1  # the remainder of the integer division, one cent each
    return cents


def allocate_rows(total_rows: int, weights: Sequence[int]) -> list[int]:
    """Split total_rows in proportion to integer weights (largest remainder), at least 1 per non-zero weight."""
    whole = sum(weights)
    if whole == 0:
        return [0] * len(weights)
    counts = [total_rows * w // whole for w in weights]
    order = sorted(range(len(weights)), key=lambda i: -(total_rows * weights[i] % whole))
    for i in order[: total_rows - sum(counts)]:
        counts[i] += 1
    for i, w in enumerate(weights):
        if w and not counts[i]:
            counts[i] = 1
            counts[max(range(len(counts)), key=counts.__getitem__)] -= 1
    return counts


def loan_ids(inst_code: str, seq: np.ndarray) -> np.ndarray:
    """借据号 of the institution's seq-th loan: the same every month, so last month's loans are still there."""
    return np.strings.add(f"BM{inst_code[1:5]}".encode(), _digits(seq, 10))


def write_loan_file(
    folder: Path,
    period: str,
    inst_code: str,
    cells: Sequence[Cell],
    carried_ids: Sequence[str] = (),
    chunk: int = 250_000,
    seed: int = 0,
) -> Path:
    """Write <inst>_<YYYYMM>_贷款明细.csv (GB18030): the cells in order, rows numbered 0.. across them.

    carried_ids replace the 借据号 of the last rows (正常 when cells end with class 1): loans of the
    demo's previous month kept on the books, so no non-performing loan silently vanishes (rule 17).
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_names(period, inst_code)[0]
    gen = np.random.default_rng([seed, int(period.replace("-", "")), int(inst_code[1:5])])
    end = month_end(period)
    total_rows = sum(c.rows for c in cells)
    borrowers = Borrowers(inst_code)
    n_borrowers = max(1, total_rows * 2 // 3)  # a third of the loans belong to repeat borrowers
    kept = [c.encode(ENCODING) for c in carried_ids][:total_rows]
    carried, first_carried = np.array(kept or [b""]), total_rows - len(kept)
    days = np.arange(1, 5 * 365)
    issue_pool = np.array([f"{end - dt.timedelta(days=int(d)):%Y%m%d}".encode() for d in days])
    maturity_pool = np.array([f"{end + dt.timedelta(days=int(d) - 400):%Y-%m-%d}".encode() for d in days])
    classes, flags = _enc(CLASS_NAMES), _enc(("否", "是"))
    prefix = f"{end:%Y%m%d},{inst_code},".encode()

    def money(cents: np.ndarray) -> np.ndarray:
        return _join((cents // 100).astype(bytes), b".", _digits(cents % 100, 2))

    seq_start = 0
    with open(path, "wb") as fh:
        fh.write(",".join(LOAN_HEADER).encode(ENCODING) + b"\r\n")
        for cell in cells:
            done_rows, done_cents = 0, 0
            while done_rows < cell.rows:
                n = min(chunk, cell.rows - done_rows)
                # This chunk's exact share of the cell's cents (Python ints: no overflow).
                upto = cell.cents * (done_rows + n) // cell.rows
                balance = split_cents(upto - done_cents, n, gen)
                done_rows, done_cents = done_rows + n, upto
                seq = np.arange(seq_start, seq_start + n)
                seq_start += n
                ids = loan_ids(inst_code, seq)
                take = seq >= first_carried
                if take.any():
                    ids = np.where(take, carried[np.clip(seq - first_carried, 0, len(carried) - 1)], ids)
                who = borrowers.columns(gen.integers(0, n_borrowers, n))
                issued = (balance // 100_000 + 1 + gen.integers(0, 5, n)) * 100_000  # whole 千元, >= balance
                low, high = _OVERDUE[cell.risk_class - 1]
                person = who["kind"] == 0
                poverty = person & (gen.random(n) < 0.3)
                inclusive = ~person & (gen.random(n) < 0.6)
                line = _join(
                    prefix,
                    ids,
                    b",",
                    who["customer_no"],
                    b",",
                    who["name"],
                    b",",
                    who["id_type"],
                    b",",
                    who["id_number"],
                    b",",
                    who["customer_type"],
                    f",{cell.county},".encode(),
                    who["industry"],
                    b",",
                    issue_pool[gen.integers(0, len(days), n)],
                    b",",
                    maturity_pool[gen.integers(0, len(days), n)],
                    b",",
                    money(issued),
                    b",",
                    money(balance),
                    b",",
                    gen.integers(low, high, n).astype(bytes),
                    b"," + classes[cell.risk_class - 1] + b",",
                    flags[poverty.astype(np.int64)],
                    b",",
                    flags[inclusive.astype(np.int64)],
                    b",",
                    flags[(gen.random(n) < 0.7).astype(np.int64)],
                )
                fh.write(b"\r\n".join(line.tolist()) + b"\r\n")
    return path
