-- One row per 服务记录 (a record has no key of its own: several trainings of one enterprise on one
-- day are several rows) and month of the 上市后备企业台账 (current workbook). is_in_year: dated in
-- the year up to the end of the month (S04..S06).
with

workbooks as (
    select * from {{ ref('int_ledger__workbooks') }} where lake_table = 'ledger_listing'
)

select
    cast(r.period || '|' || cast(r.row_number as string) as string) as ledger_service_record_key,
    cast(r.period as string) as period,
    cast(r.service_date as date) as service_date,
    cast(r.enterprise_id as string) as enterprise_id,
    cast(r.service_type as string) as service_type,
    cast(r.attendances as integer) as attendances,
    cast(r.problems_solved as integer) as problems_solved,
    cast(coalesce(r.service_date between w.year_start and w.period_end, false) as boolean) as is_in_year,
    cast(r.source_file as string) as source_file,
    cast(r.row_number as integer) as row_number
from {{ ref('stg_ledgers__service_records') }} as r
inner join workbooks as w on w.period = r.period
