-- One row per month with data, indicator and other month its figure is computed from (the month
-- itself for a figure whose base is its own month's delivery, as the platform figures' snapshot).
-- base_available says whether that month holds the data; audit.missing_base_periods is the rows
-- where it does not, and publication flags the published months that use a month published again
-- (a correction). Which indicator has which base is the catalogue's (seeds/indicators.csv
-- base_months), never listed here.
{%- set sources = figure_sources() %}
{%- set bases = catalogue_indicator_bases() %}
{#- Every model of every source is a dependency, read or not this time: dbt learns them while
    parsing, when the catalogue is not read and no branch below renders. -#}
{%- for models in sources.values() %}{% for kind in ('figures', 'delivered') if kind in models %}{% do ref(models[kind]) %}{% endfor %}{% endfor %}
{#- Each (source, kind) branch of the union, rendered below when the catalogue has such a base. -#}
{%- set branches = [] %}
{%- for source, kinds in bases.items() %}
{%- for kind in kinds %}{% do branches.append((source, kind)) %}{% endfor %}
{%- endfor %}
with

{% for source, models in sources.items() -%}
{{ source }}_months as (
    select * from {{ ref(models['figures']) }} where is_city_total
),

{% endfor -%}
bases as (
    {%- for source, kind in branches %}
    {%- set codes = bases[source][kind] %}
    {%- set months = source ~ '_months' %}
    {%- set code_rows = "(values ('" ~ (codes | join("'), ('")) ~ "')) as t (indicator_code)" %}
    {%- if kind == 'december' %}
    select
        v.period, t.indicator_code, v.prior_december_period as base_period,
        v.has_prior_december as base_available
    from {{ months }} as v
    cross join {{ code_rows }}
    {%- elif kind == 'year_ago' %}
    select v.period, t.indicator_code, v.year_ago_period as base_period, v.has_year_ago as base_available
    from {{ months }} as v
    cross join {{ code_rows }}
    {%- elif kind == 'january_to_previous' %}
    -- Summed over the monthly files of January..M (R07): every earlier month of the year is a
    -- base, ingested or not, so a warehouse starting in April withholds the figure instead of
    -- publishing the sum of April..M as the year's.
    select y.period, t.indicator_code, y.base_period, e.period is not null as base_available
    from (
        select
            r.period,
            {{ period_add("left(r.period, 4) || '-01'", 'k.months_after_january') }} as base_period
        from {{ months }} as r
        cross join (
            values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (10)
        ) as k (months_after_january)
        -- January..M-1: offsets 0..(month number - 2)
        where k.months_after_january < cast(substr(r.period, 6, 2) as integer) - 1
    ) as y
    cross join {{ code_rows }}
    left join {{ months }} as e on e.period = y.base_period
    {%- elif kind == 'own_month' %}
    -- Every month with another source's figures; the base is the month's own delivery.
    select
        m.period, t.indicator_code, m.period as base_period,
        m.period in (
            select s.period from {{ ref(sources[source]['delivered']) }} as s
            {%- if sources[source].get('delivered_where') %}
            where {{ sources[source]['delivered_where'] }}
            {%- endif %}
        ) as base_available
    from (
        {%- for other in sources if other != source %}
        select o.period from {{ other }}_months as o
        {%- if not loop.last %}
        union
        {%- endif %}
        {%- endfor %}
    ) as m
    cross join {{ code_rows }}
    {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- if not branches %}
    -- While parsing (no catalogue read) or with no base in the catalogue: no rows, same columns.
    select
        cast(null as string) as period, cast(null as string) as indicator_code,
        cast(null as string) as base_period, cast(null as boolean) as base_available
    where false
    {%- endif %}
)

select distinct
    cast(period as string) as period,
    cast(indicator_code as string) as indicator_code,
    cast(base_period as string) as base_period,
    cast(base_available as boolean) as base_available
from bases
