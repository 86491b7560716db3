{#- on-run-start: on Spark, source() names <source>.<table> in the metastore, so each source that
    states a spark_location becomes an external table over the same lake folder (or reference CSV)
    that DuckDB reads with meta.external_location. Re-created on every run: a table's schema and file
    list are read when it is created, and dropping an external table never deletes its files.
    recursiveFileLookup reads <table>/period=YYYY-MM/*.parquet as plain files: the files carry
    `period` themselves, and partition discovery would add a second one from the folder names.
    mergeSchema unions the columns of every file (DuckDB's union_by_name). Spark skips files whose
    names start with `_`, so the zero-row _schema.parquet is not read: the schema comes from the
    source's column types instead (every lake source types every column; tests/ingestion/
    test_registry.py), so a lake table with no data file yet is an empty table. Then the lake's file
    list for the incremental-by-month models (macros/build_periods.sql). Nothing on DuckDB. -#}
{% macro create_spark_sources() -%}
    {%- if not execute or target.type != 'spark' -%}{{ return('') }}{%- endif -%}
    {%- for node in graph.sources.values() -%}
        {%- set meta = node.config.get('meta', {}) or node.meta -%}
        {#- A source read only when a var says its file is usable (poverty_households.csv): no
            table over a file that may not exist, as no model selects from it then. -#}
        {%- set read_when = meta.get('read_when_var') -%}
        {%- if meta.get('spark_location') and (not read_when or var(read_when, false)) -%}
            {%- set relation = node.schema ~ '.' ~ node.identifier -%}
            {%- set format = meta.get('spark_format', 'parquet') -%}
            {%- if format == 'csv' -%}
                {#- Every column as text (no inferSchema), as DuckDB's all_varchar. -#}
                {%- set options = "header 'true', encoding 'UTF-8'" -%}
            {%- else -%}
                {%- set options = "recursiveFileLookup 'true', mergeSchema 'true'" -%}
            {%- endif -%}
            {%- do run_query('create database if not exists ' ~ node.schema) -%}
            {%- do run_query('drop table if exists ' ~ relation) -%}
            {#- A source whose yml types every column gets that schema: Spark infers one from the
                data files otherwise, and a lake table with no data file yet has none to infer from. -#}
            {%- set columns = node.columns.values() | list -%}
            {%- set schema = '' -%}
            {%- if columns and columns | selectattr('data_type') | list | length == columns | length -%}
                {%- set typed = [] -%}
                {%- for column in columns -%}{%- do typed.append(column.name ~ ' ' ~ column.data_type) -%}{%- endfor -%}
                {%- set schema = ' (' ~ typed | join(', ') ~ ')' -%}
            {%- endif -%}
            {%- do run_query('create table ' ~ relation ~ schema ~ ' using ' ~ format ~ " options (path '"
                ~ meta['spark_location'] ~ "', " ~ options ~ ')') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if flags.WHICH in ('build', 'run') -%}{%- do spark_snapshot_lake_files() -%}{%- endif -%}
    {{ return('') }}
{%- endmacro %}

{#- Contracts on Spark: the model tables are Parquet (dbt_project.yml file_format), which has no
    NOT NULL constraint to set (dbt-spark sets them on Delta only), so a not_null constraint is
    checked after the build instead: the model fails, as its DuckDB build would, when the column
    holds a NULL. The column types are checked by dbt's contract as on DuckDB. `where` limits the
    check to the rows just written (an incremental-by-month model's months, macros/build_periods.sql). -#}
{% macro spark__persist_constraints(relation, model, where=none) -%}
    {%- set contract_config = config.get('contract') -%}
    {%- if not contract_config.enforced -%}{{ return('') }}{%- endif -%}
    {%- if config.get('file_format', 'delta') == 'delta' -%}
        {%- do alter_table_add_constraints(relation, model.constraints) -%}
        {%- do alter_column_set_constraints(relation, model.columns) -%}
        {{ return('') }}
    {%- endif -%}
    {%- set not_null = [] -%}
    {%- for name, column in model.columns.items() -%}
        {%- for constraint in column.constraints if constraint.type == 'not_null' -%}
            {%- do not_null.append(name) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if not_null -%}
        {%- set counts -%}
            select {% for name in not_null %}count_if({{ name }} is null) as {{ name }}{{ ', ' if not loop.last }}{% endfor %}
            from {{ relation }}{% if where %} where {{ where }}{% endif %}
        {%- endset -%}
        {%- set row = run_query(counts).rows[0] -%}
        {%- for name in not_null -%}
            {%- if row[loop.index0] > 0 -%}
                {{ exceptions.raise_compiler_error('contract not_null violated: ' ~ relation ~ '.' ~ name ~ ' holds ' ~ row[loop.index0] ~ ' NULL(s)') }}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{#- Seeds on Spark: dbt-spark's session method binds an empty CSV cell as the text 'None', so the
    rows are written as SQL literals instead (NULL for an empty cell, as DuckDB loads it). -#}
{% macro spark__load_csv_rows(model, agate_table) -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for col_name in agate_table.column_names -%}
                    {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
                    {%- set value = row[loop.index0] -%}
                    {%- if value is none -%}
                        cast(null as {{ type }})
                    {%- else -%}
                        cast('{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}' as {{ type }})
                    {%- endif -%}
                    {{- ', ' if not loop.last -}}
                {%- endfor -%}){{ ',' if not loop.last }}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}{%- do statements.append(sql) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(statements[0]) }}
{%- endmacro %}
