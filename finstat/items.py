"""The item catalogues of the bank loan report (A/B/C balances, D disposals) and the programme report (F, E)."""

from __future__ import annotations

BALANCE_MEASURE = "余额"
MONTH_MEASURE = "本月"
YTD_MEASURE = "本年累计"

BALANCE_ITEMS: tuple[str, ...] = (
    *(f"A{i:02d}" for i in range(1, 12)),
    *(f"B{i:02d}" for i in range(1, 4)),
    *(f"C{i:02d}" for i in range(1, 6)),
)
DISPOSAL_ITEMS: tuple[str, ...] = tuple(f"D{i:02d}" for i in range(1, 8))

# Names as the spec's item table writes them; D names are also the 处置方式 of rural-credit files.
ITEM_NAMES: dict[str, str] = {
    "A01": "各项贷款",
    "A02": "住户贷款",
    "A03": "消费贷款",
    "A04": "经营贷款",
    "A05": "企（事）业单位贷款",
    "A06": "短期贷款",
    "A07": "中长期贷款",
    "A08": "票据融资",
    "A09": "融资租赁",
    "A10": "各项垫款",
    "A11": "非银行业金融机构贷款",
    "B01": "普惠小微贷款",
    "B02": "涉农贷款",
    "B03": "绿色贷款",
    "C01": "正常类",
    "C02": "关注类",
    "C03": "次级类",
    "C04": "可疑类",
    "C05": "损失类",
    "D01": "现金清收",
    "D02": "核销",
    "D03": "转让",
    "D04": "资产证券化",
    "D05": "以物抵债",
    "D06": "上调",
    "D07": "其他",
}


def measures_for(item_code: str) -> tuple[str, ...]:
    """Measures an item may carry: 余额 for A/B/C, 本月 and 本年累计 for D."""
    if item_code in BALANCE_ITEMS:
        return (BALANCE_MEASURE,)
    if item_code in DISPOSAL_ITEMS:
        return (MONTH_MEASURE, YTD_MEASURE)
    return ()


# The programme report (金融支持重点领域专项统计月报, extracts.md section 5): each item is reported
# twice, as a count (户数: households, borrowers or enterprises) and as an amount (金额).
COUNT_QUANTITY = "户数"
AMOUNT_QUANTITY = "金额"
PROGRAMME_QUANTITIES: tuple[str, ...] = (COUNT_QUANTITY, AMOUNT_QUANTITY)
# Names as the spec's item table writes them.
PROGRAMME_ITEM_NAMES: dict[str, str] = {
    "F01": "脱贫人口小额信贷本年累计发放",
    "F02": "脱贫人口小额信贷余额",
    "F03": "其中：逾期",
    "F04": "精准扶贫企业贷累计发放",
    "E01": "延期还本付息",
    "E02": "下调或减收贷款利息",
    "E03": "调整还款方式、减免费用",
}
PROGRAMME_ITEMS: tuple[str, ...] = tuple(PROGRAMME_ITEM_NAMES)
