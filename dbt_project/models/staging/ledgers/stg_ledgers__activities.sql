-- 银企对接台账's sheet 对接活动: one row per activity record,
-- of the current revision of each month's workbook.
with

source as (
    select * from {{ source('ledgers', 'ledger_matchmaking') }}
),

renamed as (
    select
        cast(period as string) as period,
        cast(sheet as string) as sheet,
        cast(activity_id as string) as activity_id,
        cast(activity_date as date) as activity_date,
        cast(activity_name as string) as activity_name,
        cast(activity_form as string) as activity_form,
        cast(activity_category as string) as activity_category,
        cast(inst_count as integer) as inst_count,
        cast(enterprise_count as integer) as enterprise_count,
        cast(source_file as string) as source_file,
        cast(row_number as integer) as row_number,
        cast(revision as integer) as revision
    from source
),

current_workbook as (
    -- The latest delivery of the month's workbook replaces the whole workbook, every sheet: the
    -- revision is chosen before the sheet, so a record a correction deleted is gone.
    {{ current_revision('renamed', partition_by=['period']) }}
)

select
    period,
    activity_id,
    activity_date,
    activity_name,
    activity_form,
    activity_category,
    inst_count,
    enterprise_count,
    source_file,
    row_number,
    revision
from current_workbook
where sheet = '对接活动'
