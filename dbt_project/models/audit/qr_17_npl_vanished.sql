-- Rule 17 (warn): one row per loan that was 次级/可疑/损失 at M-1 and is absent from the institution's
-- loan detail at M with no disposal record for its 借据号 at M. Checked only where the institution
-- delivered loan detail for both months. expected = last month's balance, found = 0; the extra
-- columns give last month's balance of the institution and the share of it that vanished.
-- Incremental by month (macros/build_periods.sql). Months are checked months: a rebuilt month's next month is checked again.
{{ incremental_by_month(shifts=[0, 1]) }}
with

loans as (
    select * from {{ ref('fct_rural_loan_month') }}
    -- The checked months and the months before them.
    {% if is_incremental() %}where period in {{ build_periods(shifts=[-1, 0, 1]) }}{% endif %}
),

delivered as (
    select
        period,
        inst_code,
        {{ period_add('period', 1) }} as next_period,
        sum(balance_yuan) as inst_balance_yuan
    from loans
    group by period, inst_code
),

vanished as (
    select
        p.*,
        d.next_period as checked_period,
        d.inst_balance_yuan
    from loans as p
    inner join delivered as d on d.period = p.period and d.inst_code = p.inst_code
    -- The institution sent loan detail for the next month: a missing file is not a vanished loan.
    inner join delivered as n on n.period = d.next_period and n.inst_code = p.inst_code
    where p.is_npl
        {% if is_incremental() %}and d.next_period in {{ build_periods(shifts=[0, 1]) }}{% endif %}
        and not exists (
            select 1 from loans as c
            where c.period = d.next_period and c.inst_code = p.inst_code and c.loan_id = p.loan_id
        )
        and not exists (
            select 1 from {{ ref('fct_rural_disposals') }} as x
            where x.period = d.next_period and x.inst_code = p.inst_code and x.loan_id = p.loan_id
        )
),

shares as (
    select
        *,
        count(*) over (partition by checked_period, inst_code) as n_vanished,
        sum(balance_yuan) over (partition by checked_period, inst_code) as vanished_yuan
    from vanished
),

checks as (
    select
        x.checked_period as period,
        x.inst_code,
        x.county_code,
        x.risk_item as item_code,
        '余额' as measure,
        x.balance_yuan as expected,
        0 as found,
        -x.balance_yuan as diff,
        x.balance_yuan as abs_diff,
        null as tolerance,
        false as passed,
        {{ inst_label('inst.inst_name', 'x.inst_code') }} || ' ' || x.checked_period || ' 借据号 ' || x.loan_id
        || '：上月（' || x.period || '）为' || x.risk_class || '类、贷款余额 ' || {{ wan_text('x.balance_yuan') }}
        || '，本月贷款明细中没有该笔贷款，不良处置明细中也没有对应记录。该机构本月此类贷款共 ' || x.n_vanished
        || ' 笔、上月余额 ' || {{ wan_text('x.vanished_yuan') }} || '，占其上月贷款余额的 '
        || coalesce(cast(round({{ exact_pct('x.vanished_yuan', 'x.inst_balance_yuan') }}, 2) as string), '-')
        || '%。请机构说明去向：补报处置记录，或更正贷款明细（上月明细第 ' || x.row_number || ' 行）' as detail,
        x.source_file,
        x.row_number,
        x.loan_id,
        x.balance_yuan,
        x.inst_balance_yuan,
        {{ exact_pct('x.vanished_yuan', 'x.inst_balance_yuan') }} as share_of_inst_balance_pct
    from shares as x
    left join {{ ref('dim_institution') }} as inst on inst.inst_code = x.inst_code
)

select
    {{ rule_output_columns(17) }},
    {{ loan_rule_extra_columns() }}
from checks
