-- One row per month with rural-credit data and region: R01..R09 in their units (DECIMAL(38,10),
-- unrounded). R01..R03 per region; R04..R09 for the city only. R04..R06 need the December before:
-- NULL here when it holds no data, and withheld (audit.missing_base_periods).
with

amounts as (
    select * from {{ ref('int_rural_amounts_by_region') }}
),

based as (
    select
        m.*,
        {{ period_prior_december('m.period') }} as prior_december_period,
        december.period is not null as has_prior_december,
        december.balance_yuan as balance_dec_yuan,
        december.npl_yuan as npl_dec_yuan
    from amounts as m
    left join amounts as december
        on december.region_code = m.region_code
            and december.period = {{ period_prior_december('m.period') }}
)

select
    period,
    region_code,
    is_city_total,
    prior_december_period,
    has_prior_december,
    {{ to_yi('balance_yuan') }} as r01,
    {{ to_yi('npl_yuan') }} as r02,
    {{ exact_pct('npl_yuan', 'balance_yuan') }} as r03,
    case
        when is_city_total and has_prior_december
            then {{ exact_rate_fall_pct('npl_yuan', 'balance_yuan', 'npl_dec_yuan', 'balance_dec_yuan') }}
    end as r04,
    case when is_city_total and has_prior_december then {{ to_yi('npl_yuan - npl_dec_yuan') }} end as r05,
    -- 双降: both NPL and its ratio below December's; no figure when either ratio is undefined.
    case
        when is_city_total and has_prior_december and balance_yuan > 0 and balance_dec_yuan > 0
            then cast(
                    case
                        when
                            npl_yuan < npl_dec_yuan
                            and {{ exact_rate_below('npl_yuan', 'balance_yuan', 'npl_dec_yuan', 'balance_dec_yuan') }}
                            then 1
                        else 0
                    end as decimal(38, 10)
                )
    end as r06,
    case when is_city_total then {{ to_yi('disposed_ytd_yuan') }} end as r07,
    case when is_city_total then {{ to_wan('poverty_balance_yuan') }} end as r08,
    case when is_city_total then cast(poverty_borrowers as decimal(38, 10)) end as r09
from based
