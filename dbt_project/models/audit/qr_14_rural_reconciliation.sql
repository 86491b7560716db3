-- Rule 14: per rural-credit institution in scope and month with a bank_loans report or loan detail
-- (a missing side counts as 0), one row per checked item: A01 = sum of 贷款余额, C03/C04/C05 = the
-- loan-level NPL by class (measure 余额), D01..D07 本月 = 处置本金 by method (measure 本月).
-- expected = the bank_loans report, found = the loan level, tolerance 1 万元.
with

rural_institutions as (
    select inst_code, inst_name, reports_from, reports_to
    from {{ ref('dim_institution') }}
    where is_rural_credit
),

bank_rows as (
    select period, inst_code, item_code, '余额' as measure, amount_yuan, source_file
    from {{ ref('fct_loan_balances') }}
    where item_code in ('A01', 'C03', 'C04', 'C05')
    union all
    select period, inst_code, item_code, '本月' as measure, amount_month_yuan as amount_yuan, source_file
    from {{ ref('fct_loan_disposals') }}
),

-- The loan side from the per-county aggregates (fct_rural_npl), not the loans: same sums, and the
-- cost does not grow with a province's loan count or the months of history.
loan_rows as (
    select period, inst_code, 'A01' as item_code, '余额' as measure, balance_yuan as amount_yuan, source_file
    from {{ ref('fct_rural_npl') }}
    union all
    select period, inst_code, 'C03' as item_code, '余额' as measure, substandard_yuan as amount_yuan, source_file
    from {{ ref('fct_rural_npl') }}
    where substandard_yuan <> 0
    union all
    select period, inst_code, 'C04' as item_code, '余额' as measure, doubtful_yuan as amount_yuan, source_file
    from {{ ref('fct_rural_npl') }}
    where doubtful_yuan <> 0
    union all
    select period, inst_code, 'C05' as item_code, '余额' as measure, loss_yuan as amount_yuan, source_file
    from {{ ref('fct_rural_npl') }}
    where loss_yuan <> 0
    union all
    select period, inst_code, method_item as item_code, '本月' as measure, principal_yuan as amount_yuan, source_file
    from {{ ref('fct_rural_disposals') }}
),

bank as (
    select
        period, inst_code, item_code, measure, sum(amount_yuan) as amount_yuan,
        {{ string_agg_sorted('source_file', '; ', distinct=true) }} as source_file
    from bank_rows
    group by period, inst_code, item_code, measure
),

loan_level as (
    select
        period, inst_code, item_code, measure, sum(amount_yuan) as amount_yuan,
        {{ string_agg_sorted('source_file', '; ', distinct=true) }} as source_file
    from loan_rows
    group by period, inst_code, item_code, measure
),

loan_detail_months as (
    select distinct period, inst_code from {{ ref('fct_rural_npl') }}
),

inst_months as (
    select
        m.period,
        m.inst_code,
        i.inst_name,
        r.inst_code is not null as has_bank_report,
        d.inst_code is not null as has_loan_detail
    from (
        select period, inst_code from {{ ref('int_bank_loans__reports') }}
        union
        select period, inst_code from loan_detail_months
        union
        select period, inst_code from {{ ref('fct_rural_disposals') }}
    ) as m
    inner join rural_institutions as i
        on i.inst_code = m.inst_code
            and i.reports_from <= m.period
            and (i.reports_to is null or i.reports_to >= m.period)
    left join {{ ref('int_bank_loans__reports') }} as r on r.period = m.period and r.inst_code = m.inst_code
    left join loan_detail_months as d on d.period = m.period and d.inst_code = m.inst_code
),

checked_items as (
    select item_code, item_name, case when item_kind = 'disposal' then '本月' else '余额' end as measure
    from {{ ref('dim_item') }}
    where item_code in ('A01', 'C03', 'C04', 'C05') or item_kind = 'disposal'
),

compared as (
    select
        im.period,
        im.inst_code,
        im.inst_name,
        k.item_code,
        k.item_name,
        k.measure,
        coalesce(b.amount_yuan, 0) as expected,
        coalesce(l.amount_yuan, 0) as found,
        coalesce(l.source_file, b.source_file) as source_file,
        im.has_bank_report,
        im.has_loan_detail
    from inst_months as im
    cross join checked_items as k
    left join bank as b
        on b.period = im.period and b.inst_code = im.inst_code
            and b.item_code = k.item_code and b.measure = k.measure
    left join loan_level as l
        on l.period = im.period and l.inst_code = im.inst_code
            and l.item_code = k.item_code and l.measure = k.measure
),

checks as (
    select
        x.period,
        x.inst_code,
        null as county_code,
        x.item_code,
        x.measure,
        x.expected,
        x.found,
        x.found - x.expected as diff,
        abs(x.found - x.expected) as abs_diff,
        10000.00 as tolerance,
        abs(x.found - x.expected) <= 10000.00 as passed,
        {{ inst_label('x.inst_name', 'x.inst_code') }} || ' ' || x.period || ' '
        || {{ item_label('x.item_name', 'x.item_code') }}
        || case when x.measure = '本月' then '本月处置：贷款月报 ' else '余额：贷款月报 ' end
        || {{ wan_amount_text('x.expected') }}
        || case when x.measure = '本月' then '，不良处置明细处置本金合计 ' else '，贷款明细合计 ' end
        || {{ wan_amount_text('x.found') }} || '，差额 ' || {{ wan_amount_text('x.found - x.expected') }}
        || case
            when abs(x.found - x.expected) <= 10000.00 then '（容差 1 万元以内）'
            else '，超过 1 万元容差，请机构核对贷款明细与贷款月报'
        end
        || case
            when not x.has_bank_report then '（本月未收到贷款月报）'
            when not x.has_loan_detail then '（本月未收到贷款明细）'
            else ''
        end as detail,
        x.source_file,
        null as row_number
    from compared as x
)

select {{ rule_output_columns(14) }}
from checks
