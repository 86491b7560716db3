{#- The bureau's ledgers (models/staging/ledgers, the ledger marts, figures and rules 30-32). -#}

{#- The rows of `relation` that are the first (lowest Excel row) of their key within each month:
    a key the officer repeated is kept once, and rule 30 names the repetition. -#}
{% macro first_row_per_key(relation, keys) -%}
    select *
    from (
        select
            *,
            row_number() over (partition by period, {{ keys | join(', ') }} order by row_number) as key_occurrence
        from {{ relation }}
    ) as occurrences
    where key_occurrence = 1
{%- endmacro %}

{#- The stages of 阶段 in their order (extracts.md section 6): 1 培育 .. 6 已上市. -#}
{% macro ledger_stage_order(stage) -%}
    (case {{ stage }}
        when '培育' then 1
        when '股改完成' then 2
        when '辅导备案' then 3
        when '已申报' then 4
        when '已过会' then 5
        when '已上市' then 6
    end)
{%- endmacro %}

{#- A ledger rule row's extra columns (after the shared layout): the workbook, sheet and key the
    officer opens to act. key_value holds identifiers only (编号, 机构代码, 文号), never a name. -#}
{% macro ledger_rule_extra_columns() -%}
    cast(ledger as string) as ledger,
    cast(sheet as string) as sheet,
    cast(key_name as string) as key_name,
    cast(key_value as string) as key_value
{%- endmacro %}

{#- Rule 30's text for a 授信跟踪/签约 row whose `column` is not where it must be (`present_in`: a
    (CTE, sheet) pair, or none for the institution register). -#}
{% macro reference_problem(alias, key_name, column, present_in) -%}
    {%- if present_in is none -%}
        '项目编号 ' || {{ alias }}.project_id || ' 的机构代码 ' || {{ alias }}.inst_code || ' 不在机构名录中'
    {%- else -%}
        '{{ key_name }} ' || {{ alias }}.{{ column }} || ' 不在本月{{ present_in[1] }}中'
    {%- endif -%}
{%- endmacro %}

{#- Rule 30's condition: the row's `column` is missing from `present_in` (see reference_problem). -#}
{% macro reference_missing(alias, column, present_in) -%}
    {%- if present_in is none -%}
        {{ alias }}.inst_code not in (select r.inst_code from register as r)
    {%- else -%}
        not exists (
            select 1 from {{ present_in[0] }} as m
            where m.period = {{ alias }}.period and m.{{ column }} = {{ alias }}.{{ column }}
        )
    {%- endif -%}
{%- endmacro %}
