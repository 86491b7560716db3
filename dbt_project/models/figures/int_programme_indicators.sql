-- One row per month with a programme report and region: V01..V09 and H01..H06 in their units
-- (DECIMAL(38,10), unrounded). F01 and E01..E03 are the banks' own 本年累计, so every figure comes
-- from M's reports alone. Rates take poverty_households.csv's row for the year of M: a county its
-- own row, the city the sum of the county rows; 市本级 (the city's code) counts in the city totals
-- and has no row. A rate with no denominator is NULL (no figure; gate rule 29 names the rows).
with

cells as (
    select * from {{ ref('fct_programme_cells') }}
),

months as (
    select distinct period from cells
),

regions as (
    select region_code, is_city_total from {{ ref('dim_region') }}
),

poverty as (
    select
        year,
        region_code,
        cast(poverty_households as decimal(38, 2)) as poverty_households,
        cast(monitored_households as decimal(38, 2)) as monitored_households
    from {{ ref('stg_reference__poverty_households') }}
),

-- The city's denominators: every county row of the year (none for 市本级).
city_poverty as (
    select
        year,
        sum(poverty_households) as poverty_households,
        sum(monitored_households) as monitored_households
    from poverty
    group by year
),

by_county as (
    select
        period,
        county_code,
        {%- for item in ['f01', 'f02', 'f03', 'f04', 'e01', 'e02', 'e03'] %}
        sum(value) filter (where item_code = '{{ item | upper }}' and quantity = '户数') as {{ item }}_households,
        sum(value) filter (where item_code = '{{ item | upper }}' and quantity = '金额') as {{ item }}_yuan
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from cells
    group by period, county_code
),

amounts as (
    select
        m.period,
        r.region_code,
        r.is_city_total,
        {%- for item in ['f01', 'f02', 'f03', 'f04', 'e01', 'e02', 'e03'] %}
        cast(coalesce(sum(c.{{ item }}_households), 0) as decimal(38, 2)) as {{ item }}_households,
        cast(coalesce(sum(c.{{ item }}_yuan), 0) as decimal(38, 2)) as {{ item }}_yuan
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from months as m
    cross join regions as r
    -- The city row holds every county column incl. 市本级 (booked under the city's own code).
    left join by_county as c
        on c.period = m.period
            and (r.is_city_total or c.county_code = r.region_code)
    group by m.period, r.region_code, r.is_city_total
),

denominated as (
    select
        a.*,
        case when a.is_city_total then cp.poverty_households else p.poverty_households end
            as poverty_households,
        case
            when a.is_city_total then cp.poverty_households + cp.monitored_households
            else p.poverty_households + p.monitored_households
        end as poverty_and_monitored_households
    from amounts as a
    left join poverty as p
        on p.year = left(a.period, 4) and p.region_code = a.region_code
    left join city_poverty as cp on cp.year = left(a.period, 4)
)

select
    period,
    region_code,
    is_city_total,
    cast(f01_households as decimal(38, 10)) as v01,
    {{ to_wan('f01_yuan') }} as v02,
    {{ exact_pct('f01_households', 'poverty_households') }} as v03,
    {{ to_wan('f02_yuan') }} as v04,
    cast(f02_households as decimal(38, 10)) as v05,
    {{ exact_pct('f03_yuan', 'f02_yuan') }} as v06,
    case when is_city_total then {{ to_wan('f04_yuan') }} end as v07,
    case when is_city_total then cast(f04_households as decimal(38, 10)) end as v08,
    case
        when is_city_total then {{ exact_pct('f04_households', 'poverty_and_monitored_households') }}
    end as v09,
    case when is_city_total then cast(e01_households as decimal(38, 10)) end as h01,
    case when is_city_total then {{ to_yi('e01_yuan') }} end as h02,
    case when is_city_total then cast(e02_households as decimal(38, 10)) end as h03,
    case when is_city_total then {{ to_wan('e02_yuan') }} end as h04,
    case when is_city_total then cast(e03_households as decimal(38, 10)) end as h05,
    case when is_city_total then {{ to_yi('e03_yuan') }} end as h06
from denominated
