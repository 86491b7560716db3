-- Rule 29: per programme report, district/county column (市本级 has no rate, so needs no row) and
-- item F01, F02, F04 with a value not zero: found = the rows poverty_households.csv has for
-- (year of M, county), expected = 1. The detail names the row to add.
with

credit_cells as (
    select period, inst_code, county_code, item_code, min(source_file) as source_file, min(row_number) as row_number
    from {{ ref('stg_bank_programmes__cells') }}
    where item_code in ('F01', 'F02', 'F04')
        and not is_total_column
        and county_code <> {{ city_region_code() }}
        and value <> 0
    group by period, inst_code, county_code, item_code
),

poverty_rows as (
    select year, region_code, count(*) as n_rows
    from {{ ref('stg_reference__poverty_households') }}
    group by year, region_code
),

checks as (
    select
        c.period,
        c.inst_code,
        c.county_code,
        c.item_code,
        'poverty_households.csv 行数' as measure,
        1 as expected,
        coalesce(p.n_rows, 0) as found,
        coalesce(p.n_rows, 0) - 1 as diff,
        case when p.n_rows is null then 1 else 0 end as abs_diff,
        0 as tolerance,
        p.n_rows is not null as passed,
        {{ programme_cell_label('inst.inst_name', 'c.inst_code', 'c.period', 'reg.region_name', 'c.county_code', 'c.item_code', "'户数/金额'") }}
        || ' 不为零，'
        || case
            when p.n_rows is null
                then
                    '但 poverty_households.csv 没有 year=' || substr(c.period, 1, 4) || '、region_code='
                    || c.county_code || ' 的行，无法计算该县区的户贷率/帮扶率。请在 poverty_households.csv 添加一行：'
                    || substr(c.period, 1, 4) || ',' || c.county_code || ',<脱贫户数>,<监测对象户数>'
                    || '（若文件已有该行，请检查文件是否通过校验）'
            else 'poverty_households.csv 有 ' || substr(c.period, 1, 4) || ' 年该县区的行'
        end
        || coalesce('（第 ' || c.row_number || ' 行）', '') as detail,
        c.source_file,
        c.row_number
    from credit_cells as c
    left join poverty_rows as p on p.year = substr(c.period, 1, 4) and p.region_code = c.county_code
    left join {{ ref('dim_institution') }} as inst on inst.inst_code = c.inst_code
    left join {{ ref('dim_region') }} as reg on reg.region_code = c.county_code
)

select {{ rule_output_columns(29) }}
from checks
