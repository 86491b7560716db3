-- 上市后备企业台账's sheet 后备企业: one row per enterprise record,
-- of the current revision of each month's workbook.
with

source as (
    select * from {{ source('ledgers', 'ledger_listing') }}
),

renamed as (
    select
        cast(period as string) as period,
        cast(sheet as string) as sheet,
        cast(enterprise_id as string) as enterprise_id,
        cast(name_key as string) as name_key,
        cast(uscc_key as string) as uscc_key,
        cast(uscc_check_ok as boolean) as uscc_check_ok,
        cast(county_code as string) as county_code,
        cast(is_key as boolean) as is_key,
        cast(entered_date as date) as entered_date,
        cast(exited_date as date) as exited_date,
        cast(stage as string) as listing_stage,
        cast(stage_date as date) as stage_date,
        cast(target_board as string) as target_board,
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
    enterprise_id,
    name_key,
    uscc_key,
    uscc_check_ok,
    county_code,
    is_key,
    entered_date,
    exited_date,
    listing_stage,
    stage_date,
    target_board,
    source_file,
    row_number,
    revision
from current_workbook
where sheet = '后备企业'
