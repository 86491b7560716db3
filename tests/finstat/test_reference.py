"""The reference files: the city is regions.csv's row ending in 00, and every defect names file, row and column."""

from __future__ import annotations

import shutil

import pytest

from finstat.reference import ReferenceError, check_reference, dbt_vars, load_city, read_regions
from finstat.settings import SHIPPED_REFERENCE_DIR

REGIONS = "region_code,region_name\n410500,安阳市\n410502,文峰区\n410522,安阳县\n"
INSTITUTIONS = (
    "inst_code,inst_name,inst_type,is_rural_credit,region_code,reports_from,reports_to\n"
    "B0001H41050002,工行安阳分行,国有大型商业银行,false,410500,2020-01,\n"
    "B1281H41052222,安阳县农商银行,农村商业银行,是,410522,2020-01,2023-12\n"
)


def _folder(tmp_path, regions: str = REGIONS, institutions: str = INSTITUTIONS):
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "regions.csv").write_text(regions, encoding="utf-8")
    (tmp_path / "institutions.csv").write_text(institutions, encoding="utf-8")
    return tmp_path


def test_the_city_is_the_row_ending_in_00(tmp_path):
    found = check_reference(_folder(tmp_path))
    assert (found.regions.city.code, found.regions.city.name) == ("410500", "安阳市")
    assert found.regions.counties == ["410502", "410522"]
    assert [r["inst_code"] for r in found.institutions] == ["B0001H41050002", "B1281H41052222"]
    # No poverty_households.csv here: dbt is told not to read it (rule 29 names what is missing).
    assert dbt_vars(tmp_path) == {"city_region_code": "410500", "poverty_households_usable": False}
    (tmp_path / "poverty_households.csv").write_text(
        "year,region_code,脱贫户数,监测对象户数\n2022,410502,120,4\n", encoding="utf-8"
    )
    assert dbt_vars(tmp_path)["poverty_households_usable"] is True
    (tmp_path / "poverty_households.csv").write_text(
        "year,region_code,脱贫户数,监测对象户数\n2022,410502,120.5,4\n", encoding="utf-8"
    )
    assert dbt_vars(tmp_path)["poverty_households_usable"] is False


def test_the_shipped_demo_reference_is_valid():
    found = check_reference(SHIPPED_REFERENCE_DIR)
    assert found.regions.city == load_city(SHIPPED_REFERENCE_DIR)
    assert len(found.regions.counties) == len(found.regions.names) - 1 > 0


def test_excel_bom_and_blank_lines_are_accepted(tmp_path):
    folder = _folder(tmp_path, regions="\ufeff" + REGIONS + ",\n")
    assert read_regions(folder).city.code == "410500"


@pytest.mark.parametrize(
    ("regions", "names"),
    [
        ("region_code,region_name\n410502,文峰区\n", ["regions.csv", "found none"]),
        (REGIONS + "410600,鹤壁市\n", ["regions.csv", "410500 (row 2)", "410600 (row 5)"]),
        (REGIONS + "41050,殷都区\n", ["regions.csv row 5, column region_code", "'41050'"]),
        (REGIONS + "410502,北关区\n", ["regions.csv row 5, column region_code", "repeats row 3"]),
        (REGIONS + "410611,淇滨区\n", ["regions.csv row 5, column region_code", "must start with 4105"]),
        (REGIONS + "410505,\n", ["regions.csv row 5, column region_name", "empty"]),
        ("code,name\n410500,安阳市\n", ["regions.csv row 1", "missing column(s) region_code, region_name"]),
        ("region_code,region_name\n410500,安阳市\n", ["regions.csv", "no district or county"]),
    ],
)
def test_a_bad_regions_file_is_named_with_its_row(tmp_path, regions, names):
    with pytest.raises(ReferenceError) as caught:
        check_reference(_folder(tmp_path, regions=regions))
    for text in names:
        assert text in str(caught.value)


@pytest.mark.parametrize(
    ("line", "names"),
    [
        # The bug of issue 16: an institution of another city's register.
        (
            "B0002H41060003,农行,国有大型商业银行,false,410600,2020-01,",
            ["row 4, column region_code", "'410600'", "410500"],
        ),
        ("B0002,农行,国有大型商业银行,false,410500,2020-01,", ["row 4, column inst_code", "14-character"]),
        (
            "B0001H41050002,工行,国有大型商业银行,false,410500,2020-01,",
            ["row 4, column inst_code", "repeats row 2"],
        ),
        ("B0002H41050003,农行,银行,false,410500,2020-01,", ["row 4, column inst_type", "'银行'"]),
        ("B0002H41050003,农行,国有大型商业银行,maybe,410500,2020-01,", ["row 4, column is_rural_credit"]),
        (
            "B0002H41050003,农行,国有大型商业银行,false,410500,2020-1,",
            ["row 4, column reports_from", "'2020-1'"],
        ),
        (
            "B0002H41050003,农行,国有大型商业银行,false,410500,2021-01,2020-12",
            ["row 4, column reports_to", "before"],
        ),
    ],
)
def test_a_bad_register_row_is_named(tmp_path, line, names):
    with pytest.raises(ReferenceError) as caught:
        check_reference(_folder(tmp_path, institutions=INSTITUTIONS + line + "\n"))
    assert "institutions.csv" in str(caught.value)
    for text in names:
        assert text in str(caught.value)


def test_a_missing_or_non_utf8_file_is_named(tmp_path):
    shutil.copytree(SHIPPED_REFERENCE_DIR, tmp_path / "ref")
    (tmp_path / "ref" / "regions.csv").unlink()
    with pytest.raises(ReferenceError, match=r"regions\.csv: file not found"):
        check_reference(tmp_path / "ref")
    (tmp_path / "ref" / "regions.csv").write_bytes(REGIONS.encode("gb18030"))
    with pytest.raises(ReferenceError, match=r"regions\.csv: not UTF-8"):
        check_reference(tmp_path / "ref")


# --- poverty_households.csv: the denominators of the poverty-credit rates ---------------------------
POVERTY = (
    "year,region_code,脱贫户数,监测对象户数\n2022,410502,900,12\n2022,410522,4367,0\n2021,410502,905,15\n"
)


def test_poverty_households_are_read_per_year_and_county(tmp_path):
    folder = _folder(tmp_path)
    (folder / "poverty_households.csv").write_text("\ufeff" + POVERTY, encoding="utf-8")
    found = check_reference(folder)
    assert found.poverty_problem is None
    assert found.poverty.counts == {
        (2022, "410502"): (900, 12),
        (2022, "410522"): (4367, 0),
        (2021, "410502"): (905, 15),
    }
    assert found.poverty.years == [2021, 2022]
    assert found.poverty.counties_of(2021) == ["410502"]


def test_the_shipped_poverty_file_covers_every_county_of_the_demo_years():
    found = check_reference(SHIPPED_REFERENCE_DIR)
    assert found.poverty_problem is None
    for year in found.poverty.years:
        assert found.poverty.counties_of(year) == found.regions.counties, year


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("22,410502,1,1", ["row 5, column year", "'22' is not a year YYYY"]),
        ("2022年,410502,1,1", ["row 5, column year"]),
        ("2023,410500,1,1", ["row 5, column region_code", "410500 is the city 安阳市 itself", "市本级"]),
        ("2023,410611,1,1", ["row 5, column region_code", "'410611' is not a district or county"]),
        ("2023,410502,-3,1", ["row 5, column 脱贫户数", "'-3' is not a whole number"]),
        ("2023,410502,12.5,1", ["row 5, column 脱贫户数", "'12.5'"]),
        ("2023,410502,1,", ["row 5, column 监测对象户数", "''"]),
        ("2023,410502,1,1,000", ["row 5: 1 cell(s) more than the header's columns"]),  # a thousands separator
        ("2021,410502,1,1", ["row 5, column region_code", "2021 410502 repeats row 4"]),
    ],
)
def test_a_bad_poverty_row_is_named_and_only_the_poverty_rates_are_stopped(tmp_path, line, names):
    folder = _folder(tmp_path)
    (folder / "poverty_households.csv").write_text(POVERTY + line + "\n", encoding="utf-8")
    found = check_reference(folder)  # the other files stay usable: the loan figures run
    assert found.poverty is None and found.regions.city.code == "410500"
    assert found.poverty_problem.startswith(str(folder / "poverty_households.csv")), found.poverty_problem
    for name in names:
        assert name in found.poverty_problem, (name, found.poverty_problem)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (None, ["poverty_households.csv: file not found", "FINSTAT_REFERENCE_DIR"]),
        ("year,region_code,脱贫户数\n2022,410502,900\n", ["row 1: missing column(s) 监测对象户数"]),
        ("year,region_code,脱贫户数,监测对象户数\n", ["no row"]),
    ],
)
def test_a_missing_or_empty_poverty_file_is_named_never_a_zero_denominator(tmp_path, text, names):
    folder = _folder(tmp_path)
    if text is not None:
        (folder / "poverty_households.csv").write_text(text, encoding="utf-8")
    found = check_reference(folder)
    assert found.poverty is None
    for name in names:
        assert name in found.poverty_problem, (name, found.poverty_problem)
