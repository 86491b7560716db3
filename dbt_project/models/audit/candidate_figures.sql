-- One row per month with data, indicator and region: the candidate official figures (unrounded).
-- City rows (the city's code, regions.csv's row ending in 00) for every indicator; district/county rows for the by-county indicators only.
-- L01..L11 for months with bank-loan data, R01..R09 for months with rural-credit loan data,
-- P01..P06 for months with a complete platform snapshot.
with

-- The SQL-standard UNPIVOT (DuckDB and Spark alike); it leaves out NULL values, as the filter below does.
loan_values as (
    select * from {{ ref('int_loan_indicators') }}
    unpivot (value for indicator_key in (l01, l02, l03, l04, l05, l06, l07, l08, l09, l10, l11))
),

rural_values as (
    select * from {{ ref('int_rural_indicators') }}
    unpivot (value for indicator_key in (r01, r02, r03, r04, r05, r06, r07, r08, r09))
),

platform_values as (
    select * from (
        select period, region_code, is_city_total, p01, p02, p03, p04, p05, p06
        from {{ ref('int_platform_indicators') }}
    )
    unpivot (value for indicator_key in (p01, p02, p03, p04, p05, p06))
),

long as (
    select period, region_code, is_city_total, indicator_key, value from loan_values
    union all
    select period, region_code, is_city_total, indicator_key, value from rural_values
    union all
    select period, region_code, is_city_total, indicator_key, value from platform_values
),

indicators as (
    select * from {{ ref('indicators') }} where source in ('bank_loans', 'rural_credit', 'platform')
),

regions as (
    select * from {{ ref('dim_region') }}
),

-- An indicator with a base month that holds no data is no candidate, whatever its value: R07's
-- sum over the months that are there is a number, but not the year's.
withheld as (
    select distinct period, indicator_code from {{ ref('missing_base_periods') }}
)

select
    cast(l.period as string) as period,
    cast(i.indicator_code as string) as indicator_code,
    cast(i.indicator_name as string) as indicator_name,
    cast(l.region_code as string) as region_code,
    cast(r.region_name as string) as region_name,
    cast(l.value as decimal(38, 10)) as value,
    cast(i.unit as string) as unit
from long as l
inner join indicators as i on i.indicator_code = upper(l.indicator_key)
inner join regions as r on r.region_code = l.region_code
where (l.is_city_total or i.by_county)
    -- NULL: withheld for a missing base month, or a rate over a zero balance (no figure).
    and l.value is not null
    and not exists (
        select 1 from withheld as w where w.period = l.period and w.indicator_code = i.indicator_code
    )
