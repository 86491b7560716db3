-- Rule 19: one row per dangling reference in a month's snapshot: a request whose 企业ID or 产品ID
-- is not in the same month's 入驻企业/金融产品 file, a product whose 机构代码 is not in the register,
-- and a snapshot file missing from a month that has the others. Zero rows = pass.
with

snapshots as (
    select * from {{ ref('int_platform__snapshots') }}
),

requests as (
    select * from {{ ref('fct_platform_requests') }}
),

enterprises as (
    select period, enterprise_id from {{ ref('stg_platform__enterprises') }}
),

products as (
    select * from {{ ref('stg_platform__products') }}
),

problems as (
    select
        q.period, q.inst_code, '企业ID' as measure, q.request_id, q.product_id, q.enterprise_id,
        q.source_file, q.row_number,
        '融资需求 ' || q.request_id || ' 的企业ID ' || q.enterprise_id || ' 不在本月入驻企业快照中' as problem
    from requests as q
    inner join snapshots as s on s.period = q.period and s.has_enterprises
    where not exists (
            select 1 from enterprises as e where e.period = q.period and e.enterprise_id = q.enterprise_id
        )
    union all
    select
        q.period, q.inst_code, '产品ID' as measure, q.request_id, q.product_id, q.enterprise_id,
        q.source_file, q.row_number,
        '融资需求 ' || q.request_id || ' 的产品ID ' || q.product_id || ' 不在本月金融产品快照中' as problem
    from requests as q
    inner join snapshots as s on s.period = q.period and s.has_products
    where not exists (
            select 1 from products as p where p.period = q.period and p.product_id = q.product_id
        )
    union all
    select
        p.period, p.inst_code, '机构代码' as measure, null as request_id, p.product_id, null as enterprise_id,
        p.source_file, p.row_number,
        '金融产品 ' || p.product_id || '（' || p.product_name || '）的机构代码 ' || p.inst_code
        || ' 不在机构名录中' as problem
    from products as p
    where p.inst_code not in (select i.inst_code from {{ ref('dim_institution') }} as i)
    union all
    select
        s.period, null as inst_code, '快照文件' as measure, null as request_id, null as product_id,
        null as enterprise_id, null as source_file, null as row_number,
        '本月平台快照缺少文件：'
        || concat_ws(
            '、',
            case when not s.has_enterprises then '入驻企业_' || replace(s.period, '-', '') || '.csv' end,
            case when not s.has_products then '金融产品_' || replace(s.period, '-', '') || '.csv' end,
            case when not s.has_requests then '融资需求_' || replace(s.period, '-', '') || '.csv' end
        )
        || '（三个文件共同构成一期快照）' as problem
    from snapshots as s
    where not s.is_complete
),

checks as (
    select
        x.period,
        x.inst_code,
        null as county_code,
        null as item_code,
        x.measure,
        1 as expected,
        0 as found,
        -1 as diff,
        1 as abs_diff,
        0 as tolerance,
        false as passed,
        '普惠金融共享平台 ' || x.period || '：' || x.problem
        || '。请平台运营方核实后重新导出本月快照（更正文件名加 _v2）' as detail,
        x.source_file,
        x.row_number,
        x.request_id,
        x.product_id,
        x.enterprise_id
    from problems as x
)

select
    {{ rule_output_columns(19) }},
    {{ platform_rule_extra_columns() }}
from checks
