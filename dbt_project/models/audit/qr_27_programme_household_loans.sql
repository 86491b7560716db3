-- Rule 27: per programme report's county column with an F02 金额 cell: found = F02 金额 (脱贫人口
-- 小额信贷余额), expected = A02 住户贷款 of the same institution, county and month in its loan
-- report (bank_loans; none counts as zero); passed = found <= expected.
with

f02 as (
    select period, inst_code, county_code, value, source_file, row_number
    from {{ ref('stg_bank_programmes__cells') }}
    where item_code = 'F02' and quantity = '金额' and not is_total_column
),

a02 as (
    select period, inst_code, county_code, sum(amount_yuan) as amount_yuan
    from {{ ref('fct_loan_balances') }}
    where item_code = 'A02'
    group by period, inst_code, county_code
),

loan_reports as (
    select period, inst_code from {{ ref('int_bank_loans__reports') }}
),

checks as (
    select
        f.period,
        f.inst_code,
        f.county_code,
        'F02' as item_code,
        '金额' as measure,
        coalesce(a.amount_yuan, 0) as expected,
        f.value as found,
        f.value - coalesce(a.amount_yuan, 0) as diff,
        greatest(f.value - coalesce(a.amount_yuan, 0), 0) as abs_diff,
        0 as tolerance,
        f.value <= coalesce(a.amount_yuan, 0) as passed,
        {{ programme_cell_label('inst.inst_name', 'f.inst_code', 'f.period', 'reg.region_name', 'f.county_code', "'F02'", "'金额'") }}
        || '：脱贫人口小额信贷余额 ' || {{ wan_amount_text('f.value') }}
        || case when f.value <= coalesce(a.amount_yuan, 0) then '，不超过' else '，超过' end
        || '贷款月报同县区住户贷款（A02）' || {{ wan_amount_text('coalesce(a.amount_yuan, 0)') }}
        || case when r.inst_code is null then '（本月未收到贷款月报）' else '' end
        || coalesce('（第 ' || f.row_number || ' 行）', '') as detail,
        f.source_file,
        f.row_number
    from f02 as f
    left join a02 as a on a.period = f.period and a.inst_code = f.inst_code and a.county_code = f.county_code
    left join loan_reports as r on r.period = f.period and r.inst_code = f.inst_code
    left join {{ ref('dim_institution') }} as inst on inst.inst_code = f.inst_code
    left join {{ ref('dim_region') }} as reg on reg.region_code = f.county_code
)

select {{ rule_output_columns(27) }}
from checks
