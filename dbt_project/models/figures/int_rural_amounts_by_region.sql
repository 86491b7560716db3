-- One row per month with rural-credit loan data and region (city total + each district/county):
-- loan balance and NPL in 元; for the city row also the year's disposals and the poverty-relief loans.
-- Reads the per-county and per-month aggregates, never the loans: its cost does not grow with them.
with

months as (
    select distinct period from {{ ref('fct_rural_npl') }}
),

regions as (
    select region_code, is_city_total from {{ ref('dim_region') }}
),

by_county as (
    select period, county_code, sum(balance_yuan) as balance_yuan, sum(npl_yuan) as npl_yuan
    from {{ ref('fct_rural_npl') }}
    group by period, county_code
),

by_region as (
    select
        m.period,
        r.region_code,
        r.is_city_total,
        -- The city holds every loan, 市本级 (county = the city's code) and unknown county codes included.
        coalesce(sum(c.balance_yuan), 0) as balance_yuan,
        coalesce(sum(c.npl_yuan), 0) as npl_yuan
    from months as m
    cross join regions as r
    left join by_county as c
        on c.period = m.period
            and (r.is_city_total or c.county_code = r.region_code)
    group by m.period, r.region_code, r.is_city_total
),

-- 处置本金 of every method in the year to M (disposal files of January..M of M's year).
disposed as (
    select m.period, sum(d.principal_yuan) as disposed_ytd_yuan
    from months as m
    inner join {{ ref('fct_rural_disposals') }} as d
        on left(d.period, 4) = left(m.period, 4) and d.period <= m.period
    group by m.period
),

poverty as (
    select * from {{ ref('int_rural_poverty_by_month') }}
)

select
    b.period,
    b.region_code,
    b.is_city_total,
    cast(b.balance_yuan as decimal(38, 2)) as balance_yuan,
    cast(b.npl_yuan as decimal(38, 2)) as npl_yuan,
    cast(coalesce(d.disposed_ytd_yuan, 0) as decimal(38, 2)) as disposed_ytd_yuan,
    cast(coalesce(p.poverty_balance_yuan, 0) as decimal(38, 2)) as poverty_balance_yuan,
    cast(coalesce(p.poverty_borrowers, 0) as bigint) as poverty_borrowers
from by_region as b
left join disposed as d on d.period = b.period and b.is_city_total
left join poverty as p on p.period = b.period and b.is_city_total
