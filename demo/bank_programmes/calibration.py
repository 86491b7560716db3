"""Calibration of the programme figures: the bureau's May 2022 totals, who lends what, the poverty register."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from demo.city import REFERENCE_DIR

POVERTY_FILE = "poverty_households.csv"
CALIBRATION_PERIOD = "2022-05"
# The bureau's May 2022 report, city totals as (户数, 金额 in cents): 新增脱贫人口小额信贷 1309 户、
# 2375.99 万元 (F01); 精准扶贫企业贷累计发放 5278 万元、帮扶脱贫群众 3927 户 (F04); 265 户、10.53 亿元
# 延期还本付息 (E01); 下调或减收 822 户贷款利息 (E02: the interest forgone is not in the report, about
# 1 万元 a borrower here); 帮扶困难企业 219 家、4.79 亿元 (E03). Amounts carry cents below the report's
# rounding, as real sums do.
CITY_TOTALS = {
    "F01": (1309, 2_375_991_734),
    "F04": (3927, 5_278_003_120),
    "E01": (265, 105_298_765_400),
    "E02": (822, 823_456_789),
    "E03": (219, 47_912_345_600),
}
# The policy's ceiling on poverty micro-credit: 5 万元 per household (rule 28), in cents.
HOUSEHOLD_CEILING = 5_000_000

# Each institution's share of the city's programme business (slot codes), by item group: poverty
# micro-credit (F01-F03), poverty-alleviation enterprise loans (F04), deferrals (E01), interest cuts
# (E02), adjusted repayment and fee waivers (E03). A row of zeros files a report of zeros. The rural
# credit institutions' F02/F03 come from their loan files, not from this table.
_SHARE_TABLE = """
code            poverty  F04   E01   E02   E03
B0006H41060001  0        .30   .02   0     .03
B0001H41060002  0        .12   .14   .12   .12
B0002H41060003  .16      .18   .12   .14   .10
B0003H41060004  0        0     .08   .08   .07
B0004H41060005  0        .10   .13   .12   .11
B0005H41060006  0        0     .05   .04   .05
B0018H41060007  .13      0     .03   .08   .04
B0007H41060008  0        0     .04   .03   .04
B0015H41060009  0        0     .03   .02   .03
B0008H41060010  0        0     .02   .02   .02
B0009H41060011  0        0     .02   .02   .02
B0010H41060012  0        0     .01   .01   .01
B0013H41060013  0        0     .02   .02   .02
B0011H41060014  0        0     .01   .01   .01
B0014H41060015  0        0     .01   .01   .01
B1062H41060016  .06      .08   .08   .08   .08
B1050H41060017  0        0     .03   .03   .03
B1063H41060018  0        0     .01   .01   .01
B1051H41060019  0        0     .01   .01   .01
B1066H41060020  0        0     0     .005  0
B1280H41061121  .22      .08   .06   .06   .07
B1281H41062122  .20      .08   .04   .05   .06
D1282H41062223  .14      .06   .03   .04   .04
S1301H41062124  .04      0     0     .01   0
S1302H41062225  .03      0     0     .01   0
S1303H41060226  .02      0     0     .005  0
S1304H41060327  0        0     0     0     0
B0202H41061128  0        0     0     0     0
L0101H41060029  0        0     0     0     0
L0201H41061130  0        0     0     0     0
"""


def _parse_shares(table: str) -> dict[str, dict[str, Decimal]]:
    lines = table.strip().splitlines()
    groups = lines[0].split()[1:]
    out = {}
    for line in lines[1:]:
        code, *shares = line.split()
        out[code] = dict(zip(groups, map(Decimal, shares), strict=True))
    return out


SHARES: dict[str, dict[str, Decimal]] = _parse_shares(_SHARE_TABLE)
# The share group of each item.
SHARE_GROUP = {"F01": "poverty", "F04": "F04", "E01": "E01", "E02": "E02", "E03": "E03"}


def load_poverty_households(reference_dir: Path = REFERENCE_DIR) -> dict[tuple[int, str], tuple[int, int]]:
    """The shipped poverty_households.csv (Hebi's, the slots): (year, county) -> (脱贫户数, 监测对象户数)."""
    with (reference_dir / POVERTY_FILE).open(encoding="utf-8", newline="") as fh:
        return {
            (int(row["year"]), row["region_code"]): (int(row["脱贫户数"]), int(row["监测对象户数"]))
            for row in csv.DictReader(fh)
        }
