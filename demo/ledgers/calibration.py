"""The bureau's May 2022 report as the ledgers must give it (spec/indicators.md), and the 24 May fair."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

CALIBRATION_PERIOD = "2022-05"
YEAR_START = dt.date(2022, 1, 1)
CUTOFF = dt.date(2022, 5, 31)

# 银企对接活动 50 余次 (M01): activities per month of 2022 up to May; 2021 month by month.
ACTIVITIES_2022 = (7, 6, 13, 12, 15)  # 53
ACTIVITIES_2021 = (4, 3, 8, 9, 10, 9, 7, 8, 9, 8, 9, 8)
ACTIVITIES_LATER = 10  # a month after the calibration
# 走访企业 943 家 (M02) in 980 visits, 解决问题 278 个 (M03).
VISITS_2022 = (168, 139, 236, 225, 212)  # 980 rows, 37 of them a second visit
VISITED_2022 = 943
SOLVED_2022 = 278
VISITS_PER_MONTH = 175  # 2021 and after the calibration, roughly
# 推介重点项目融资需求 6 批次 455.32 亿元 (M04, M05), 已授信 124.08 亿元 (M06); amounts in 万元.
BATCHES_2022 = (
    (dt.date(2022, 1, 18), 14),
    (dt.date(2022, 2, 22), 12),
    (dt.date(2022, 3, 15), 16),
    (dt.date(2022, 4, 12), 15),
    (dt.date(2022, 5, 10), 13),
    (dt.date(2022, 5, 20), 18),
)
BATCHES_2021 = (
    (dt.date(2021, 3, 16), 12),
    (dt.date(2021, 5, 11), 14),
    (dt.date(2021, 7, 13), 11),
    (dt.date(2021, 9, 14), 13),
    (dt.date(2021, 11, 16), 12),
)
DEMAND_2022 = Decimal(4_553_200)
CREDIT_2022 = Decimal(1_240_800)
# The 24 May fair: 10 家金融机构与 20 个重点项目达成贷款意向 77.79 亿元 (M08-M10), 与 10 个重点项目签约、
# 金额近 40 亿元 (M11 39.46, M12 10). An 11th project signs on 1 June: in the May file, not in May's figures.
FAIR_DATE = dt.date(2022, 5, 24)
FAIR_INSTITUTIONS = 10
FAIR_PROJECTS = 20
FAIR_INTENT = Decimal(777_900)
FAIR_SIGNED = Decimal(394_600)
FAIR_SIGNED_PROJECTS = 10
LATE_SIGNING = dt.date(2022, 6, 1)
# The year's earlier fairs (2021): they give 2021 its own M08-M13.
FAIRS_2021 = ((dt.date(2021, 6, 17), 9, 5), (dt.date(2021, 11, 25), 8, 4))  # date, projects, signed
# 39 家重点上市后备企业 (S01); 参训企业 160 余户次 (S04: 164), 走访 29 户次 (S05), 解决问题 14 个 (S06).
KEY_ENTERPRISES = 39
TRAINING_2022 = 164
PIPELINE_VISITS_2022 = 29
PIPELINE_SOLVED_2022 = 14
# 下发整改通知书和风险提示函 14 份 (G01), per month of 2022 up to May.
DOCUMENTS_2022 = (2, 3, 4, 2, 3)
