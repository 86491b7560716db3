"""Build the default template (templates/金融运行简报.docx) with python-docx: `python -m reports.briefing.default_template`.

The paragraphs follow the report's order and wording (spec/briefing.md); each clause is guarded
with 有数据(...) so a withheld figure's clause says 暂无数据 and why instead of a number.
"""

from __future__ import annotations

import sys
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from reports.briefing.charts import CHARTS

TARGET = Path(__file__).resolve().parent / "templates" / "金融运行简报.docx"


def _guard(codes: str, text: str, missing: str) -> str:
    """`text` when every figure of `codes` is published, else `missing` followed by 暂无数据 and why."""
    return f"{{% if 有数据({codes}) %}}{text}{{% else %}}{missing}{{{{ 暂无数据({codes}) }}}}{{% endif %}}"


def _sign(code: str, down: str, up: str, unit: str) -> str:
    """`减少5亿元` / `增加5亿元` by the sign of the figure (the idiom never shows a minus sign)."""
    return (
        f"{{% if {code} < 0 %}}{down}{{{{ (-{code})|num }}}}{unit}"
        f"{{% else %}}{up}{{{{ {code}|num }}}}{unit}{{% endif %}}"
    )


TITLE = "{{ city }}金融运行简报"
META = "（{{ month[:4] }}年{{ month|月末 }}数据　已发布数据第{{ version }}版，发布于{{ published_at }}）"

SECTIONS: list[tuple[str, list[str]]] = [
    (
        "一、金融支持实体经济",
        [
            "截至{{ month|月末 }}，"
            + _guard("L01", "全市贷款余额{{ L01|num }}亿元", "全市贷款余额")
            + "，"
            + _guard(
                "L03, L04",
                "剔除不良贷款处置因素较年初实际"
                + "{% if L03 < 0 %}减少{{ (-L03)|num }}亿元、降幅{{ (-L04)|num }}%"
                + "{% else %}增加{{ L03|num }}亿元、增幅{{ L04|num }}%{% endif %}",
                "剔除不良贷款处置因素较年初增长",
            )
            + "；"
            + _guard(
                "L05, L06",
                "较上年同期"
                + "{% if L05 < 0 %}减少{{ (-L05)|num }}亿元，同比下降{{ (-L06)|num }}%"
                + "{% else %}增加{{ L05|num }}亿元，同比增长{{ L06|num }}%{% endif %}",
                "同比增长",
            )
            + "；"
            + _guard("L07", "企业贷款余额{{ L07|num }}亿元", "企业贷款余额")
            + "。",
        ],
    ),
    (
        "二、全市不良贷款",
        [
            _guard("L10, L11", "全市不良贷款余额{{ L10|num }}亿元，不良贷款率{{ L11|num }}%", "全市不良贷款")
            + "，"
            + _guard(
                "L12, L13",
                "较年初"
                + _sign("L12", "减少", "增加", "亿元")
                + "、"
                + _sign("L13", "下降", "上升", "个百分点"),
                "较年初变动",
            )
            + "；"
            + _guard(
                "L14",
                "{% if L14 == 1 %}全市不良贷款余额和不良率实现“双降”"
                "{% else %}全市不良贷款余额和不良率未实现“双降”{% endif %}",
                "“双降”情况",
            )
            + "。",
        ],
    ),
    (
        "三、银企对接",
        [
            _guard(
                "M01, M02, M03",
                "开展银企对接活动{{ M01|余(10) }}次，走访企业{{ M02|num }}家，解决问题{{ M03|num }}个",
                "银企对接活动",
            )
            + "；"
            + _guard(
                "M04, M05, M06, M07",
                "向金融机构推介重点项目融资需求{{ M04|num }}批次{{ M05|num }}亿元，已授信{{ M06|num }}亿元、"
                "已放款{{ M07|num }}亿元",
                "推介重点项目",
            )
            + "。",
            _guard(
                "M08, M09, M10, M11, M12",
                "本年对接活动中，{{ M09|num }}家金融机构与{{ M10|num }}个重点项目达成贷款意向{{ M08|num }}亿元，"
                "与{{ M12|num }}个重点项目成功签约、金额{{ M11|近(10) }}亿元",
                "对接活动签约",
            )
            + "；"
            + _guard("M13", "签约贷款落地率{{ M13|num }}%", "签约贷款落地率")
            + "。",
        ],
    ),
    (
        "四、普惠金融共享平台",
        [
            _guard(
                "P01, P02, P03, P04, P05",
                "平台已注册企业{{ P01|多(1000) }}家，{{ P02|num }}家银行机构在平台上线金融产品{{ P03|num }}支，"
                "累计授信{{ P04|num }}亿元，信贷投放{{ P05|余(10) }}亿元",
                "普惠金融共享平台",
            )
            + "。"
            + _guard("P06", "平台累计授信企业{{ P06|num }}家", "平台累计授信企业数")
            + "。",
        ],
    ),
    (
        "五、巩固脱贫攻坚成果",
        [
            "截至目前，"
            + _guard(
                "V01, V02, V03",
                "全市新增脱贫人口小额信贷{{ V01|num }}户，贷款金额{{ V02|num }}万元，新增户贷率{{ V03|num }}%",
                "脱贫人口小额信贷新增",
            )
            + "；"
            + _guard(
                "V07, V08, V09",
                "全市精准扶贫企业贷累计发放{{ V07|num }}万元、帮扶脱贫群众{{ V08|num }}户，帮扶率{{ V09|num }}%",
                "精准扶贫企业贷",
            )
            + "。"
            + _guard(
                "V04, V05, V06",
                "全市脱贫人口小额信贷余额{{ V04|num }}万元、{{ V05|num }}户，逾期率{{ V06|num }}%",
                "脱贫人口小额信贷余额",
            )
            + "。",
        ],
    ),
    (
        "六、金融惠企政策",
        [
            _guard(
                "H01, H02, H03",
                "今年以来金融机构累计对{{ H01|num }}户、{{ H02|num }}亿元贷款实行延期还本付息，"
                "下调或减收{{ H03|num }}户贷款利息",
                "延期还本付息",
            )
            + "；"
            + _guard(
                "H05, H06",
                "通过对困难企业调整还款方式、减免费用帮扶困难企业{{ H05|num }}家，涉及金额{{ H06|num }}亿元",
                "调整还款方式、减免费用",
            )
            + "。"
            + _guard("H04", "本年减收利息{{ H04|num }}万元", "减收利息金额")
            + "。",
        ],
    ),
    (
        "七、农信系统",
        [
            _guard(
                "R02, R03",
                "农信系统不良贷款余额{{ R02|num }}亿元，不良贷款率{{ R03|num }}%",
                "农信系统不良贷款",
            )
            + "；"
            + _guard(
                "R04",
                "{% if R04 < 0 %}农信系统不良贷款率较年初上升{{ (-R04)|num }}%"
                "{% else %}农信系统不良贷款率较年初下降{{ R04|num }}%{% endif %}",
                "农信系统不良贷款率较年初变动",
            )
            + "，"
            + _guard(
                "R05, R06",
                "不良贷款余额较年初"
                + _sign("R05", "减少", "增加", "亿元")
                + "{% if R06 == 1 %}，实现“双降”{% endif %}",
                "不良贷款余额较年初变动",
            )
            + "；"
            + _guard("R07", "本年累计处置不良贷款{{ R07|num }}亿元", "本年累计处置不良贷款")
            + "。",
        ],
    ),
    (
        "八、上市后备企业培育",
        [
            _guard(
                "S01, S02, S03",
                "明确{{ S01|num }}家重点上市后备企业，全市上市后备企业{{ S02|num }}家，"
                "其中辅导备案及以后阶段{{ S03|num }}家",
                "上市后备企业",
            )
            + "；"
            + _guard("S04", "举办上市培训，参训企业达{{ S04|余(10) }}户次", "上市培训")
            + "；"
            + _guard(
                "S05, S06",
                "走访重点上市后备企业{{ S05|num }}户次，帮助企业解决问题{{ S06|num }}个",
                "走访上市后备企业",
            )
            + "。",
        ],
    ),
    (
        "九、地方金融组织监管",
        [
            _guard(
                "G01",
                "今年以来，下发整改通知书和风险提示函{{ G01|num }}份",
                "整改通知书和风险提示函",
            )
            + "。",
        ],
    ),
]

# The by-county table: column title and the figure of each county (and of the city, last row).
TABLE = [
    ("各项贷款余额（亿元）", "L01"),
    ("企业贷款余额（亿元）", "L07"),
    ("普惠小微贷款余额（亿元）", "L09"),
    ("不良贷款余额（亿元）", "L10"),
    ("不良贷款率（%）", "L11"),
    ("脱贫人口小额信贷新增户数（户）", "V01"),
    ("新增户贷率（%）", "V03"),
]

NOTES = [
    "{% if acknowledged %}本版已确认的警告：{% for a in acknowledged %}规则{{ a.rule }}，{{ a.reason }}"
    "{% if not loop.last %}；{% endif %}{% endfor %}。{% else %}本版无已确认的警告。{% endif %}",
    "{% if withheld %}本月部分指标{{ 暂无数据(*withheld) }}。{% else %}本月全部指标均已发布。{% endif %}",
]


def _fonts(document) -> None:
    """Song/Hei for Chinese text in Word (East Asian font slots), the size of a government brief."""
    for name, font in (("Normal", "仿宋"), ("Title", "黑体"), ("Heading 1", "黑体"), ("Caption", "仿宋")):
        style = document.styles[name]
        style.font.name = font
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    document.styles["Normal"].font.size = Pt(14)


def build(target: Path = TARGET) -> Path:
    """Write the default template."""
    document = docx.Document()
    _fonts(document)
    document.add_paragraph(TITLE, style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(META).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for heading, paragraphs in SECTIONS:
        document.add_heading(heading, level=1)
        for text in paragraphs:
            document.add_paragraph(text).paragraph_format.first_line_indent = Pt(28)
    document.add_heading("十、各县区主要指标", level=1)
    document.add_paragraph("表1　各县区主要指标（{{ month[:4] }}年{{ month|月末 }}）", style="Caption")
    table = document.add_table(rows=5, cols=len(TABLE) + 1)
    table.style = "Table Grid"
    for column, title in enumerate(["县区", *(title for title, _ in TABLE)]):
        table.cell(0, column).text = title
    table.cell(1, 0).text = "{%tr for c in counties %}"
    table.cell(2, 0).text = "{{ c.name }}"
    for column, (_, code) in enumerate(TABLE, start=1):
        table.cell(2, column).text = f"{{{{ by_county.{code}[c.code]|num }}}}"
        table.cell(4, column).text = f"{{{{ {code}|num }}}}"
    table.cell(3, 0).text = "{%tr endfor %}"
    table.cell(4, 0).text = "全市"
    document.add_heading("十一、图表", level=1)
    for number, (name, caption) in enumerate(CHARTS.items(), start=1):
        document.add_paragraph(f"{{{{ charts.{name} }}}}").alignment = WD_ALIGN_PARAGRAPH.CENTER
        document.add_paragraph(
            f"图{number}　{caption}", style="Caption"
        ).alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_heading("说明", level=1)
    for text in NOTES:
        document.add_paragraph(text)
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(target)
    return target


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET))
