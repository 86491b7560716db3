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
    rural_credit, platform, bank_programmes, ledger_*) that hold indicators: the codes, lower-case, in code order. -#}
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

{#- Each source of the catalogue and the models its figures come from: `figures` has a column per
    indicator of the source (one row per month with data and region, is_city_total marking the city
    row, prior_december_period/has_prior_december and year_ago_period/has_year_ago where the
    catalogue gives its indicators those bases); `delivered` has a row per month the source
    delivered (the base of the indicators whose base is their own month), of its rows those that
    `delivered_where` keeps when given. The one place a source's figures are wired in:
    candidate_figures and figure_base_periods loop over it. The bureau's three ledger workbooks
    arrive independently, so each is a source of its own here and in the catalogue, sharing one
    figures model: a month without the 银企对接台账 withholds M01..M13 only. -#}
{% macro figure_sources() -%}
    {{ return({
        'bank_loans': {'figures': 'int_loan_indicators'},
        'rural_credit': {'figures': 'int_rural_indicators'},
        'platform': {'figures': 'int_platform_indicators', 'delivered': 'int_platform__snapshots'},
        'bank_programmes': {'figures': 'int_programme_indicators', 'delivered': 'fct_programme_cells'},
        'ledger_matchmaking': {'figures': 'int_ledger_indicators', 'delivered': 'int_ledger__workbooks', 'delivered_where': "lake_table = 'ledger_matchmaking'"},
        'ledger_listing': {'figures': 'int_ledger_indicators', 'delivered': 'int_ledger__workbooks', 'delivered_where': "lake_table = 'ledger_listing'"},
        'ledger_documents': {'figures': 'int_ledger_indicators', 'delivered': 'int_ledger__workbooks', 'delivered_where': "lake_table = 'ledger_documents'"},
    }) }}
{%- endmacro %}

{#- The catalogue's base months (seeds/indicators.csv base_months), as {source: {kind: [codes]}}:
    december (the December before M), year_ago (M a year earlier), january_to_previous (every month
    January..M-1, for a figure summed over the year's monthly files), own_month (M itself must hold
    the source's delivery). An indicator may have several kinds (space-separated); one with none is
    computed from M alone. Empty while parsing, as catalogue_indicator_columns. -#}
{% macro catalogue_indicator_bases() -%}
    {%- set catalogue = ref('indicators') -%}
    {%- if not execute -%}{{ return({}) }}{%- endif -%}
    {%- set query -%}
        select indicator_code, source, base_months from {{ catalogue }}
        where base_months is not null and base_months <> ''
        order by indicator_code
    {%- endset -%}
    {%- set bases = {} -%}
    {%- for row in run_query(query).rows -%}
        {%- for kind in row[2].split(' ') if kind -%}
            {%- if kind not in ('december', 'year_ago', 'january_to_previous', 'own_month') -%}
                {{ exceptions.raise_compiler_error("seeds/indicators.csv: " ~ row[0] ~ " has base_months '" ~ kind ~ "'; the kinds are december, year_ago, january_to_previous, own_month") }}
            {%- endif -%}
            {%- do bases.setdefault(row[1], {}).setdefault(kind, []).append(row[0]) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(bases) }}
{%- endmacro %}
