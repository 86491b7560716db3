-- One row per month from the first month with data (or the build month) to the last.
with

bounds as (
    select
        least(min(period), '{{ build_period() }}') as first_period,
        greatest(max(period), '{{ build_period() }}') as last_period
    from {{ ref('int_bank_loans__reports') }}
),

months as (
    select {{ datetime_text('month_start', 'month') }} as period, cast(month_start as date) as month_start
    from ({{ month_starts('bounds', 'first_period', 'last_period') }}) as r
),

-- Every accepted report carries its A/B/C balances (ingestion rule 1), so a month with a report
-- is a month with bank-loan data.
with_data as (
    select distinct period from {{ ref('int_bank_loans__reports') }}
)

select
    cast(m.period as string) as period,
    cast(m.month_start as date) as month_start,
    cast(year(m.month_start) as integer) as year,
    cast(month(m.month_start) as integer) as month_of_year,
    cast({{ period_add('m.period', -1) }} as string) as previous_period,
    cast({{ period_prior_december('m.period') }} as string) as prior_december_period,
    cast({{ period_add('m.period', -12) }} as string) as year_ago_period,
    cast(d.period is not null as boolean) as has_bank_loans,
    cast(m.period = '{{ build_period() }}' as boolean) as is_build_period
from months as m
left join with_data as d on d.period = m.period
