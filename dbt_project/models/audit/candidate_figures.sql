-- One row per month with data, indicator and region: the candidate official figures (unrounded).
-- City rows (the city's code, regions.csv's row ending in 00) for every indicator; district/county rows for the by-county indicators only.
-- L01..L11 for months with bank-loan data, R01..R09 for months with rural-credit loan data,
-- P01..P06 for months with a complete platform snapshot.
{#- Each source of the indicator catalogue (seeds/indicators.csv) and its figures model, which has a
    column per indicator of that source (macros/indicators.sql figure_sources). The columns
    unpivoted are the catalogue's codes (catalogue_indicator_columns), never listed here: a code of
    the seed that its model lacks fails the build. -#}
{%- set figures_models = {} %}
{%- for source, models in figure_sources().items() %}{% do figures_models.update({source: models['figures']}) %}{% endfor %}
with

-- The SQL-standard UNPIVOT (DuckDB and Spark alike); it leaves out NULL values, as the filter below does.
{%- for source, model in figures_models.items() %}
{%- set columns = catalogue_indicator_columns(source) | join(', ') %}

{{ source }}_values as (
    select *
    from (
        select period, region_code, is_city_total, {{ columns }}
        from {{ ref(model) }}
    )
    unpivot (value for indicator_key in ({{ columns }}))
),
{%- endfor %}

long as (
    {%- for source in figures_models %}
    select period, region_code, is_city_total, indicator_key, value from {{ source }}_values
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

indicators as (
    select * from {{ ref('indicators') }}
    where source in ('{{ figures_models | join("', '") }}')
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
