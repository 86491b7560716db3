{#- The indicator catalogue (seeds/indicators.csv, the seed `indicators`) is the one list of the
    official indicators: which figures model column holds which indicator is read from it, never
    written out again by hand.

    How it is read: with a query on the loaded seed when the model compiles (run_query, guarded by
    `execute`). dbt's Jinja cannot read a file at parse time (no file access in the model context;
    only the seed materialization itself sees the CSV's rows), and a copy of the codes in a var
    would be the second list this avoids. The query is portable: the seed is a table on DuckDB and
    on Spark alike, and the model refs it, so `dbt build` loads it first. While parsing (`execute`
    false: `dbt parse`, dagster-dbt's manifest) no query runs and the list is empty; the model's
    dependencies come from its ref() calls, which run either way. -#}

{#- The columns of one source's figures model (source as in indicators.csv: bank_loans,
    rural_credit, platform) that hold indicators: the codes, lower-case, in code order. -#}
{% macro catalogue_indicator_columns(source) -%}
    {%- set catalogue = ref('indicators') -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set query -%}
        select lower(indicator_code) as indicator_key from {{ catalogue }}
        where source = '{{ source }}'
        order by indicator_code
    {%- endset -%}
    {%- set columns = run_query(query).columns[0].values() | list -%}
    {%- if columns | length == 0 -%}
        {{ exceptions.raise_compiler_error("the indicator catalogue (seeds/indicators.csv) lists no indicator of source '" ~ source ~ "'") }}
    {%- endif -%}
    {{ return(columns) }}
{%- endmacro %}
