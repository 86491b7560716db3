-- Rule 25: per programme report with a previous one, for the 本年累计 items (F01, E01, E02, E03:
-- previous = the institution's latest earlier report of the same year) and F04 (since the
-- programme began: its latest earlier report), per county column, 计量 and 合计 (the sum of the
-- county columns): found = this month, expected = the previous report's; abs_diff = the decrease
-- (0.01 万元 per summed cell; 户数 exactly). An absent cell counts as zero.
with

county_cells as (
    select period, inst_code, county_code, item_code, quantity, value, source_file, row_number
    from {{ ref('stg_bank_programmes__cells') }}
    where not is_total_column and item_code in ('F01', 'E01', 'E02', 'E03', 'F04')
),

cell_values as (
    select
        period, inst_code, county_code, item_code, quantity, value, source_file, row_number,
        1 as n_columns
    from county_cells
    union all
    select
        period, inst_code, 'TOTAL' as county_code, item_code, quantity, sum(value) as value,
        min(source_file) as source_file, null as row_number, count(*) as n_columns
    from county_cells
    group by period, inst_code, item_code, quantity
),

-- The items checked (an item no report has cannot have fallen).
cumulative_items as (
    select distinct item_code from county_cells
),

reports as (
    select distinct period, inst_code, source_file from {{ ref('stg_bank_programmes__cells') }}
),

previous_reports as (
    select
        r.period,
        r.inst_code,
        max(case when substr(p.period, 1, 4) = substr(r.period, 1, 4) then p.period end) as previous_in_year,
        max(p.period) as previous_any
    from reports as r
    inner join reports as p on p.inst_code = r.inst_code and p.period < r.period
    group by r.period, r.inst_code
),

checked as (
    select
        p.period,
        p.inst_code,
        i.item_code,
        case when i.item_code = 'F04' then p.previous_any else p.previous_in_year end as previous_period
    from previous_reports as p
    cross join cumulative_items as i
),

cell_keys as (
    select c.period, c.inst_code, c.item_code, c.previous_period, v.county_code, v.quantity
    from checked as c
    inner join cell_values as v
        on v.inst_code = c.inst_code and v.item_code = c.item_code and v.period = c.period
    where c.previous_period is not null
    union
    select c.period, c.inst_code, c.item_code, c.previous_period, v.county_code, v.quantity
    from checked as c
    inner join cell_values as v
        on v.inst_code = c.inst_code and v.item_code = c.item_code and v.period = c.previous_period
),

compared as (
    select
        k.period,
        k.inst_code,
        k.county_code,
        k.item_code,
        k.quantity,
        k.previous_period,
        coalesce(p.value, 0) as expected,
        coalesce(v.value, 0) as found,
        case
            when k.quantity = '金额'
                then {{ cell_tolerance_yuan('greatest(coalesce(v.n_columns, 0), coalesce(p.n_columns, 0))') }}
            else 0
        end as tolerance,
        coalesce(v.source_file, r.source_file) as source_file,
        v.row_number
    from cell_keys as k
    inner join reports as r on r.period = k.period and r.inst_code = k.inst_code
    left join cell_values as v
        on v.period = k.period and v.inst_code = k.inst_code and v.item_code = k.item_code
            and v.county_code = k.county_code and v.quantity = k.quantity
    left join cell_values as p
        on p.period = k.previous_period and p.inst_code = k.inst_code and p.item_code = k.item_code
            and p.county_code = k.county_code and p.quantity = k.quantity
),

checks as (
    select
        x.period,
        x.inst_code,
        x.county_code,
        x.item_code,
        x.quantity as measure,
        x.expected,
        x.found,
        x.found - x.expected as diff,
        greatest(x.expected - x.found, 0) as abs_diff,
        x.tolerance,
        greatest(x.expected - x.found, 0) <= x.tolerance as passed,
        {{ programme_cell_label('inst.inst_name', 'x.inst_code', 'x.period', 'reg.region_name', 'x.county_code', 'x.item_code', 'x.quantity') }}
        || case when x.item_code = 'F04' then '（自开办以来累计）' else '（本年累计）' end
        || ' ' || {{ programme_value_text('x.found', 'x.quantity') }}
        || case when x.found < x.expected then '，比 ' else '，不低于 ' end
        || x.previous_period || ' 的 ' || {{ programme_value_text('x.expected', 'x.quantity') }}
        || case
            when x.found < x.expected
                then '，减少 ' || {{ programme_value_text('x.expected - x.found', 'x.quantity') }} || '（累计数不应减少）'
            else ''
        end
        || case when x.county_code = 'TOTAL' then '（县区列之和）' else '' end
        || coalesce('（第 ' || x.row_number || ' 行）', '') as detail,
        x.source_file,
        x.row_number
    from compared as x
    left join {{ ref('dim_institution') }} as inst on inst.inst_code = x.inst_code
    left join {{ ref('dim_region') }} as reg on reg.region_code = x.county_code
)

select {{ rule_output_columns(25) }}
from checks
