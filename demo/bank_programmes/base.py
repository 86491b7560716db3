"""The bank_programmes contract (spec/extracts.md section 5): source, items, 计量, CSV header, variations."""

from __future__ import annotations

import random

from demo.files import PERIOD_STYLES
from demo.types import SEED

SOURCE = "bank_programmes"
# The bureau began collecting the report after the loan report: no programme report exists for the
# demo's first two months (2021-01, 2021-02), so those months publish with V and H withheld.
START = "2021-03"
TITLE = "金融支持重点领域专项统计月报"
REPORT = "专项统计月报"  # how the institutions' file names call it
SHEET = "专项统计"

# code -> (name, level, first child): F03 is the one child (of F02), shown "其中：逾期" by the template.
ITEMS = {
    "F01": ("脱贫人口小额信贷本年累计发放", 0, False),
    "F02": ("脱贫人口小额信贷余额", 0, False),
    "F03": ("逾期", 1, True),
    "F04": ("精准扶贫企业贷累计发放", 0, False),
    "E01": ("延期还本付息", 0, False),
    "E02": ("下调或减收贷款利息", 0, False),
    "E03": ("调整还款方式、减免费用", 0, False),
}
COUNT, AMOUNT = "户数", "金额"
MEASURES = (COUNT, AMOUNT)
# 本年累计 items restart in January; F04 accumulates since the programme began; F02/F03 are month-end stocks.
YEAR_TO_DATE = ("F01", "E01", "E02", "E03")
SINCE_START = ("F04",)
POVERTY_CREDIT = ("F01", "F02", "F03")
# What a 户数 counts: enterprises (家) for E03, households or borrowers (户) otherwise.
COUNT_WORDS = {"E03": "家"}
CSV_HEADER = ("报表期", "机构代码", "县区代码", "指标代码", "计量", "数值", "单位")

# Every variation of spec/extracts.md section 5 the demo exercises at least once (where each comes
# from: demo/bank_programmes/plan.py; the test lists them too, tests/demo/test_bank_programmes.py).
# The 1a variations, as bank_loans has them:
#   format_xlsx / format_csv; rows_above_0..6 (the header row holds 指标代码); info_one_cell,
#   info_separate_cells, info_label_value_cells (机构代码/报表期/单位 cells), info_below_table (no room
#   above the header); colon_fullwidth / colon_ascii; period_* (2022年05月, 2022年5月, 2022-05, 2022.05,
#   202205, an Excel date); unit_元 / unit_万元 / unit_亿元; county_order_template / _shuffled;
#   county_header_name / _code; county_absent, city_level_absent (市本级), zero_county_column;
#   amount_number, amount_text_thousands, amount_formula_total (合计 as =SUM with cached values);
#   zero_blank / zero_dash / zero_emdash / zero_number; name_plain, name_spaces, name_fullwidth_spaces,
#   name_qizhong (F03 as 其中：逾期); title_merged / title_plain; footer; extra_row_no_code,
#   extra_row_unknown_code (rows the contract does not name).
# Section 5 only: sheet_专项统计, sheet_专项统计_not_first (a notes sheet before it), sheet_Sheet1 (the
#   first sheet, otherwise named); measure_plain (户数/金额), measure_brackets_fullwidth (户数（户）,
#   金额（万元）), measure_brackets_ascii (户数(家), 金额(万元)); in the long CSV: csv_utf-8,
#   csv_utf-8-sig, csv_gb18030, csv_crlf, csv_lf, and the 单位 of 户数 rows: csv_count_unit_repeated
#   (the amount unit), csv_count_unit_empty, csv_count_unit_户, csv_count_unit_家.
ALL_VARIATIONS = (
    "format_xlsx",
    "format_csv",
    *(f"rows_above_{n}" for n in range(7)),
    "info_one_cell",
    "info_separate_cells",
    "info_label_value_cells",
    "info_below_table",
    "colon_fullwidth",
    "colon_ascii",
    *(f"period_{style}" for style in PERIOD_STYLES),
    "unit_元",
    "unit_万元",
    "unit_亿元",
    "county_order_template",
    "county_order_shuffled",
    "county_header_name",
    "county_header_code",
    "county_absent",
    "city_level_absent",
    "zero_county_column",
    "amount_number",
    "amount_text_thousands",
    "amount_formula_total",
    "zero_blank",
    "zero_dash",
    "zero_emdash",
    "zero_number",
    "name_plain",
    "name_spaces",
    "name_fullwidth_spaces",
    "name_qizhong",
    "title_merged",
    "title_plain",
    "footer",
    "extra_row_no_code",
    "extra_row_unknown_code",
    "sheet_专项统计",
    "sheet_专项统计_not_first",
    "sheet_Sheet1",
    "measure_plain",
    "measure_brackets_fullwidth",
    "measure_brackets_ascii",
    "csv_utf-8",
    "csv_utf-8-sig",
    "csv_gb18030",
    "csv_crlf",
    "csv_lf",
    "csv_count_unit_repeated",
    "csv_count_unit_empty",
    "csv_count_unit_户",
    "csv_count_unit_家",
)


def _rng(*key: object) -> random.Random:
    """A generator seeded by purpose and key (slot codes), so no draw depends on loop order or range."""
    return random.Random("|".join(map(str, (SEED, SOURCE, *key))))
