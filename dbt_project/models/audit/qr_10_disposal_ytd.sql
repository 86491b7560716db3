-- Rule 10: per report and disposal method (D01..D07, absent = zero), two kinds of row:
--   本年累计:       found = 本年累计 at M, expected = sum of 本月 over the year's reports to M
--   本年累计较上月: found = 本年累计 at M, expected = 本年累计 of M-1 (same year); abs_diff = decrease
with

reports as (
    select r.period, r.inst_code, r.source_files, m.year, m.month_of_year, m.previous_period
    from {{ ref('int_bank_loans__reports') }} as r
    inner join {{ ref('dim_month') }} as m on m.period = r.period
),

-- Before the lake's first month nothing can be summed: such years are checked from their start only.
lake_start as (
    select min(period) as first_period from reports
),

methods as (
    select item_code, item_name from {{ ref('dim_item') }} where item_kind = 'disposal'
),

amounts as (
    select
        r.period,
        r.inst_code,
        r.year,
        r.month_of_year,
        r.previous_period,
        m.item_code,
        m.item_name,
        coalesce(d.amount_month_yuan, 0) as month_yuan,
        coalesce(d.amount_ytd_yuan, 0) as ytd_yuan,
        coalesce(d.source_file, r.source_files) as source_file,
        d.row_number
    from reports as r
    cross join methods as m
    left join {{ ref('fct_loan_disposals') }} as d
        on d.period = r.period and d.inst_code = r.inst_code and d.item_code = m.item_code
),

year_to_date as (
    select
        a.period,
        a.inst_code,
        a.item_code,
        sum(b.month_yuan) as month_sum_yuan,
        count(b.period) as n_months
    from amounts as a
    inner join amounts as b
        on b.inst_code = a.inst_code and b.item_code = a.item_code
            and b.year = a.year and b.period <= a.period
    group by a.period, a.inst_code, a.item_code
),

sum_rows as (
    select
        a.period,
        a.inst_code,
        a.item_code,
        '本年累计' as measure,
        y.month_sum_yuan as expected,
        a.ytd_yuan as found,
        a.ytd_yuan - y.month_sum_yuan as diff,
        abs(a.ytd_yuan - y.month_sum_yuan) as abs_diff,
        {{ cell_tolerance_yuan('y.n_months') }} as tolerance,
        abs(a.ytd_yuan - y.month_sum_yuan) <= {{ cell_tolerance_yuan('y.n_months') }} as passed,
        a.item_name || '（' || a.item_code || '）本年累计 ' || {{ wan_amount_text('a.ytd_yuan') }}
        || '，本年 ' || y.n_months || ' 个月报表的本月发生额之和 ' || {{ wan_amount_text('y.month_sum_yuan') }}
        || '，差额 ' || {{ wan_amount_text('a.ytd_yuan - y.month_sum_yuan') }}
        || case
            when y.n_months < a.month_of_year
                then '（本年有 ' || (a.month_of_year - y.n_months) || ' 个月无报表）'
            else ''
        end as what,
        a.source_file,
        a.row_number
    from amounts as a
    inner join year_to_date as y
        on y.period = a.period and y.inst_code = a.inst_code and y.item_code = a.item_code
    cross join lake_start as s
    where cast(a.year as string) || '-01' >= s.first_period
),

decrease_rows as (
    select
        a.period,
        a.inst_code,
        a.item_code,
        '本年累计较上月' as measure,
        p.ytd_yuan as expected,
        a.ytd_yuan as found,
        a.ytd_yuan - p.ytd_yuan as diff,
        greatest(p.ytd_yuan - a.ytd_yuan, 0) as abs_diff,
        {{ cell_tolerance_yuan(1) }} as tolerance,
        greatest(p.ytd_yuan - a.ytd_yuan, 0) <= {{ cell_tolerance_yuan(1) }} as passed,
        a.item_name || '（' || a.item_code || '）本年累计 ' || {{ wan_amount_text('a.ytd_yuan') }}
        || case when a.ytd_yuan < p.ytd_yuan then '，比上月（' else '，不低于上月（' end
        || p.period || '）' || {{ wan_amount_text('p.ytd_yuan') }}
        || case when a.ytd_yuan < p.ytd_yuan then ' 减少 ' || {{ wan_amount_text('p.ytd_yuan - a.ytd_yuan') }} else '' end
            as what,
        a.source_file,
        a.row_number
    from amounts as a
    inner join amounts as p
        on p.inst_code = a.inst_code and p.item_code = a.item_code
            and p.period = a.previous_period and p.year = a.year
),

checks as (
    select
        x.*,
        {{ city_region_code() }} as county_code,
        {{ inst_label('inst.inst_name', 'x.inst_code') }} || ' ' || x.period || ' 不良贷款处置：' || x.what
        || coalesce('（第 ' || x.row_number || ' 行）', '') as detail
    -- Positional: both CTEs list the same columns in the same order (Spark has no union by name).
    from (
        select * from sum_rows
        union all
        select * from decrease_rows
    ) as x
    left join {{ ref('dim_institution') }} as inst on inst.inst_code = x.inst_code
)

select {{ rule_output_columns(10) }}
from checks
