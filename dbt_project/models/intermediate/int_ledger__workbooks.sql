-- One row per month and ledger workbook delivered for it (its current revision has a record on any
-- sheet): what the ledger figures need (a workbook missing for M withholds its figures) and the
-- "previous month with that ledger" of rules 31 and 32.
with

sheets as (
    {%- set sheets = [
        ('银企对接台账', 'ledger_matchmaking', 'activities'),
        ('银企对接台账', 'ledger_matchmaking', 'visits'),
        ('银企对接台账', 'ledger_matchmaking', 'projects'),
        ('银企对接台账', 'ledger_matchmaking', 'credit_follow_up'),
        ('银企对接台账', 'ledger_matchmaking', 'signings'),
        ('上市后备企业台账', 'ledger_listing', 'pipeline_enterprises'),
        ('上市后备企业台账', 'ledger_listing', 'service_records'),
        ('监管文书台账', 'ledger_documents', 'documents'),
    ] %}
    {%- for ledger, lake_table, sheet in sheets %}
    select distinct
        period,
        '{{ ledger }}' as ledger,
        '{{ lake_table }}' as lake_table,
        source_file,
        revision
    from {{ ref('stg_ledgers__' ~ sheet) }}
    {%- if not loop.last %}
    union
    {%- endif %}
    {%- endfor %}
)

select
    cast(period as string) as period,
    cast(ledger as string) as ledger,
    cast(lake_table as string) as lake_table,
    cast(min(source_file) as string) as source_file,
    cast(max(revision) as integer) as revision,
    {{ period_year_start('period') }} as year_start,
    {{ period_end_date('period') }} as period_end
from sheets
group by period, ledger, lake_table
