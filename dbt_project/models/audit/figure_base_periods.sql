-- One row per month with data, indicator and other month its figure is computed from (the month
-- itself for the platform figures, whose base is the month's own snapshot). base_available says
-- whether that month holds the data; audit.missing_base_periods is the rows where it does not, and
-- publication flags the published months that use a month published again (a correction).
with

indicator_values as (
    select * from {{ ref('int_loan_indicators') }} where is_city_total
),

rural_values as (
    select * from {{ ref('int_rural_indicators') }} where is_city_total
),

bases as (
    select
        v.period, t.indicator_code, v.prior_december_period as base_period,
        v.has_prior_december as base_available
    from indicator_values as v
    cross join (values ('L02'), ('L03'), ('L04'), ('L05'), ('L06')) as t (indicator_code)
    union all
    select v.period, t.indicator_code, v.year_ago_period as base_period, v.has_year_ago as base_available
    from indicator_values as v
    cross join (values ('L05'), ('L06')) as t (indicator_code)
    union all
    -- The rural-credit December is a month with rural-credit loan data, whatever bank_loans holds.
    select
        v.period, t.indicator_code, v.prior_december_period as base_period,
        v.has_prior_december as base_available
    from rural_values as v
    cross join (values ('R04'), ('R05'), ('R06')) as t (indicator_code)
    union all
    -- R07 adds up the disposal files of January..M: every earlier month of the year is a base,
    -- ingested or not, so a warehouse starting in April withholds R07 instead of publishing the sum
    -- of April..M as the year's. It is the only figure summed over months here: L03/L05 read the
    -- reports' own 本年累计 column and P04..P06 are cumulative within one snapshot.
    select y.period, 'R07' as indicator_code, y.base_period, e.period is not null as base_available
    from (
        select
            r.period,
            {{ period_add("left(r.period, 4) || '-01'", 'k.months_after_january') }} as base_period
        from rural_values as r
        cross join (
            values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (10)
        ) as k (months_after_january)
        -- January..M-1: offsets 0..(month number - 2)
        where k.months_after_january < cast(substr(r.period, 6, 2) as integer) - 1
    ) as y
    left join rural_values as e on e.period = y.base_period
    union all
    select
        m.period, p.indicator_code, m.period as base_period,
        m.period in (select s.period from {{ ref('int_platform__snapshots') }} as s) as base_available
    from (
        select period from indicator_values
        union
        select period from rural_values
    ) as m
    cross join (values ('P01'), ('P02'), ('P03'), ('P04'), ('P05'), ('P06')) as p (indicator_code)
)

select distinct
    cast(period as string) as period,
    cast(indicator_code as string) as indicator_code,
    cast(base_period as string) as base_period,
    cast(base_available as boolean) as base_available
from bases
