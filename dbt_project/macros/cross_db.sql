{#- SQL that DuckDB and Spark spell differently (docs/scale-out.md "Spark"). The default__ variants
    are the DuckDB SQL as it always was; spark__ variants say the same in Spark SQL. -#}

{#- string_agg of expression in the order of order_by (default: expression itself), NULLs skipped. -#}
{% macro string_agg_sorted(expression, separator, order_by=none, distinct=false) -%}
    {{ return(adapter.dispatch('string_agg_sorted')(expression, separator, order_by or expression, distinct)) }}
{%- endmacro %}

{% macro default__string_agg_sorted(expression, separator, order_by, distinct) -%}
    string_agg({{ 'distinct ' if distinct }}{{ expression }}, '{{ separator }}' order by {{ order_by }})
{%- endmacro %}

{#- Spark 4's string_agg ... within group fails to plan beside a count(distinct) (a ClassCastException
    in ListAgg), so the values are collected, sorted and joined; NULL when there are none, as DuckDB. -#}
{% macro spark__string_agg_sorted(expression, separator, order_by, distinct) -%}
    {%- if distinct and order_by == expression -%}
        case when count({{ expression }}) > 0 then array_join(array_sort(collect_set({{ expression }})), '{{ separator }}') end
    {%- else -%}
        case when count({{ expression }}) > 0 then array_join(transform(
            array_sort(collect_list(named_struct('k', {{ order_by }}, 'v', {{ expression }}))), s -> s.v
        ), '{{ separator }}') end
    {%- endif -%}
{%- endmacro %}

{#- A whole number as text with a comma every three digits (-12,345,678), exact at any size. -#}
{% macro thousands_text(integer) -%}
    {{ return(adapter.dispatch('thousands_text')(integer)) }}
{%- endmacro %}

{% macro default__thousands_text(integer) -%}
    format('{:,}', {{ integer }})
{%- endmacro %}

{#- format_number formats a DECIMAL through Java's BigDecimal, so no digit goes through a double. -#}
{% macro spark__thousands_text(integer) -%}
    format_number(cast({{ integer }} as decimal(38, 0)), 0)
{%- endmacro %}
