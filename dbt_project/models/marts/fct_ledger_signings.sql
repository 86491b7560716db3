-- One row per 签约 record ((活动编号, 项目编号, 机构代码)) and month of the 银企对接台账 (current
-- workbook), with its activity's date: M08..M10 count the rows whose activity is in the year, M11/M12
-- those also signed (是) with a 签约日期 by the end of the month.
with

signings as (
    {{ first_row_per_key(ref('stg_ledgers__signings'), ['activity_id', 'project_id', 'inst_code']) }}
),

workbooks as (
    select * from {{ ref('int_ledger__workbooks') }} where lake_table = 'ledger_matchmaking'
),

activities as (
    select period, activity_id, activity_date, is_in_year from {{ ref('fct_ledger_activities') }}
),

dated as (
    select
        s.*,
        a.activity_date,
        coalesce(a.is_in_year, false) as is_activity_in_year,
        coalesce(s.is_signed and s.signed_date <= w.period_end and s.signed_yuan is not null, false)
            as is_signed_by_month_end
    from signings as s
    inner join workbooks as w on w.period = s.period
    left join activities as a on a.period = s.period and a.activity_id = s.activity_id
)

select
    cast(activity_id || '|' || project_id || '|' || inst_code || '|' || period as string) as ledger_signing_key,
    cast(period as string) as period,
    cast(activity_id as string) as activity_id,
    cast(project_id as string) as project_id,
    cast(inst_code as string) as inst_code,
    cast(intent_yuan as decimal(20, 2)) as intent_yuan,
    cast(is_signed as boolean) as is_signed,
    cast(signed_yuan as decimal(20, 2)) as signed_yuan,
    cast(signed_date as date) as signed_date,
    cast(activity_date as date) as activity_date,
    cast(is_activity_in_year as boolean) as is_activity_in_year,
    cast(is_signed_by_month_end as boolean) as is_signed_by_month_end,
    cast(is_activity_in_year and is_signed_by_month_end as boolean) as is_counted_signed,
    cast(source_file as string) as source_file,
    cast(row_number as integer) as row_number
from dated
