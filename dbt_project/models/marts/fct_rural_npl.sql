-- One row per rural-credit institution, county and month: loan balance by five-level class, NPL and ratio.
-- Incremental by month (macros/build_periods.sql); every later model reads this, not the loans.
{{ incremental_by_month() }}
with

loans as (
    select * from {{ ref('fct_rural_loan_month') }}
    {% if is_incremental() %}where period in {{ build_periods() }}{% endif %}
),

by_county as (
    select
        period,
        inst_code,
        county_code,
        sum(balance_yuan) as balance_yuan,
        coalesce(sum(balance_yuan) filter (where risk_item = 'C01'), 0) as normal_yuan,
        coalesce(sum(balance_yuan) filter (where risk_item = 'C02'), 0) as special_mention_yuan,
        coalesce(sum(balance_yuan) filter (where risk_item = 'C03'), 0) as substandard_yuan,
        coalesce(sum(balance_yuan) filter (where risk_item = 'C04'), 0) as doubtful_yuan,
        coalesce(sum(balance_yuan) filter (where risk_item = 'C05'), 0) as loss_yuan,
        coalesce(sum(balance_yuan) filter (where is_npl), 0) as npl_yuan,
        count(*) as loan_count,
        count(*) filter (where is_npl) as npl_loan_count,
        {{ string_agg_sorted('source_file', '; ', distinct=true) }} as source_file
    from loans
    group by period, inst_code, county_code
)

select
    cast(inst_code || '|' || county_code || '|' || period as string) as rural_npl_key,
    cast(period as string) as period,
    cast(inst_code as string) as inst_code,
    cast(county_code as string) as county_code,
    cast(balance_yuan as decimal(38, 2)) as balance_yuan,
    cast(normal_yuan as decimal(38, 2)) as normal_yuan,
    cast(special_mention_yuan as decimal(38, 2)) as special_mention_yuan,
    cast(substandard_yuan as decimal(38, 2)) as substandard_yuan,
    cast(doubtful_yuan as decimal(38, 2)) as doubtful_yuan,
    cast(loss_yuan as decimal(38, 2)) as loss_yuan,
    cast(npl_yuan as decimal(38, 2)) as npl_yuan,
    {{ exact_pct('npl_yuan', 'balance_yuan') }} as npl_ratio_pct,
    cast(loan_count as integer) as loan_count,
    cast(npl_loan_count as integer) as npl_loan_count,
    cast(source_file as string) as source_file
from by_county
