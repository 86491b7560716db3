-- The central bank branch's figures of the current revision of each month's workbook.
with

source as (
    select * from {{ source('pbc', 'pbc_figures') }}
),

renamed as (
    select
        cast(period as string) as period,
        cast(item_code as string) as item_code,
        cast(item_name as string) as item_name,
        cast(balance_yuan as decimal(20, 2)) as balance_yuan,
        cast(ytd_change_yuan as decimal(20, 2)) as ytd_change_yuan,
        cast(yoy_pct as decimal(20, 4)) as yoy_pct,
        cast(ratio_pct as decimal(20, 4)) as ratio_pct,
        cast(source_file as string) as source_file,
        cast(sheet as string) as sheet,
        cast(row_number as integer) as row_number,
        cast(revision as integer) as revision
    from source
),

current_report as (
    {{ current_revision('renamed', partition_by=['period']) }}
)

select
    period,
    item_code,
    item_name,
    balance_yuan,
    ytd_change_yuan,
    yoy_pct,
    ratio_pct,
    source_file,
    sheet,
    row_number,
    revision
from current_report
