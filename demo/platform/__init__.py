"""Deterministic 普惠金融共享平台 demo: monthly full snapshots (企业, 产品, 融资需求) calibrated to May 2022.

The platform opens on 2020-09-01 and is simulated record by record: enterprises register (a few
later 注销), banks list and delist products, enterprises apply for products and each request runs
its own life cycle 待受理 -> 已受理 -> 已授信 -> 已放款 (or ends 已拒绝 / 已撤回). The snapshot of month
M is every record as it stands at the export time, a little after month end (office hours of the
1st to 3rd of the next month), so it already holds some events of the next month's first days.

Calibration, with the definitions of spec/indicators.md on the 2022-05 snapshot and end of M =
2022-05-31 23:59:59 (the bureau's "平台已注册企业 5000 多家, 12 家银行机构上线金融产品 92 支, 累计授信
97.93 亿元, 信贷投放 40 余亿元"):
- P01: exactly ENTERPRISES_BY_CALIBRATION enterprises register up to end of May 2022; minus the
  few already 注销 at the export time this leaves about 5,300 (5,001..5,999).
- P02 / P03: the bank table below lists 92 products still 上架 at end of May 2022 from 12 banks;
  a 13th bank (平安银行) listed products earlier and has delisted all of them by then.
  Products are listed and delisted only on days 5..25 of a month (launch day 2020-09-01 aside,
  which precedes every snapshot's window), so a snapshot's 状态 column always agrees with "上架 at
  end of M" (上架时间 <= end of M and 下架时间 empty or later).
- P04: all amounts are scaled by one factor until the grants up to end of May 2022 come close to
  GRANT_TARGET, then the remainder goes to the latest grants, so P04 is exactly GRANT_TARGET 万元
  (97.930157 亿, 97.93 rounded).
- P05: follows from the share of grants drawn and the drawn fractions (about 42 亿); not forced.
Every draw comes from a generator seeded by its purpose and key, and the months up to May 2022
are built the same whatever horizon is asked for, so the calibration holds for any range.
Records never lose a grant or a drawing, so P04..P06 never fall from one month to the next.
"""

# The package's public API; the modules below it import each other directly, never this file.
from demo.platform.base import CALIBRATION_PERIOD, FIRST_PERIOD, SOURCE
from demo.platform.build import build_platform
from demo.platform.files import (
    ENCODING,
    ENTERPRISE_HEADER,
    PRODUCT_HEADER,
    REQUEST_HEADER,
    file_names,
    render_enterprises,
    render_products,
    render_requests,
    write_platform,
)
from demo.platform.records import Enterprise, PlatformData, PlatformSnapshot, Product, Request

__all__ = [
    "CALIBRATION_PERIOD",
    "ENCODING",
    "ENTERPRISE_HEADER",
    "FIRST_PERIOD",
    "PRODUCT_HEADER",
    "REQUEST_HEADER",
    "SOURCE",
    "Enterprise",
    "PlatformData",
    "PlatformSnapshot",
    "Product",
    "Request",
    "build_platform",
    "file_names",
    "render_enterprises",
    "render_products",
    "render_requests",
    "write_platform",
]
