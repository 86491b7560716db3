-- One row per (项目编号, 机构代码) of 授信跟踪 and month of the 银企对接台账 (current workbook): the
-- grant and the disbursement as that month's ledger states them, and whether each happened by the
-- end of the month. A disbursement filled in a later month's ledger shows from that month on.
with

follow_up as (
    {{ first_row_per_key(ref('stg_ledgers__credit_follow_up'), ['project_id', 'inst_code']) }}
),

workbooks as (
    select * from {{ ref('int_ledger__workbooks') }} where lake_table = 'ledger_matchmaking'
),

projects as (
    select period, project_id, is_in_year from {{ ref('fct_ledger_projects') }}
)

select
    cast(f.project_id || '|' || f.inst_code || '|' || f.period as string) as ledger_credit_key,
    cast(f.period as string) as period,
    cast(f.project_id as string) as project_id,
    cast(f.inst_code as string) as inst_code,
    cast(f.credit_yuan as decimal(20, 2)) as credit_yuan,
    cast(f.credit_date as date) as credit_date,
    cast(f.disbursed_yuan as decimal(20, 2)) as disbursed_yuan,
    cast(f.disbursed_date as date) as disbursed_date,
    cast(coalesce(f.credit_date <= w.period_end, false) as boolean) as is_credited_by_month_end,
    cast(coalesce(f.disbursed_date <= w.period_end and f.disbursed_yuan is not null, false) as boolean)
        as is_disbursed_by_month_end,
    cast(coalesce(p.is_in_year, false) as boolean) as is_project_in_year,
    cast(f.source_file as string) as source_file,
    cast(f.row_number as integer) as row_number
from follow_up as f
inner join workbooks as w on w.period = f.period
left join projects as p on p.period = f.period and p.project_id = f.project_id
