-- One row per month with data and region (city total + each district/county): summed items in 元.
with

balances as (
    select * from {{ ref('fct_loan_balances') }}
),

months as (
    select distinct period from balances
),

regions as (
    select region_code, is_city_total from {{ ref('dim_region') }}
),

by_county as (
    select
        period,
        county_code,
        sum(amount_yuan) filter (where item_code = 'A01') as a01_yuan,
        sum(amount_yuan) filter (where item_code = 'A02') as a02_yuan,
        sum(amount_yuan) filter (where item_code = 'A05') as a05_yuan,
        sum(amount_yuan) filter (where item_code = 'B01') as b01_yuan,
        sum(amount_yuan) filter (where item_code in ('C03', 'C04', 'C05')) as npl_yuan
    from balances
    group by period, county_code
)

select
    m.period,
    r.region_code,
    r.is_city_total,
    -- The city figure holds every county column incl. 市本级 (booked under the city's own code).
    cast(coalesce(sum(c.a01_yuan), 0) as decimal(38, 2)) as a01_yuan,
    cast(coalesce(sum(c.a02_yuan), 0) as decimal(38, 2)) as a02_yuan,
    cast(coalesce(sum(c.a05_yuan), 0) as decimal(38, 2)) as a05_yuan,
    cast(coalesce(sum(c.b01_yuan), 0) as decimal(38, 2)) as b01_yuan,
    cast(coalesce(sum(c.npl_yuan), 0) as decimal(38, 2)) as npl_yuan
from months as m
cross join regions as r
left join by_county as c
    on c.period = m.period
        and (r.is_city_total or c.county_code = r.region_code)
group by m.period, r.region_code, r.is_city_total
