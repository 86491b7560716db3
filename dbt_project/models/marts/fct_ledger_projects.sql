-- One row per 推介项目 (项目编号) and month of the 银企对接台账 (current workbook). is_in_year:
-- recommended in the year up to the end of the month (the projects of M04..M07).
with

projects as (
    {{ first_row_per_key(ref('stg_ledgers__projects'), ['project_id']) }}
),

workbooks as (
    select * from {{ ref('int_ledger__workbooks') }} where lake_table = 'ledger_matchmaking'
)

select
    cast(p.project_id || '|' || p.period as string) as ledger_project_key,
    cast(p.period as string) as period,
    cast(p.project_id as string) as project_id,
    cast(p.batch as string) as batch,
    cast(p.recommended_date as date) as recommended_date,
    cast(p.project_name as string) as project_name,
    cast(p.uscc_key as string) as uscc_key,
    cast(p.county_code as string) as county_code,
    cast(p.demand_yuan as decimal(20, 2)) as demand_yuan,
    cast(p.project_category as string) as project_category,
    cast(coalesce(p.recommended_date between w.year_start and w.period_end, false) as boolean) as is_in_year,
    cast(p.source_file as string) as source_file,
    cast(p.row_number as integer) as row_number
from projects as p
inner join workbooks as w on w.period = p.period
