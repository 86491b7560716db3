"""The demo's May 2022 briefing, read back from the .docx and the .html the job wrote: briefing.md's fragments, every number."""

from __future__ import annotations

import html as html_lib
import io
import os
import re
import shutil
from decimal import Decimal

import docx
import pyarrow.parquet as pq
import pytest

from reports.briefing.idioms import duo, jin, num, yu

pytestmark = pytest.mark.e2e

MONTH = "2022-05"
# spec/briefing.md's fragments, verbatim, with the figures each one says.
FRAGMENTS = [
    ("截至5月末，全市贷款余额785.03亿元，剔除不良贷款处置因素较年初实际增加58亿元、增幅7.15%；较上年同期增加105.74亿元，同比增长13.84%；企业贷款余额444.86亿元。", "L01 L03 L04 L05 L06 L07"),
    ("银企对接活动50余次，走访企业943家，解决问题278个", "M01 M02 M03"),
    ("推介重点项目融资需求6批次455.32亿元，已授信124.08亿元", "M04 M05 M06"),
    ("10家金融机构与20个重点项目达成贷款意向77.79亿元，与10个重点项目成功签约、金额近40亿元", "M08 M09 M10 M11 M12"),
    ("平台已注册企业5000多家，12家银行机构在平台上线金融产品92支，累计授信97.93亿元，信贷投放40余亿元。", "P01 P02 P03 P04 P05"),
    ("全市新增脱贫人口小额信贷1309户，贷款金额2375.99万元，新增户贷率14.28%；全市精准扶贫企业贷累计发放5278万元、帮扶脱贫群众3927户，帮扶率42.04%。", "V01 V02 V03 V07 V08 V09"),
    ("今年以来金融机构累计对265户、10.53亿元贷款实行延期还本付息，下调或减收822户贷款利息；通过对困难企业调整还款方式、减免费用帮扶困难企业219家，涉及金额4.79亿元。", "H01 H02 H03 H05 H06"),
    ("全市不良贷款余额和不良率实现“双降”", "L14"),
    ("农信系统不良贷款率较年初下降46.22%", "R04"),
    ("明确39家重点上市后备企业", "S01"),
    ("参训企业达160余户次", "S04"),
    ("走访重点上市后备企业29户次", "S05"),
    ("解决问题14个", "S06"),
    ("下发整改通知书和风险提示函14份", "G01"),
]  # fmt: skip

# Each paragraph of sections 一 to 九 as the default template writes it for the demo's May, with the
# figure (and idiom) behind every number: {code}, {code:neg} (said as 减少/下降), {code:多:1000}.
PARAGRAPHS = [
    "截至5月末，全市贷款余额{L01}亿元，剔除不良贷款处置因素较年初实际增加{L03}亿元、增幅{L04}%；较上年同期增加{L05}亿元，同比增长{L06}%；企业贷款余额{L07}亿元。",
    "全市不良贷款余额{L10}亿元，不良贷款率{L11}%，较年初减少{L12:neg}亿元、下降{L13:neg}个百分点；全市不良贷款余额和不良率实现“双降”。",
    "开展银企对接活动{M01:余:10}次，走访企业{M02}家，解决问题{M03}个；向金融机构推介重点项目融资需求{M04}批次{M05}亿元，已授信{M06}亿元、已放款{M07}亿元。",
    "本年对接活动中，{M09}家金融机构与{M10}个重点项目达成贷款意向{M08}亿元，与{M12}个重点项目成功签约、金额{M11:近:10}亿元；签约贷款落地率{M13}%。",
    "平台已注册企业{P01:多:1000}家，{P02}家银行机构在平台上线金融产品{P03}支，累计授信{P04}亿元，信贷投放{P05:余:10}亿元。平台累计授信企业{P06}家。",
    "截至目前，全市新增脱贫人口小额信贷{V01}户，贷款金额{V02}万元，新增户贷率{V03}%；全市精准扶贫企业贷累计发放{V07}万元、帮扶脱贫群众{V08}户，帮扶率{V09}%。全市脱贫人口小额信贷余额{V04}万元、{V05}户，逾期率{V06}%。",
    "今年以来金融机构累计对{H01}户、{H02}亿元贷款实行延期还本付息，下调或减收{H03}户贷款利息；通过对困难企业调整还款方式、减免费用帮扶困难企业{H05}家，涉及金额{H06}亿元。本年减收利息{H04}万元。",
    "农信系统不良贷款余额{R02}亿元，不良贷款率{R03}%；农信系统不良贷款率较年初下降{R04}%，不良贷款余额较年初减少{R05:neg}亿元，实现“双降”；本年累计处置不良贷款{R07}亿元。",
    "明确{S01}家重点上市后备企业，全市上市后备企业{S02}家，其中辅导备案及以后阶段{S03}家；举办上市培训，参训企业达{S04:余:10}户次；走访重点上市后备企业{S05}户次，帮助企业解决问题{S06}个。",
    "今年以来，下发整改通知书和风险提示函{G01}份。",
]  # fmt: skip
_SLOT = re.compile(r"\{([A-Z]\d{2})(?::([^:}]+))?(?::([^}]+))?\}")
IDIOMS = {"多": duo, "余": yu, "近": jin}


def _published(home) -> dict[str, Decimal]:
    rows = pq.read_table(home / "published" / "official_figures.parquet").to_pylist()
    return {
        r["indicator_code"]: r["value"] for r in rows if r["period"] == MONTH and r["region_code"] == "410600"
    }


def _county(home) -> dict[tuple[str, str], Decimal]:
    rows = pq.read_table(home / "published" / "official_figures.parquet").to_pylist()
    return {(r["indicator_code"], r["region_name"]): r["value"] for r in rows if r["period"] == MONTH}


def _files(home):
    folder = home / "published" / "reports" / MONTH
    return folder / f"金融运行简报_{MONTH}_v1.docx", folder / f"金融运行简报_{MONTH}_v1.html"


@pytest.fixture(scope="module")
def briefing(demo_run):
    """The .docx's paragraphs and table, and the .html's text, as a reader gets them."""
    docx_path, html_path = _files(demo_run["home"])
    document = docx.Document(io.BytesIO(docx_path.read_bytes()))
    page = html_path.read_text(encoding="utf-8")
    page_text = html_lib.unescape(re.sub(r"<[^>]+>", "\n", page))
    return {
        "paragraphs": [p.text for p in document.paragraphs if p.text.strip()],
        "table": [[c.text for c in row.cells] for row in document.tables[0].rows],
        "html": page,
        "html_text": page_text,
        "path": html_path,
    }


def _section_paragraphs(paragraphs: list[str]) -> list[str]:
    """The paragraphs of sections 一 to 九 (headings left out), before the county table."""
    start = paragraphs.index("一、金融支持实体经济")
    end = paragraphs.index("十、各县区主要指标")
    return [p for p in paragraphs[start:end] if not re.match(r"^[一二三四五六七八九]、", p)]


def test_every_fragment_of_briefing_md_verbatim(briefing):
    docx_text, html_text = "\n".join(briefing["paragraphs"]), briefing["html_text"]
    for fragment, _codes in FRAGMENTS:
        assert fragment in docx_text, fragment
        assert fragment in html_text, fragment


def _expected(slot: re.Match, figures: dict[str, Decimal]) -> str:
    code, idiom, step = slot.groups()
    value = figures[code]
    if idiom == "neg":
        assert value < 0, code  # the template says 减少/下降 for a negative change
        return num(-value)
    return IDIOMS[idiom](value, int(step)) if idiom else num(value)


def test_every_number_in_the_text_is_the_published_figure_it_came_from(briefing, demo_run):
    figures = _published(demo_run["home"])
    paragraphs = _section_paragraphs(briefing["paragraphs"])
    assert len(paragraphs) == len(PARAGRAPHS)
    for written, pattern in zip(paragraphs, PARAGRAPHS, strict=True):
        expected = _SLOT.sub(lambda m: _expected(m, figures), pattern)
        assert written == expected
        assert written in briefing["html_text"]


def test_county_table_shows_the_published_county_figures(briefing, demo_run):
    county = _county(demo_run["home"])
    header, *rows = briefing["table"]
    codes = ["L01", "L07", "L09", "L10", "L11", "V01", "V03"]
    assert header[0] == "县区" and len(rows) == 6 and rows[-1][0] == "全市"
    for row in rows:
        name = "鹤壁市" if row[0] == "全市" else row[0]
        for code, cell in zip(codes, row[1:], strict=True):
            assert cell == num(county[(code, name)]), (row[0], code)
            assert cell in briefing["html_text"]


def test_html_is_self_contained_and_the_browser_shows_the_charts(briefing, tmp_path):
    page = briefing["html"]
    for forbidden in ("http://", "https://", "<script", "<link", "url("):
        assert forbidden not in page, forbidden
    assert page.count('src="data:image/png;base64,') == 4
    from tests.e2e import browser

    binary = browser.chromium()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("chromium could not be installed from Debian's packages in CI")
        pytest.skip("chromium is not installed and cannot be installed here (not root or no apt-get)")
    # Tall enough for the whole page: the text, the table and the four charts below it.
    shot = browser.screenshot(binary, briefing["path"].as_uri(), tmp_path / "briefing.png", size="1000,5200")
    assert shot.exists() and shot.stat().st_size > 50_000, shot
    from PIL import Image

    with Image.open(shot) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 24)
    # The charts' bars (#4472c4) were painted by the browser: the embedded PNGs show.
    bars = sum(n for n, (r, g, b) in colours if abs(r - 0x44) < 8 and abs(g - 0x72) < 8 and abs(b - 0xC4) < 8)
    assert bars > 5_000
    if os.environ.get("FINSTAT_KEEP_SCREENSHOT"):  # docs/briefing.md's picture: look at it, then commit it
        shutil.copy(shot, os.environ["FINSTAT_KEEP_SCREENSHOT"])
