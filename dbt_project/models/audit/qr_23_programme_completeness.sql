-- Rule 23: in a month for which any programme report arrived, one row per in-scope institution:
-- found = current programme reports received, expected = 1. A month with none at all has no row
-- (its V and H figures are withheld instead of the month being blocked).
with

cells as (
    select * from {{ ref('stg_bank_programmes__cells') }}
),

programme_months as (
    select distinct period from cells
),

reports as (
    select
        period,
        inst_code,
        count(distinct source_file) as report_count,
        max(revision) as revision,
        {{ string_agg_sorted('source_file', '; ', distinct=true) }} as source_files
    from cells
    group by period, inst_code
),

scope as (
    select i.inst_code, i.inst_name, m.period
    from {{ ref('dim_institution') }} as i
    inner join programme_months as m
        on m.period >= i.reports_from
            and (i.reports_to is null or m.period <= i.reports_to)
),

checks as (
    select
        s.period,
        s.inst_code,
        null as county_code,
        null as item_code,
        '报表份数' as measure,
        1 as expected,
        coalesce(r.report_count, 0) as found,
        coalesce(r.report_count, 0) - 1 as diff,
        abs(coalesce(r.report_count, 0) - 1) as abs_diff,
        0 as tolerance,
        coalesce(r.report_count, 0) = 1 as passed,
        case
            when r.report_count is null
                then
                    '缺报：' || {{ inst_label('s.inst_name', 's.inst_code') }} || ' ' || s.period
                    || ' 金融支持重点领域专项统计月报未收到有效报表（本月已有其他机构报送，应报 1 份，收到 0 份；'
                    || '已报送但被拒的文件见文件级规则 1-5；无此业务的机构报送零值报表），请催报或请其更正后重报'
            when r.report_count > 1
                then
                    '重复：' || {{ inst_label('s.inst_name', 's.inst_code') }} || ' ' || s.period
                    || ' 专项统计月报当前版本有 ' || r.report_count || ' 份（应为 1 份）：' || r.source_files
            else
                {{ inst_label('s.inst_name', 's.inst_code') }} || ' ' || s.period
                || ' 专项统计月报已报送（第 ' || r.revision || ' 版）：' || r.source_files
        end as detail,
        r.source_files as source_file,
        null as row_number
    from scope as s
    left join reports as r on r.inst_code = s.inst_code and r.period = s.period
)

select {{ rule_output_columns(23) }}
from checks
