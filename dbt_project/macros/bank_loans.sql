{#- The typed rows of the current revision of each institution's monthly loan report (贷款月报), all
    its items: the body stg_bank_loans__balances (A/B/C items, 余额) and stg_bank_loans__disposals
    (D items, 本月/本年累计) share; each keeps its own items. The revision is the whole report's: a
    resubmission supersedes the earlier report, whichever items it holds. -#}
{% macro bank_loans_current_report() -%}
    {%- set renamed -%}
        (
            select
                cast(period as string) as period,
                cast(inst_code as string) as inst_code,
                cast(county_code as string) as county_code,
                cast(item_code as string) as item_code,
                cast(measure as string) as measure,
                cast(amount_yuan as decimal(20, 2)) as amount_yuan,
                cast(unit as string) as reported_unit,
                cast(source_file as string) as source_file,
                cast(sheet as string) as sheet,
                cast(row_number as integer) as row_number,
                cast(column_ref as string) as column_ref,
                cast(file_sha256 as string) as file_sha256,
                cast(revision as integer) as revision,
                ingested_at
            from {{ source('bank_loans', 'bank_loans') }}
        ) as renamed
    {%- endset -%}
    select
        period,
        inst_code,
        county_code,
        item_code,
        measure,
        amount_yuan,
        reported_unit,
        source_file,
        sheet,
        row_number,
        column_ref,
        file_sha256,
        revision,
        ingested_at
    from (
        {{ current_revision(renamed, partition_by=['inst_code', 'period']) }}
    ) as current_report
{%- endmacro %}
