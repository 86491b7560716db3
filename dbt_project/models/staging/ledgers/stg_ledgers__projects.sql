-- 银企对接台账's sheet 推介项目: one row per recommended project record,
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
        cast(batch as string) as batch,
        cast(recommended_date as date) as recommended_date,
        cast(project_name as string) as project_name,
        cast(uscc_key as string) as uscc_key,
        cast(uscc_check_ok as boolean) as uscc_check_ok,
        cast(county_code as string) as county_code,
        cast(demand_yuan as decimal(20, 2)) as demand_yuan,
        cast(project_category as string) as project_category,
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
    batch,
    recommended_date,
    project_name,
    uscc_key,
    uscc_check_ok,
    county_code,
    demand_yuan,
    project_category,
    source_file,
    row_number,
    revision
from current_workbook
where sheet = '推介项目'
