-- The listing pipeline month by month: one row per 后备企业 (企业编号) and month of the 上市后备企业台账
-- (current workbook), with its 阶段 that month and in the previous month's ledger (the latest earlier
-- month with the workbook): "which enterprises moved to 辅导备案 in May" is a query on this table.
-- is_in_pipeline: 入库日期 by the end of the month and no 出库日期 by then (S02; S01 adds is_key).
-- A repeated 企业编号 keeps its first row; rule 30 names the repetition.
with

enterprises as (
    {{ first_row_per_key(ref('stg_ledgers__pipeline_enterprises'), ['enterprise_id']) }}
),

workbooks as (
    select * from {{ ref('int_ledger__workbooks') }} where lake_table = 'ledger_listing'
),

previous_workbooks as (
    select
        w.period,
        max(p.period) as previous_period
    from workbooks as w
    inner join workbooks as p on p.period < w.period
    group by w.period
),

staged as (
    select
        e.*,
        w.period_end,
        pw.previous_period,
        {{ ledger_stage_order('e.listing_stage') }} as stage_order
    from enterprises as e
    inner join workbooks as w on w.period = e.period
    left join previous_workbooks as pw on pw.period = e.period
)

select
    cast(s.enterprise_id || '|' || s.period as string) as ledger_enterprise_key,
    cast(s.period as string) as period,
    cast(s.enterprise_id as string) as enterprise_id,
    cast(s.name_key as string) as name_key,
    cast(s.uscc_key as string) as uscc_key,
    cast(s.uscc_check_ok as boolean) as uscc_check_ok,
    cast(s.county_code as string) as county_code,
    cast(coalesce(s.is_key, false) as boolean) as is_key,
    cast(s.entered_date as date) as entered_date,
    cast(s.exited_date as date) as exited_date,
    cast(s.listing_stage as string) as listing_stage,
    cast(s.stage_order as integer) as stage_order,
    cast(s.stage_date as date) as stage_date,
    cast(s.target_board as string) as target_board,
    cast(
        coalesce(s.entered_date <= s.period_end, false) and not coalesce(s.exited_date <= s.period_end, false)
        as boolean
    ) as is_in_pipeline,
    cast(s.previous_period as string) as previous_period,
    cast(p.listing_stage as string) as previous_stage,
    cast(p.stage_order as integer) as previous_stage_order,
    cast(s.source_file as string) as source_file,
    cast(s.row_number as integer) as row_number
from staged as s
left join staged as p on p.period = s.previous_period and p.enterprise_id = s.enterprise_id
