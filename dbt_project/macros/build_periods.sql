{#- Incremental-by-month models (docs/performance.md "Incremental models"): a build recomputes only
    the months it must, so month 60 costs what month 1 costs. Those months are: the build month, and
    every month whose lake files differ from the ones the last complete build recorded in the ledger
    (a resubmission ingested by a later month's run, a month never built, a month whose files went).
    The lake never changes during a build (the run lock), so every model of one build sees the same
    months. -#}

{#- The month being built: --vars period (tests, by hand), else FINSTAT_PERIOD (Dagster). The
    environment variable is read only when executing: one read while parsing would make dbt re-parse
    every file that calls this macro whenever the month changes (a changed --vars value re-parses the
    whole project), and the month is never needed to parse. -#}
{% macro build_period() -%}
    {%- set given = var('period', none) -%}
    {%- if given is not none -%}{{ return(given) }}{%- endif -%}
    {%- if not execute -%}{{ return('0000-01') }}{%- endif -%}
    {%- set period = env_var('FINSTAT_PERIOD', '') -%}
    {%- if not modules.re.match('^[0-9]{4}-(0[1-9]|1[0-2])$', period) -%}
        {{ exceptions.raise_compiler_error("the build month is missing: pass --vars '{period: YYYY-MM}' or set FINSTAT_PERIOD (got '" ~ period ~ "')") }}
    {%- endif -%}
    {{ return(period) }}
{%- endmacro %}

{#- The months of a range build (`finstat run --from A --to B` builds A..B in one dbt invocation,
    docs/performance.md "One build for a range of months"): FINSTAT_PERIOD_FROM to the build month,
    each a build month. Without it, or equal to the build month, the build month alone. Read only
    when executing, like the build month. -#}
{% macro build_range_periods() -%}
    {%- set last = build_period() -%}
    {%- set first = env_var('FINSTAT_PERIOD_FROM', '') if execute and var('period', none) is none else '' -%}
    {%- if not modules.re.match('^[0-9]{4}-(0[1-9]|1[0-2])$', first) or first >= last -%}
        {{ return([last]) }}
    {%- endif -%}
    {%- set months = [] -%}
    {%- set year = first[:4] | int -%}
    {%- set month = first[5:] | int -%}
    {%- for step in range(((last[:4] | int) - year) * 12 + (last[5:] | int) - month + 1) -%}
        {%- set index = month - 1 + step -%}
        {%- do months.append('%04d-%02d' | format(year + index // 12, index % 12 + 1)) -%}
    {%- endfor -%}
    {{ return(months) }}
{%- endmacro %}

{#- The lake folder (the sources' default, FINSTAT_HOME/lake). -#}
{% macro lake_root() -%}
    {{ return(var('lake_dir', env_var('FINSTAT_HOME', '../data/warehouse') ~ '/lake')) }}
{%- endmacro %}

{#- The lake tables whose months the incremental models read. -#}
{% macro incremental_lake_tables() -%}
    {{ return(['bank_loans', 'rural_credit_loans', 'rural_credit_disposals']) }}
{%- endmacro %}

{% macro ledger_relation() -%}
    {#- Spark's targets have no database. -#}
    {%- set database = target.database if target.database is defined else none -%}
    {{ return(api.Relation.create(database=database, schema=target.schema, identifier='lake_build_ledger')) }}
{%- endmacro %}

{#- One row per month in the lake: its data files (table/period=M/file), in order, as one text. -#}
{% macro lake_files_by_period() -%}
    {{ return(adapter.dispatch('lake_files_by_period')()) }}
{%- endmacro %}

{% macro default__lake_files_by_period() -%}
    select
        regexp_extract(file, '/period=([0-9]{4}-[0-9]{2})/', 1) as period,
        string_agg(regexp_extract(file, '([^/]+/period=[^/]+/[^/]+)$', 1), '|' order by file) as lake_files
    from (
        {%- for table in incremental_lake_tables() %}
        select file from glob('{{ lake_root() }}/{{ table }}/period=*/*.parquet')
        {%- if not loop.last %} union all{% endif %}
        {%- endfor %}
    )
    group by 1
{%- endmacro %}

{#- Spark lists no folders in SQL: the lake's files are the ones its source tables read
    (macros/spark.sql), named by _metadata.file_path. A build or run lists them once, into
    lake_build_files (spark_snapshot_lake_files, on-run-start); other commands list them here. -#}
{% macro spark__lake_files_by_period() -%}
    {%- if flags.WHICH in ('build', 'run') -%}
        select period, lake_files from {{ target.schema }}.lake_build_files
    {%- else -%}
        {{ spark_lake_listing() }}
    {%- endif -%}
{%- endmacro %}

{#- The listing itself: a scan of the three tables' file names only (no column is decoded). -#}
{% macro spark_lake_listing() -%}
    select
        regexp_extract(file, '/period=([0-9]{4}-[0-9]{2})/', 1) as period,
        concat_ws('|', array_sort(collect_list(regexp_extract(file, '([^/]+/period=[^/]+/[^/]+)$', 1)))) as lake_files
    from (
        {%- for table in incremental_lake_tables() %}
        {%- set source = graph.sources.values() | selectattr('name', 'equalto', table) | first %}
        select distinct _metadata.file_path as file from {{ source.schema }}.{{ source.identifier }}
        {%- if not loop.last %} union all{% endif %}
        {%- endfor %}
    )
    -- DuckDB's glob: table/period=M/*.parquet
    where file rlike '/period=[0-9]{4}-[0-9]{2}/[^/]+[.]parquet$'
    group by 1
{%- endmacro %}

{#- on-run-start on Spark (after the source tables exist): the lake's files, listed once for every
    model of the build. The lake never changes during a build, so the ledger written at its end
    (record_lake_build_ledger) is this list too. -#}
{% macro spark_snapshot_lake_files() -%}
    {%- set snapshot = api.Relation.create(schema=target.schema, identifier='lake_build_files') -%}
    {%- do run_query('create database if not exists ' ~ target.schema) -%}
    {%- do run_query('drop table if exists ' ~ snapshot) -%}
    {%- do run_query('create table ' ~ snapshot ~ ' using parquet as ' ~ spark_lake_listing()) -%}
{%- endmacro %}

{#- The months this build recomputes, as a SQL list of literals: literals (not a subquery) let DuckDB
    skip the other months' Parquet row groups. Those are the build months (build_range_periods) and
    the months whose lake files changed. shifts moves them: [0, 1] adds each month's next month
    (rule 17 checks a month against the month before it, so a rebuilt month is checked again with its
    successor), [-1, 0, 1] also the month before. -#}
{% macro build_periods(shifts=[0]) -%}
    {{ return("('" ~ build_period_list(shifts) | join("', '") ~ "')") }}
{%- endmacro %}

{#- The same months as a list. -#}
{% macro build_period_list(shifts=[0]) -%}
    {%- set period = build_period() -%}
    {%- if not execute -%}
        {{ return([period]) }}
    {%- endif -%}
    {%- set ledger = adapter.get_relation(ledger_relation().database, ledger_relation().schema, ledger_relation().identifier) -%}
    {%- set query -%}
        with lake as ({{ lake_files_by_period() }}),
        {%- if ledger is not none %}
        ledger as (select period, lake_files from {{ ledger }}),
        {%- elif target.type == 'spark' %}
        ledger as (select cast(null as string) as period, cast(null as string) as lake_files where false),
        {%- else %}
        ledger as (select null::varchar as period, null::varchar as lake_files where false),
        {%- endif %}
        changed as (
            select coalesce(l.period, g.period) as period
            from lake as l
            full outer join ledger as g on g.period = l.period
            where l.lake_files is distinct from g.lake_files
            {%- for month in build_range_periods() %}
            union
            select '{{ month }}'
            {%- endfor %}
        )
        {%- for shift in shifts %}
        select {{ period_add('period', shift) }} from changed
        {%- if not loop.last %} union{% endif %}
        {%- endfor %}
        order by 1
    {%- endset -%}
    {{ return(run_query(query).columns[0].values() | list) }}
{%- endmacro %}

{#- The configuration of an incremental-by-month model, called at its top: `shifts` as in
    build_periods (the months its pre-hook deletes). A change of its columns fails the build, which
    then needs --full-refresh, rather than mixing layouts. -#}
{% macro incremental_by_month(shifts=[0]) -%}
    {{ return(adapter.dispatch('incremental_by_month')(shifts)) }}
{%- endmacro %}

{% macro default__incremental_by_month(shifts) -%}
    {%- set hook = "{{ delete_build_periods(" ~ shifts ~ ") }}" -%}
    {{ config(materialized='incremental', on_schema_change='fail', pre_hook=hook) }}
{%- endmacro %}

{#- On Spark a Parquet table partitioned by period, rewritten month by month: the pre-hook drops
    the months this build recomputes (a month that lost every row, or a rule month that now passes,
    has no partition to overwrite), insert_overwrite writes them again. Dynamic partition overwrite
    (profiles.yml; dbt-spark also sets it before the insert) replaces only the months the insert
    holds: without it the insert would replace the whole table. Spark stores the partition column
    last, whatever the select's order (the insert names its columns). Parquet tables hold no NOT
    NULL constraint: the post-hook checks the contract's not_null columns on the months written. -#}
{% macro spark__incremental_by_month(shifts) -%}
    {%- set pre = "{{ delete_build_periods(" ~ shifts ~ ") }}" -%}
    {%- set post = "{{ spark_check_not_null_build_periods(" ~ shifts ~ ") }}" -%}
    {{ config(materialized='incremental', incremental_strategy='insert_overwrite', partition_by=['period'],
              on_schema_change='fail', pre_hook=pre, post_hook=post) }}
{%- endmacro %}

{#- pre_hook of an incremental-by-month model: drop the months this build recomputes, so a month
    that lost rows (or all its files) loses them here too. -#}
{% macro delete_build_periods(shifts=[0]) -%}
    {%- if is_incremental() -%}
        {{ adapter.dispatch('delete_build_periods')(shifts) }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}

{% macro default__delete_build_periods(shifts) -%}
    delete from {{ this }} where period in {{ build_periods(shifts) }}
{%- endmacro %}

{% macro spark__delete_build_periods(shifts) -%}
    alter table {{ this }} drop if exists
    {%- for period in build_period_list(shifts) %} partition (period = '{{ period }}'){{ ',' if not loop.last }}{% endfor %}
{%- endmacro %}

{#- post_hook on Spark: an incremental run's insert is not followed by dbt's constraint step. -#}
{% macro spark_check_not_null_build_periods(shifts=[0]) -%}
    {%- if execute and config.get('contract') and config.get('contract').enforced -%}
        {%- do spark__persist_constraints(this, model, 'period in ' ~ build_periods(shifts)) -%}
    {%- endif -%}
    select 1
{%- endmacro %}

{#- on-run-end: after a build in which every incremental-by-month model and every test succeeded,
    record the lake files it built from. After a failure nothing is recorded, so the next build
    recomputes the same months again. -#}
{% macro record_lake_build_ledger(results) -%}
    {%- set unchanged = 'select 1 as lake_build_ledger_unchanged' -%}
    {%- if not execute or flags.WHICH not in ('build', 'run') -%}{{ return(unchanged) }}{%- endif -%}
    {%- set done = [] -%}
    {%- for result in results -%}
        {%- if result.status not in ('success', 'pass', 'warn', 'no-op') -%}
            {{ log('lake_build_ledger not updated: ' ~ result.node.name ~ ' ' ~ result.status, info=True) }}
            {{ return(unchanged) }}
        {%- endif -%}
        {%- do done.append(result.node.unique_id) -%}
    {%- endfor -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.config.materialized == 'incremental' and node.unique_id not in done -%}
            {{ log('lake_build_ledger not updated: ' ~ node.name ~ ' was not built', info=True) }}
            {{ return(unchanged) }}
        {%- endif -%}
    {%- endfor -%}
    {%- if target.type == 'spark' -%}
        {#- Parquet tables cannot be replaced in one statement. A build that dies between the two
            finds no ledger and recomputes every month: slow, never wrong. -#}
        {%- do run_query('drop table if exists ' ~ ledger_relation()) -%}
        {{ return('create table ' ~ ledger_relation() ~ ' using parquet as ' ~ lake_files_by_period()) }}
    {%- endif -%}
    {{ return('create or replace table ' ~ ledger_relation() ~ ' as ' ~ lake_files_by_period()) }}
{%- endmacro %}

{#- True when relation is an incremental-by-month model of this project, or a staging view over the
    lake that says so (meta test_build_months): its tests check the build months only. -#}
{% macro is_incremental_by_month(relation) -%}
    {%- if target.type == 'spark' -%}{{ return(false) }}{%- endif -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.alias == relation.identifier and node.schema == relation.schema
            and (node.config.materialized == 'incremental' or node.config.meta.get('test_build_months')) -%}
            {{ return(true) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(false) }}
{%- endmacro %}

{#- Data tests on an incremental-by-month model check the months this build wrote (the others were
    checked when they were built): a full-history unique test on a province's loans would cost more
    each month. Otherwise dbt's own behaviour (the test's `where` config). -#}
{% macro get_where_subquery(relation) -%}
    {%- set filters = [] -%}
    {%- if config.get('where') -%}{%- do filters.append('(' ~ config.get('where') ~ ')') -%}{%- endif -%}
    {%- if execute and is_incremental_by_month(relation) -%}
        {%- do filters.append('period in ' ~ build_periods()) -%}
    {%- endif -%}
    {%- if filters -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ filters | join(' and ') }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
