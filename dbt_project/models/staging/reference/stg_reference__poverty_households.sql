-- Poverty households (脱贫户数, 监测对象户数) per year and district/county: the rates' denominators.
-- The file is read only when finstat.reference checked it (var poverty_households_usable, set by
-- finstat.reference.dbt_vars): a missing or malformed file gives no row, never a build failure or a
-- wrong denominator, and gate rule 29 names the rows a month with poverty credit needs.
{%- set poverty_file = source('reference', 'poverty_households') %}
{%- if var('poverty_households_usable', false) %}
with

source as (
    select * from {{ poverty_file }}
),

renamed as (
    select
        trim(year) as year,
        trim(region_code) as region_code,
        cast(trim({{ adapter.quote('脱贫户数') }}) as integer) as poverty_households,
        cast(trim({{ adapter.quote('监测对象户数') }}) as integer) as monitored_households
    from source
)

select * from renamed
{%- else %}
select
    cast(null as string) as year,
    cast(null as string) as region_code,
    cast(null as integer) as poverty_households,
    cast(null as integer) as monitored_households
where false
{%- endif %}
