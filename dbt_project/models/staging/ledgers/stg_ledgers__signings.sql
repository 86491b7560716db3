-- 银企对接台账's sheet 签约: one row per (activity, project, institution) record,
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
        cast(project_id as string) as project_id,
        cast(inst_code_ref as string) as inst_code,
        cast(intent_yuan as decimal(20, 2)) as intent_yuan,
        cast(signed as boolean) as is_signed,
        cast(signed_yuan as decimal(20, 2)) as signed_yuan,
        cast(signed_date as date) as signed_date,
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
    project_id,
    inst_code,
    intent_yuan,
    is_signed,
    signed_yuan,
    signed_date,
    source_file,
    row_number,
    revision
from current_workbook
where sheet = '签约'
