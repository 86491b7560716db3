-- Rule 24: within each programme report, four kinds of row (an absent cell counts as zero):
--   合计:        per item and 计量 of a report with a 合计 column: found = 合计, expected = the sum
--                of the county columns (0.01 万元 per summed cell; 户数 exactly)
--   F03<=F02:    per county column and 合计, 户数 and 金额: found = F03, expected = F02
--   整数:        per 户数 cell: found = as reported, expected = its whole part
--   户数与金额:  F01, F02, F03, E01, E03 per county column and 合计: 户数 is 0 exactly when 金额
--                is 0 (found = 户数, expected = 金额 in 元; no tolerance: the SQL decides)
with

cells as (
    select * from {{ ref('stg_bank_programmes__cells') }}
),

reports_with_total as (
    select distinct period, inst_code from cells where is_total_column
),

lines as (
    select c.period, c.inst_code, c.item_code, c.quantity, min(c.source_file) as source_file
    from cells as c
    inner join reports_with_total as r on r.period = c.period and r.inst_code = c.inst_code
    group by c.period, c.inst_code, c.item_code, c.quantity
),

county_sums as (
    select period, inst_code, item_code, quantity, sum(value) as value, count(*) as n_columns
    from cells
    where not is_total_column
    group by period, inst_code, item_code, quantity
),

total_rows as (
    select
        l.period,
        l.inst_code,
        'TOTAL' as county_code,
        l.item_code,
        l.quantity as measure,
        coalesce(s.value, 0) as expected,
        coalesce(t.value, 0) as found,
        case when l.quantity = '金额' then {{ cell_tolerance_yuan('coalesce(s.n_columns, 0)') }} else 0 end
            as tolerance,
        '合计 ' || {{ programme_value_text('coalesce(t.value, 0)', 'l.quantity') }} || '，'
        || coalesce(s.n_columns, 0) || ' 个县区列之和 ' || {{ programme_value_text('coalesce(s.value, 0)', 'l.quantity') }}
            as what,
        coalesce(t.source_file, l.source_file) as source_file,
        t.row_number
    from lines as l
    left join county_sums as s
        on s.period = l.period and s.inst_code = l.inst_code
            and s.item_code = l.item_code and s.quantity = l.quantity
    left join cells as t
        on t.period = l.period and t.inst_code = l.inst_code and t.item_code = l.item_code
            and t.quantity = l.quantity and t.is_total_column
),

overdue_pairs as (
    select
        period,
        inst_code,
        county_code,
        quantity,
        sum(case when item_code = 'F02' then value else 0 end) as f02,
        sum(case when item_code = 'F03' then value else 0 end) as f03,
        min(source_file) as source_file,
        min(case when item_code = 'F03' then row_number end) as row_number
    from cells
    where item_code in ('F02', 'F03')
    group by period, inst_code, county_code, quantity
),

overdue_rows as (
    select
        period,
        inst_code,
        county_code,
        'F03' as item_code,
        quantity as measure,
        f02 as expected,
        f03 as found,
        cast(0 as decimal(38, 2)) as tolerance,
        '其中逾期（F03）' || {{ programme_value_text('f03', 'quantity') }}
        || case when f03 > f02 then ' 超过' else ' 不超过' end
        || '脱贫人口小额信贷余额（F02）' || {{ programme_value_text('f02', 'quantity') }} as what,
        source_file,
        row_number
    from overdue_pairs
),

whole_rows as (
    select
        period,
        inst_code,
        county_code,
        item_code,
        quantity as measure,
        floor(value) as expected,
        value as found,
        cast(0 as decimal(38, 2)) as tolerance,
        '户数 ' || {{ count_text('value') }}
        || case when value = floor(value) then '（整数）' else ' 不是整数（户数应为整户/整家）' end as what,
        source_file,
        row_number
    from cells
    where quantity = '户数'
),

zero_pairs as (
    select
        period,
        inst_code,
        county_code,
        item_code,
        sum(case when quantity = '户数' then value else 0 end) as households,
        sum(case when quantity = '金额' then value else 0 end) as amount,
        min(source_file) as source_file,
        min(row_number) as row_number
    from cells
    where item_code in ('F01', 'F02', 'F03', 'E01', 'E03')
    group by period, inst_code, county_code, item_code
),

zero_rows as (
    select
        period,
        inst_code,
        county_code,
        item_code,
        '户数与金额' as measure,
        amount as expected,
        households as found,
        cast(null as decimal(38, 2)) as tolerance,
        '户数 ' || {{ count_text('households') }} || '，金额 ' || {{ wan_amount_text('amount') }}
        || case
            when (households = 0) = (amount = 0) then '（同为零或同不为零）'
            when households = 0 then '：有金额而户数为 0'
            else '：有户数而金额为 0'
        end as what,
        source_file,
        row_number
    from zero_pairs
),

rows_checked as (
    -- Positional: every CTE lists the same columns in the same order (Spark has no union by name).
    select *, abs(found - expected) as abs_diff, abs(found - expected) <= tolerance as passed from total_rows
    union all
    select *, greatest(found - expected, 0) as abs_diff, found <= expected as passed from overdue_rows
    union all
    select *, abs(found - expected) as abs_diff, found = expected as passed from whole_rows
    union all
    select *, cast(null as decimal(38, 2)) as abs_diff, (found = 0) = (expected = 0) as passed from zero_rows
),

checks as (
    select
        x.period,
        x.inst_code,
        x.county_code,
        x.item_code,
        x.measure,
        x.expected,
        x.found,
        case when x.measure = '户数与金额' then null else x.found - x.expected end as diff,
        x.abs_diff,
        x.tolerance,
        x.passed,
        {{ programme_cell_label('inst.inst_name', 'x.inst_code', 'x.period', 'reg.region_name', 'x.county_code', 'x.item_code', 'x.measure') }}
        || '：' || x.what
        || coalesce('（第 ' || x.row_number || ' 行）', '') as detail,
        x.source_file,
        x.row_number
    from rows_checked as x
    left join {{ ref('dim_institution') }} as inst on inst.inst_code = x.inst_code
    left join {{ ref('dim_region') }} as reg on reg.region_code = x.county_code
)

select {{ rule_output_columns(24) }}
from checks
