-- 银企对接台账's sheet 授信跟踪: one row per (project, institution) record,
-- of the current revision of each month's workbook.
with

source as (
    select * from {{ source('ledgers', 'ledger_matchmaking') }}
),

renamed as (
    select
        cast(period as string) as period,
        cast(sheet as string) as sheet,
        cast(project_id as string) as project_id,
        cast(inst_code_ref as string) as inst_code,
        cast(credit_yuan as decimal(20, 2)) as credit_yuan,
        cast(credit_date as date) as credit_date,
        cast(disbursed_yuan as decimal(20, 2)) as disbursed_yuan,
        cast(disbursed_date as date) as disbursed_date,
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
    project_id,
    inst_code,
    credit_yuan,
    credit_date,
    disbursed_yuan,
    disbursed_date,
    source_file,
    row_number,
    revision
from current_workbook
where sheet = '授信跟踪'
