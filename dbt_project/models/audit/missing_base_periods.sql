-- One row per month with data, withheld indicator and base month that holds no data. The platform
-- figures' base is the month's own snapshot: a month with other data and no platform file at all
-- lists P01..P06 with itself as the missing month (a partial snapshot is rule 19, not this).
with

indicator_values as (
    select * from {{ ref('int_loan_indicators') }} where is_city_total
),

rural_values as (
    select * from {{ ref('int_rural_indicators') }} where is_city_total
),

needs as (
    select period, indicator_code, prior_december_period as missing_period
    from indicator_values
    cross join (values ('L02'), ('L03'), ('L04'), ('L05'), ('L06')) as t(indicator_code)
    where not has_prior_december
    union all
    select period, indicator_code, year_ago_period as missing_period
    from indicator_values
    cross join (values ('L05'), ('L06')) as t(indicator_code)
    where not has_year_ago
    union all
    -- The rural-credit December is a month with rural-credit loan data, whatever bank_loans holds.
    select period, indicator_code, prior_december_period as missing_period
    from rural_values
    cross join (values ('R04'), ('R05'), ('R06')) as t(indicator_code)
    where not has_prior_december
    union all
    select m.period, p.indicator_code, m.period as missing_period
    from (
        select period from indicator_values
        union
        select period from rural_values
    ) as m
    cross join (values ('P01'), ('P02'), ('P03'), ('P04'), ('P05'), ('P06')) as p(indicator_code)
    where m.period not in (select period from {{ ref('int_platform__snapshots') }})
)

select distinct
    cast(period as varchar) as period,
    cast(indicator_code as varchar) as indicator_code,
    cast(missing_period as varchar) as missing_period
from needs
