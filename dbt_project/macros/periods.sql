{#- Month arithmetic on `YYYY-MM` text periods (the key every lake row and figure carries). -#}
{% macro period_add(period, months) -%}
    strftime(cast({{ period }} || '-01' as date) + to_months(cast({{ months }} as integer)), '%Y-%m')
{%- endmacro %}

{#- The December before a period (for a December too: the previous year's). -#}
{% macro period_prior_december(period) -%}
    (cast(cast(left({{ period }}, 4) as integer) - 1 as varchar) || '-12')
{%- endmacro %}

{#- An amount in 元 as text for the Chinese detail messages. -#}
{% macro yuan_text(amount) -%}
    coalesce(cast({{ amount }} as varchar) || ' 元', '无')
{%- endmacro %}

{#- The last second of a period (the platform figures count what happened up to it). -#}
{% macro period_end_ts(period) -%}
    (cast({{ period }} || '-01' as timestamp) + interval 1 month - interval 1 second)
{%- endmacro %}
