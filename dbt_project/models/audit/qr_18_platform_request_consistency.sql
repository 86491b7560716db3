-- Rule 18: one row per request of a month's snapshot and broken condition: 放款金额 above 授信金额
-- (or a 放款 without a 授信), 授信时间 before 申请时间, 放款时间 before 授信时间 (or a 放款 time without
-- a 授信 time). A month whose requests are all consistent has no row (zero rows = pass).
with

requests as (
    select * from {{ ref('fct_platform_requests') }}
),

broken as (
    select
        *,
        '放款金额<=授信金额' as measure,
        granted_yuan as expected,
        disbursed_yuan as found,
        '放款金额 ' || {{ wan_text('disbursed_yuan') }} || ' 大于授信金额 ' || {{ wan_text('granted_yuan') }} as problem
    from requests
    where disbursed_yuan > coalesce(granted_yuan, 0)
    union all
    select
        *,
        '授信时间>=申请时间' as measure,
        null as expected,
        null as found,
        '授信时间 ' || {{ time_text('granted_at') }} || ' 早于申请时间 ' || {{ time_text('applied_at') }} as problem
    from requests
    where granted_at < applied_at
    union all
    select
        *,
        '放款时间>=授信时间' as measure,
        null as expected,
        null as found,
        '放款时间 ' || {{ time_text('disbursed_at') }} || ' 早于授信时间 ' || {{ time_text('granted_at') }} as problem
    from requests
    where disbursed_at < coalesce(granted_at, disbursed_at + interval 1 second)
),

checks as (
    select
        x.period,
        x.inst_code,
        null as county_code,
        null as item_code,
        x.measure,
        x.expected,
        x.found,
        x.found - x.expected as diff,
        abs(x.found - x.expected) as abs_diff,
        0 as tolerance,
        false as passed,
        '普惠金融共享平台 ' || x.period || ' 融资需求 ' || x.request_id || '（企业ID ' || x.enterprise_id
        || '，产品ID ' || x.product_id || '，' || {{ inst_label('inst.inst_name', 'x.inst_code') }} || '）：'
        || x.problem || '。请平台运营方核实后重新导出本月快照（更正文件名加 _v2）' as detail,
        x.source_file,
        x.row_number,
        x.request_id,
        x.product_id,
        x.enterprise_id
    from broken as x
    left join {{ ref('dim_institution') }} as inst on inst.inst_code = x.inst_code
)

select
    {{ rule_output_columns(18) }},
    {{ platform_rule_extra_columns() }}
from checks
