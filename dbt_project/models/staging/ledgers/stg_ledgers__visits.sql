-- 银企对接台账's sheet 走访企业: one row per visit record,
-- of the current revision of each month's workbook.
with

source as (
    select * from {{ source('ledgers', 'ledger_matchmaking') }}
),

renamed as (
    select
        cast(period as string) as period,
        cast(sheet as string) as sheet,
        cast(visit_id as string) as visit_id,
        cast(visit_date as date) as visit_date,
        cast(uscc_key as string) as uscc_key,
        cast(uscc_check_ok as boolean) as uscc_check_ok,
        cast(name_key as string) as name_key,
        cast(county_code as string) as county_code,
        cast(problems_reported as integer) as problems_reported,
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
    visit_id,
    visit_date,
    uscc_key,
    uscc_check_ok,
    name_key,
    county_code,
    problems_reported,
    problems_solved,
    source_file,
    row_number,
    revision
from current_workbook
where sheet = '走访企业'
