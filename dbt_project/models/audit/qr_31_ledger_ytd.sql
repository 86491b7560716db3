-- Rule 31 (warn): per month with a ledger workbook and year-to-date figure of it (M01..M12 of the
-- 银企对接台账, S04..S06 of the 上市后备企业台账, G01 of the 监管文书台账), compared with the previous
-- month = the latest earlier month of the same year with that workbook: expected = its value, found
-- = this month's (amounts in 元, counts as counts), passed = not lower. For a figure that fell, one
-- failing row more per record it counted then and no longer counts (M01 活动编号, M05 项目编号, M08
-- 签约, G01 文号): deleted, or re-dated out of the year or past the end of the month.
{%- set figures = [
    ('ledger_matchmaking', 'M01', 'm01'), ('ledger_matchmaking', 'M02', 'm02'),
    ('ledger_matchmaking', 'M03', 'm03'), ('ledger_matchmaking', 'M04', 'm04'),
    ('ledger_matchmaking', 'M05', 'm05_yuan'), ('ledger_matchmaking', 'M06', 'm06_yuan'),
    ('ledger_matchmaking', 'M07', 'm07_yuan'), ('ledger_matchmaking', 'M08', 'm08_yuan'),
    ('ledger_matchmaking', 'M09', 'm09'), ('ledger_matchmaking', 'M10', 'm10'),
    ('ledger_matchmaking', 'M11', 'm11_yuan'), ('ledger_matchmaking', 'M12', 'm12'),
    ('ledger_listing', 'S04', 's04'), ('ledger_listing', 'S05', 's05'), ('ledger_listing', 'S06', 's06'),
    ('ledger_documents', 'G01', 'g01'),
] %}
with

workbooks as (
    select * from {{ ref('int_ledger__workbooks') }}
),

previous_in_year as (
    select
        w.period,
        w.lake_table,
        w.ledger,
        w.source_file,
        max(p.period) as previous_period
    from workbooks as w
    inner join workbooks as p
        on p.lake_table = w.lake_table and p.period < w.period and left(p.period, 4) = left(w.period, 4)
    group by w.period, w.lake_table, w.ledger, w.source_file
),

indicators as (
    select * from {{ ref('int_ledger_indicators') }}
),

catalogue as (
    select indicator_code, indicator_name, unit from {{ ref('indicators') }}
),

figure_values as (
    {%- for lake_table, code, column in figures %}
    select
        period, '{{ lake_table }}' as lake_table, '{{ code }}' as code,
        {{ 'true' if column.endswith('_yuan') else 'false' }} as is_amount,
        cast({{ column }} as decimal(38, 2)) as value
    from indicators
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

compared as (
    select
        w.period,
        w.previous_period,
        w.ledger,
        w.source_file,
        v.code,
        v.is_amount,
        p.value as expected,
        v.value as found
    from previous_in_year as w
    inner join figure_values as v on v.period = w.period and v.lake_table = w.lake_table
    inner join figure_values as p on p.period = w.previous_period and p.lake_table = w.lake_table and p.code = v.code
),

-- The records each figure counts in a month (the figures models' filters, read from the marts).
counted_records as (
    select period, 'M01' as code, '对接活动' as sheet, '活动编号' as key_name, activity_id as key_value
    from {{ ref('fct_ledger_activities') }}
    where is_in_year
    union all
    select period, 'M05' as code, '推介项目' as sheet, '项目编号' as key_name, project_id as key_value
    from {{ ref('fct_ledger_projects') }}
    where is_in_year
    union all
    select
        period, 'M08' as code, '签约' as sheet, '活动编号/项目编号/机构代码' as key_name,
        activity_id || '/' || project_id || '/' || inst_code as key_value
    from {{ ref('fct_ledger_signings') }}
    where is_activity_in_year
    union all
    select period, 'G01' as code, '文书' as sheet, '文号' as key_name, doc_no as key_value
    from {{ ref('fct_ledger_documents') }}
    where is_in_year and doc_type in ('整改通知书', '风险提示函')
),

dropped_records as (
    select
        c.period,
        c.previous_period,
        c.ledger,
        c.source_file,
        c.code,
        r.sheet,
        r.key_name,
        r.key_value
    from compared as c
    inner join counted_records as r on r.period = c.previous_period and r.code = c.code
    where c.found < c.expected
        and not exists (
            select 1 from counted_records as n
            where n.period = c.period and n.code = c.code and n.key_value = r.key_value
        )
),

checks as (
    select
        c.period,
        cast(null as string) as inst_code,
        cast(null as string) as county_code,
        c.code as item_code,
        '本年累计' as measure,
        c.expected,
        c.found,
        c.found - c.expected as diff,
        greatest(c.expected - c.found, 0) as abs_diff,
        cast(0 as decimal(38, 2)) as tolerance,
        c.found >= c.expected as passed,
        c.ledger || ' ' || c.period || '：' || c.code || ' ' || i.indicator_name || ' '
        || case when c.is_amount then {{ wan_amount_text('c.found') }} else {{ count_text('c.found') }} || ' ' || i.unit end
        || case when c.found < c.expected then '，低于 ' else '，不低于 ' end
        || c.previous_period || ' 台账的 '
        || case when c.is_amount then {{ wan_amount_text('c.expected') }} else {{ count_text('c.expected') }} || ' ' || i.unit end
        || case when c.found < c.expected then '（本年累计数不应减少：台账记录被删除或改了日期？）' else '' end
            as detail,
        c.source_file,
        cast(null as integer) as row_number,
        c.ledger,
        cast(null as string) as sheet,
        '指标' as key_name,
        c.code as key_value
    from compared as c
    inner join catalogue as i on i.indicator_code = c.code
    union all
    select
        d.period,
        cast(null as string) as inst_code,
        cast(null as string) as county_code,
        d.code as item_code,
        '记录' as measure,
        cast(1 as decimal(38, 2)) as expected,
        cast(0 as decimal(38, 2)) as found,
        cast(-1 as decimal(38, 2)) as diff,
        cast(1 as decimal(38, 2)) as abs_diff,
        cast(0 as decimal(38, 2)) as tolerance,
        false as passed,
        d.ledger || ' ' || d.period || ' 工作表 ' || d.sheet || '：' || d.key_name || ' ' || d.key_value
        || ' 计入 ' || d.previous_period || ' 台账的 ' || d.code || '，本月不再计入（记录被删除，或日期改到本年之外或月末之后）'
            as detail,
        d.source_file,
        cast(null as integer) as row_number,
        d.ledger,
        d.sheet,
        d.key_name,
        d.key_value
    from dropped_records as d
)

select
    {{ rule_output_columns(31) }},
    {{ ledger_rule_extra_columns() }}
from checks
