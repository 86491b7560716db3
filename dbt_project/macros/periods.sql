{#- Month arithmetic on `YYYY-MM` text periods (the key every lake row and figure carries). -#}
{% macro period_add(period, months) -%}
    {{ return(adapter.dispatch('period_add')(period, months)) }}
{%- endmacro %}

{% macro default__period_add(period, months) -%}
    strftime(cast({{ period }} || '-01' as date) + to_months(cast({{ months }} as integer)), '%Y-%m')
{%- endmacro %}

{% macro spark__period_add(period, months) -%}
    date_format(add_months(cast({{ period }} || '-01' as date), cast({{ months }} as integer)), 'yyyy-MM')
{%- endmacro %}

{#- The December before a period (for a December too: the previous year's). -#}
{% macro period_prior_december(period) -%}
    (cast(cast(left({{ period }}, 4) as integer) - 1 as string) || '-12')
{%- endmacro %}

{#- The last second of a period (the platform figures count what happened up to it). -#}
{% macro period_end_ts(period) -%}
    (cast({{ period }} || '-01' as timestamp) + interval 1 month - interval 1 second)
{%- endmacro %}

{#- The first day of every month from first_period to last_period (`YYYY-MM` expressions of one
    row of `from_relation`), as rows of month_start (DATE). -#}
{% macro month_starts(from_relation, first_period, last_period) -%}
    {{ return(adapter.dispatch('month_starts')(from_relation, first_period, last_period)) }}
{%- endmacro %}

{% macro default__month_starts(from_relation, first_period, last_period) -%}
    select r.month_start
    from {{ from_relation }},
        range(
            cast({{ first_period }} || '-01' as date),
            cast({{ last_period }} || '-01' as date) + interval 1 month,
            interval 1 month
        ) as r(month_start)
{%- endmacro %}

{% macro spark__month_starts(from_relation, first_period, last_period) -%}
    select explode(sequence(
            cast({{ first_period }} || '-01' as date),
            cast({{ last_period }} || '-01' as date),
            interval 1 month
        )) as month_start
    from {{ from_relation }}
{%- endmacro %}

{#- A date or timestamp as text: `YYYY-MM` (precision 'month') or `YYYY-MM-DD HH:MM:SS` ('second'). -#}
{% macro datetime_text(value, precision) -%}
    {{ return(adapter.dispatch('datetime_text')(value, precision)) }}
{%- endmacro %}

{% macro default__datetime_text(value, precision) -%}
    strftime({{ value }}, '{{ "%Y-%m" if precision == "month" else "%Y-%m-%d %H:%M:%S" }}')
{%- endmacro %}

{% macro spark__datetime_text(value, precision) -%}
    date_format({{ value }}, '{{ "yyyy-MM" if precision == "month" else "yyyy-MM-dd HH:mm:ss" }}')
{%- endmacro %}

{#- The last day of a period, a DATE (the ledgers' dates are days: "end of M" is this day). -#}
{% macro period_end_date(period) -%}
    last_day(cast({{ period }} || '-01' as date))
{%- endmacro %}

{#- 1 January of a period's year, a DATE ("in the year" = from this day to the end of M). -#}
{% macro period_year_start(period) -%}
    cast(left({{ period }}, 4) || '-01-01' as date)
{%- endmacro %}
