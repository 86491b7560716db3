-- Rule 26: per rural-credit institution in scope with a programme report, county and 计量: found =
-- its F02 (脱贫人口小额信贷余额) as reported, expected = its loan-level poverty micro-credit of the
-- month (金额 = sum of 贷款余额 with 脱贫人口小额信贷标志, tolerance 1 万元; 户数 = distinct such
-- borrowers, exactly). A county on one side only counts as zero on the other.
with

rural_reports as (
    select distinct c.period, c.inst_code, c.source_file, i.inst_name
    from {{ ref('stg_bank_programmes__cells') }} as c
    inner join {{ ref('dim_institution') }} as i
        on i.inst_code = c.inst_code and i.is_rural_credit
            and i.reports_from <= c.period and (i.reports_to is null or i.reports_to >= c.period)
),

reported as (
    select
        period,
        inst_code,
        county_code,
        quantity,
        sum(value) as value,
        min(row_number) as row_number
    from {{ ref('stg_bank_programmes__cells') }}
    where item_code = 'F02' and not is_total_column
    group by period, inst_code, county_code, quantity
),

poverty_loans as (
    select
        period,
        inst_code,
        county_code,
        sum(balance_yuan) as amount,
        count(distinct borrower_key) as households
    from {{ ref('fct_rural_loan_month') }}
    where poverty_flag
    group by period, inst_code, county_code
),

loan_level as (
    select period, inst_code, county_code, '金额' as quantity, amount as value from poverty_loans
    union all
    select period, inst_code, county_code, '户数' as quantity, households as value from poverty_loans
),

detail_months as (
    select distinct period, inst_code from {{ ref('fct_rural_loan_month') }}
),

cell_keys as (
    select period, inst_code, county_code, quantity from reported
    union
    select period, inst_code, county_code, quantity from loan_level
),

compared as (
    select
        r.period,
        r.inst_code,
        r.inst_name,
        k.county_code,
        k.quantity,
        coalesce(l.value, 0) as expected,
        coalesce(f.value, 0) as found,
        case when k.quantity = '金额' then 10000.00 else 0 end as tolerance,
        r.source_file,
        f.row_number,
        d.inst_code is not null as has_loan_detail
    from rural_reports as r
    inner join cell_keys as k on k.period = r.period and k.inst_code = r.inst_code
    left join reported as f
        on f.period = k.period and f.inst_code = k.inst_code
            and f.county_code = k.county_code and f.quantity = k.quantity
    left join loan_level as l
        on l.period = k.period and l.inst_code = k.inst_code
            and l.county_code = k.county_code and l.quantity = k.quantity
    left join detail_months as d on d.period = r.period and d.inst_code = r.inst_code
),

checks as (
    select
        x.period,
        x.inst_code,
        x.county_code,
        'F02' as item_code,
        x.quantity as measure,
        x.expected,
        x.found,
        x.found - x.expected as diff,
        abs(x.found - x.expected) as abs_diff,
        x.tolerance,
        abs(x.found - x.expected) <= x.tolerance as passed,
        {{ programme_cell_label('x.inst_name', 'x.inst_code', 'x.period', 'reg.region_name', 'x.county_code', "'F02'", 'x.quantity') }}
        || '：专项统计月报脱贫人口小额信贷余额 ' || {{ programme_value_text('x.found', 'x.quantity') }}
        || case
            when x.quantity = '金额' then '，贷款明细中脱贫人口小额信贷余额合计 '
            else '，贷款明细中脱贫人口小额信贷借款人 '
        end
        || {{ programme_value_text('x.expected', 'x.quantity') }}
        || '，差额 ' || {{ programme_value_text('x.found - x.expected', 'x.quantity') }}
        || case
            when abs(x.found - x.expected) <= x.tolerance then '（一致）'
            when x.quantity = '金额' then '，超过 1 万元容差，请机构核对专项统计月报与贷款明细'
            else '，户数应相等，请机构核对专项统计月报与贷款明细'
        end
        || case when not x.has_loan_detail then '（本月未收到贷款明细）' else '' end
        || coalesce('（第 ' || x.row_number || ' 行）', '') as detail,
        x.source_file,
        x.row_number
    from compared as x
    left join {{ ref('dim_region') }} as reg on reg.region_code = x.county_code
)

select {{ rule_output_columns(26) }}
from checks
