-- One row per month with rural-credit loan data: the poverty-relief loans (脱贫人口小额信贷) of the
-- whole city, balance and distinct borrowers (R08, R09; borrowers do not add up across counties).
-- Incremental by month (macros/build_periods.sql).
{{ incremental_by_month() }}
select
    period,
    cast(coalesce(sum(balance_yuan) filter (where poverty_flag), 0) as decimal(38, 2)) as poverty_balance_yuan,
    cast(count(distinct borrower_key) filter (where poverty_flag) as bigint) as poverty_borrowers
from {{ ref('fct_rural_loan_month') }}
{% if is_incremental() %}where period in {{ build_periods() }}{% endif %}
group by period
