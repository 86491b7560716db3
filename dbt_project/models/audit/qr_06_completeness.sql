-- Rule 6: one row per in-scope institution and month (the build month always included, even when
-- no file arrived): found = current reports received, expected = 1.
with

scope as (
    select i.inst_code, i.inst_name, m.period
    from {{ ref('dim_institution') }} as i
    inner join {{ ref('dim_month') }} as m
        on m.period >= i.reports_from
            and (i.reports_to is null or m.period <= i.reports_to)
),

reports as (
    select * from {{ ref('int_bank_loans__reports') }}
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
                    || ' 贷款月报未收到有效报表（应报 1 份，收到 0 份；已报送但被拒的文件见文件级规则 1-5），'
                    || '请催报或请其更正后重报'
            when r.report_count > 1
                then
                    '重复：' || {{ inst_label('s.inst_name', 's.inst_code') }} || ' ' || s.period
                    || ' 当前版本有 ' || r.report_count || ' 份报表（应为 1 份）：' || r.source_files
            else
                {{ inst_label('s.inst_name', 's.inst_code') }} || ' ' || s.period
                || ' 已报送（第 ' || r.revision || ' 版）：' || r.source_files
        end as detail,
        r.source_files as source_file,
        null as row_number
    from scope as s
    left join reports as r on r.inst_code = s.inst_code and r.period = s.period
)

select {{ rule_output_columns(6) }}
from checks
