"""A briefing rendered from a published/ folder: withheld figures say why, the HTML says the same, the CLI."""

from __future__ import annotations

import io
import shutil

import docx
import pytest

from finstat.publication.release import releases_dir
from orchestration.cli import main
from reports.briefing.build import (
    SHIPPED_TEMPLATE_DIR,
    TEMPLATE_NAME,
    briefing_paths,
    render_briefing,
    template_path,
)
from reports.briefing.document import read_blocks


@pytest.fixture
def may(published, regions):
    return render_briefing(published, "2022-05", 1, regions, template_path(SHIPPED_TEMPLATE_DIR))


def _text(briefing) -> str:
    return "\n".join(block.text for block in briefing.blocks)


def test_published_figures_in_the_report_idiom(may):
    text = _text(may)
    assert "截至5月末，全市贷款余额785.03亿元，剔除不良贷款处置因素较年初实际增加58亿元、增幅7.15%；" in text
    assert (
        "平台已注册企业5000多家，12家银行机构在平台上线金融产品92支，累计授信97.93亿元，信贷投放40余亿元。"
        in text
    )
    # Negative changes are said as 减少/下降, never with a minus sign.
    assert "全市不良贷款余额16.29亿元，不良贷款率2.08%，较年初减少3.1亿元、下降0.55个百分点" in text
    assert "全市精准扶贫企业贷累计发放5278万元" in text


def test_a_withheld_figure_says_no_data_and_why_never_a_number(may):
    text = _text(may)
    assert "同比增长暂无数据（L05、L06：基期数据（2021-05）尚未入库）" in text
    assert "较上年同期" not in text
    assert "银企对接活动暂无数据（M01、M02、M03：本月未发布）" in text  # not in this published folder
    assert "本版已确认的警告：规则22，票据融资入账月份不同。" in text


def test_county_table_and_charts(may):
    (table,) = [b for b in may.blocks if b.kind == "table"]
    rows = {row[0]: row for row in table.rows}
    assert rows["浚县"][1] == "158.13" and rows["淇县"][1] == "117.8"
    assert rows["鹤山区"][1] == "暂无数据"  # no published county value: no number from elsewhere
    assert rows["全市"][1] == "785.03"
    assert sum(len(b.images) for b in may.blocks) == 4
    assert set(may.charts) == {"loans_trend", "county_loans", "npl_trend", "platform_trend"}


def test_html_is_self_contained_and_says_the_same_paragraphs(may):
    html = may.html
    for forbidden in ("http://", "https://", "<script", "<link", "@import", "url("):
        assert forbidden not in html, forbidden
    assert html.count('src="data:image/png;base64,') == 4
    for block in read_blocks(may.docx):
        if block.text:
            assert block.text in html or block.text.replace("“", "&ldquo;") in html, block.text


@pytest.fixture
def home(published, monkeypatch):
    # The CLI exports FINSTAT_* for Dagster: set then removed through monkeypatch, so whatever the
    # CLI writes there is put back as it was after the test (no FINSTAT_TEMPLATE_DIR meanwhile).
    for key in ("FINSTAT_LANDING", "FINSTAT_HOME", "FINSTAT_REFERENCE_DIR", "FINSTAT_TEMPLATE_DIR"):
        monkeypatch.setenv(key, "")
        monkeypatch.delenv(key)
    return published.parent


def _paragraphs(path) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(path.read_bytes())).paragraphs)


def test_cli_writes_the_latest_version_without_republishing(home, capsys):
    assert main(["--home", str(home), "briefing", "--month", "2022-05"]) == 0
    docx_path, html_path = briefing_paths(home / "published", "2022-05", 1)
    assert "全市贷款余额785.03亿元" in _paragraphs(docx_path)
    assert html_path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "2022-05 v1: briefing written" in capsys.readouterr().out


def test_cli_with_an_edited_template(home, tmp_path, monkeypatch):
    folder = tmp_path / "officer"
    folder.mkdir()
    document = docx.Document(SHIPPED_TEMPLATE_DIR / TEMPLATE_NAME)
    paragraph = next(p for p in document.paragraphs if "全市贷款余额{{ L01|num }}亿元" in p.text)
    for run in paragraph.runs:
        run.text = run.text.replace("全市贷款余额", "全市各项贷款余额")
    document.save(folder / TEMPLATE_NAME)
    assert main(["--home", str(home), "briefing", "--month", "2022-05", "--template", str(folder)]) == 0
    docx_path, _ = briefing_paths(home / "published", "2022-05", 1)
    assert "截至5月末，全市各项贷款余额785.03亿元" in _paragraphs(docx_path)
    # FINSTAT_TEMPLATE_DIR is the officer's template too; the shipped one is the default.
    monkeypatch.setenv("FINSTAT_TEMPLATE_DIR", str(folder))
    assert template_path() == folder.resolve() / TEMPLATE_NAME


def test_cli_refuses_a_bad_template_and_writes_nothing(home, tmp_path, capsys):
    folder = tmp_path / "bad"
    folder.mkdir()
    shutil.copy(SHIPPED_TEMPLATE_DIR / TEMPLATE_NAME, folder / TEMPLATE_NAME)
    document = docx.Document(folder / TEMPLATE_NAME)
    document.add_paragraph("新增指标{{ Z99|num }}")
    document.save(folder / TEMPLATE_NAME)
    before = sorted(p.name for p in releases_dir(home / "published").iterdir())
    assert main(["--home", str(home), "briefing", "--month", "2022-05", "--template", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "unknown indicator Z99" in err and "金融运行简报.docx, paragraph" in err and "Traceback" not in err
    assert sorted(p.name for p in releases_dir(home / "published").iterdir()) == before
    assert not briefing_paths(home / "published", "2022-05", 1)[0].exists()


def test_cli_says_a_month_is_not_published(home, capsys):
    assert main(["--home", str(home), "briefing", "--month", "2022-06"]) == 1
    err = capsys.readouterr().err
    assert "2022-06" in err and "no published version" in err and "Traceback" not in err
