-- One row per 对接活动 (活动编号) and month of the 银企对接台账 (current workbook), with whether it is
-- dated in the year up to the end of the month (what M01 counts). A repeated 活动编号 keeps its first
-- row; rule 30 names the repetition.
with

activities as (
    {{ first_row_per_key(ref('stg_ledgers__activities'), ['activity_id']) }}
),

workbooks as (
    select * from {{ ref('int_ledger__workbooks') }} where lake_table = 'ledger_matchmaking'
)

select
    cast(a.activity_id || '|' || a.period as string) as ledger_activity_key,
    cast(a.period as string) as period,
    cast(a.activity_id as string) as activity_id,
    cast(a.activity_date as date) as activity_date,
    cast(a.activity_name as string) as activity_name,
    cast(a.activity_form as string) as activity_form,
    cast(a.activity_category as string) as activity_category,
    cast(a.inst_count as integer) as inst_count,
    cast(a.enterprise_count as integer) as enterprise_count,
    cast(coalesce(a.activity_date between w.year_start and w.period_end, false) as boolean) as is_in_year,
    cast(a.source_file as string) as source_file,
    cast(a.row_number as integer) as row_number
from activities as a
inner join workbooks as w on w.period = a.period
