-- One row per 走访企业 record (走访编号) and month of the 银企对接台账 (current workbook); the
-- enterprise is its HMAC keys. is_in_year: dated in the year up to the end of the month (M02, M03).
with

visits as (
    {{ first_row_per_key(ref('stg_ledgers__visits'), ['visit_id']) }}
),

workbooks as (
    select * from {{ ref('int_ledger__workbooks') }} where lake_table = 'ledger_matchmaking'
)

select
    cast(v.visit_id || '|' || v.period as string) as ledger_visit_key,
    cast(v.period as string) as period,
    cast(v.visit_id as string) as visit_id,
    cast(v.visit_date as date) as visit_date,
    cast(v.uscc_key as string) as uscc_key,
    cast(v.uscc_check_ok as boolean) as uscc_check_ok,
    cast(v.name_key as string) as name_key,
    cast(v.county_code as string) as county_code,
    cast(v.problems_reported as integer) as problems_reported,
    cast(v.problems_solved as integer) as problems_solved,
    cast(coalesce(v.visit_date between w.year_start and w.period_end, false) as boolean) as is_in_year,
    cast(v.source_file as string) as source_file,
    cast(v.row_number as integer) as row_number
from visits as v
inner join workbooks as w on w.period = v.period
