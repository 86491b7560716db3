-- Rule 16 (warn): one row per loan whose borrower's 证件号码 failed its check digit at ingestion
-- (GB 11643 身份证, GB 32100 统一社会信用代码). The number itself never left ingestion: the detail
-- names the loan and the institution's 客户号 so the institution can correct its record.
-- Incremental by month (macros/build_periods.sql).
{{ incremental_by_month() }}
with

-- Only the flagged loans are read whole; the institution's balance comes from the per-county
-- aggregates, so a month of ten million loans is scanned once, on two columns.
loans as (
    select *
    from {{ ref('fct_rural_loan_month') }}
    where coalesce(not id_check_ok, false)
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
        null as item_code,
        '证件号码校验位' as measure,
        1 as expected,
        0 as found,
        -1 as diff,
        1 as abs_diff,
        0 as tolerance,
        false as passed,
        {{ inst_label('inst.inst_name', 'x.inst_code') }} || ' ' || x.period || ' 借据号 ' || x.loan_id
        || coalesce('（客户号 ' || x.customer_no || '）', '') || '：借款人' || x.id_type || '号码校验位不正确（'
        || case when x.id_type = '身份证' then 'GB 11643' else 'GB 32100' end || '），贷款余额 '
        || {{ wan_text('x.balance_yuan') }} || '。该机构本月共 ' || x.n_flagged || ' 笔、余额 '
        || {{ wan_text('x.flagged_yuan') }} || '，占其贷款余额的 '
        || coalesce(cast(round(x.share_of_inst_balance_pct, 2) as string), '-')
        || '%。请机构核对客户证件号码并在下月明细中更正（第 ' || x.row_number || ' 行）' as detail,
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
    {{ rule_output_columns(16) }},
    {{ loan_rule_extra_columns() }}
from checks
