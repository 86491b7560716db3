-- Rule 15 (warn): one row per loan more than 90 days overdue still classed 正常 or 关注; found = days
-- overdue, expected = 90. Also the loan's balance, its institution's balance and the share of that
-- balance such loans hold at the institution this month.
-- Incremental by month (macros/build_periods.sql).
{{ incremental_by_month() }}
with

-- Only the flagged loans are read whole; the institution's balance comes from the per-county
-- aggregates, so a month of ten million loans is scanned once, on two columns.
loans as (
    select *
    from {{ ref('fct_rural_loan_month') }}
    where overdue_days > 90 and risk_class in ('正常', '关注')
    {% if is_incremental() %}and period in {{ build_periods() }}{% endif %}
),

institutions as (
    {{ flagged_loans_by_institution('loans') }}
),

flagged as (
    select
        l.*,
        t.inst_balance_yuan,
        t.n_flagged,
        t.flagged_yuan,
        {{ exact_pct('t.flagged_yuan', 't.inst_balance_yuan') }} as share_of_inst_balance_pct
    from loans as l
    inner join institutions as t on t.period = l.period and t.inst_code = l.inst_code
),

checks as (
    select
        x.period,
        x.inst_code,
        x.county_code,
        x.risk_item as item_code,
        '逾期天数' as measure,
        90 as expected,
        x.overdue_days as found,
        x.overdue_days - 90 as diff,
        x.overdue_days - 90 as abs_diff,
        0 as tolerance,
        false as passed,
        {{ inst_label('inst.inst_name', 'x.inst_code') }} || ' ' || x.period || ' 借据号 ' || x.loan_id
        || '：逾期 ' || x.overdue_days || ' 天，五级分类仍为' || x.risk_class || '类，贷款余额 '
        || {{ wan_text('x.balance_yuan') }} || '。该机构本月此类贷款共 ' || x.n_flagged || ' 笔、余额 '
        || {{ wan_text('x.flagged_yuan') }} || '，占其贷款余额（' || {{ wan_text('x.inst_balance_yuan') }}
        || '）的 ' || coalesce(cast(round(x.share_of_inst_balance_pct, 2) as string), '-')
        || '%。逾期 90 天以上一般应划入不良，请机构核实五级分类（第 ' || x.row_number || ' 行）' as detail,
        x.source_file,
        x.row_number,
        x.loan_id,
        x.balance_yuan,
        x.inst_balance_yuan,
        x.share_of_inst_balance_pct
    from flagged as x
    left join {{ ref('dim_institution') }} as inst on inst.inst_code = x.inst_code
)

select
    {{ rule_output_columns(15) }},
    {{ loan_rule_extra_columns() }}
from checks
