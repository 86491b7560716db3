-- Rule 32 (warn): per month with a 上市后备企业台账 and an earlier one (previous = the latest earlier
-- month with the workbook, any year): one row per enterprise in both, found = its 阶段's order this
-- month, expected = last time's, passed = not earlier; and one row per 重点 enterprise of the previous
-- ledger that is gone from this month's, passed only when the previous ledger gave it an 出库日期.
-- Stages: 1 培育 .. 6 已上市. The text names the 企业编号, never the enterprise.
with

enterprises as (
    select * from {{ ref('fct_ledger_pipeline_enterprises') }}
),

workbooks as (
    select * from {{ ref('int_ledger__workbooks') }} where lake_table = 'ledger_listing'
),

previous_workbooks as (
    select
        w.period,
        w.source_file,
        max(p.period) as previous_period
    from workbooks as w
    inner join workbooks as p on p.period < w.period
    group by w.period, w.source_file
),

stages as (
    select
        e.period,
        '阶段' as measure,
        cast(e.previous_stage_order as decimal(38, 2)) as expected,
        cast(e.stage_order as decimal(38, 2)) as found,
        e.stage_order >= e.previous_stage_order as passed,
        '企业编号 ' || e.enterprise_id || ' 阶段 ' || e.listing_stage
        || case when e.stage_order < e.previous_stage_order then '，早于 ' else '，不早于 ' end
        || e.previous_period || ' 台账的 ' || e.previous_stage
        || case when e.stage_order < e.previous_stage_order then '（阶段不应倒退）' else '' end as problem,
        e.source_file,
        e.row_number,
        e.enterprise_id
    from enterprises as e
    where e.previous_stage is not null
),

gone as (
    select
        w.period,
        '重点企业出库' as measure,
        cast(1 as decimal(38, 2)) as expected,
        cast(0 as decimal(38, 2)) as found,
        p.exited_date is not null as passed,
        '企业编号 ' || p.enterprise_id || ' 为重点上市后备企业，在 ' || w.previous_period || ' 台账中'
        || case
            when p.exited_date is not null then '已填出库日期，本月不在台账中'
            else '未填出库日期，本月已不在台账中（应保留并填写出库日期）'
        end as problem,
        w.source_file,
        cast(null as integer) as row_number,
        p.enterprise_id
    from previous_workbooks as w
    inner join enterprises as p on p.period = w.previous_period and p.is_key
    where not exists (
            select 1 from enterprises as e where e.period = w.period and e.enterprise_id = p.enterprise_id
        )
),

problems as (
    select * from stages
    union all
    select * from gone
),

checks as (
    select
        x.period,
        cast(null as string) as inst_code,
        cast(null as string) as county_code,
        cast(null as string) as item_code,
        x.measure,
        x.expected,
        x.found,
        x.found - x.expected as diff,
        greatest(x.expected - x.found, 0) as abs_diff,
        cast(0 as decimal(38, 2)) as tolerance,
        x.passed,
        '上市后备企业台账 ' || x.period || ' 工作表 后备企业'
        || coalesce(' 第 ' || cast(x.row_number as string) || ' 行', '') || '：' || x.problem as detail,
        x.source_file,
        x.row_number,
        '上市后备企业台账' as ledger,
        '后备企业' as sheet,
        '企业编号' as key_name,
        x.enterprise_id as key_value
    from problems as x
)

select
    {{ rule_output_columns(32) }},
    {{ ledger_rule_extra_columns() }}
from checks
