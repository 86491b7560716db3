-- 上市后备企业台账's sheet 服务记录: one row per service record,
-- of the current revision of each month's workbook.
with

source as (
    select * from {{ source('ledgers', 'ledger_listing') }}
),

renamed as (
    select
        cast(period as string) as period,
        cast(sheet as string) as sheet,
        cast(service_date as date) as service_date,
        cast(enterprise_id as string) as enterprise_id,
        cast(service_type as string) as service_type,
        cast(attendances as integer) as attendances,
        cast(problems_solved as integer) as problems_solved,
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
    service_date,
    enterprise_id,
    service_type,
    attendances,
    problems_solved,
    source_file,
    row_number,
    revision
from current_workbook
where sheet = '服务记录'
