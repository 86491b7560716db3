-- Rule 20 (warn): one row per month (with a complete snapshot the month before too) and cumulative
-- figure P04, P05, P06: expected = last month's value, found = this month's, passed when not lower.
-- For a figure that fell, one more row per request (P04/P05) or enterprise (P06) whose contribution
-- fell, so the platform operator can see which records changed. Amounts in 元, P06 in 家.
with

indicators as (
    select * from {{ ref('int_platform_indicators') }} where is_city_total
),

figures as (
    select
        m.period,
        f.code,
        f.name,
        -- One type for the three figures, stated: DuckDB would pick DECIMAL(38,2) and Spark (38,10).
        case f.code
            when 'P04' then p.granted_yuan
            when 'P05' then p.disbursed_yuan
            else cast(p.p06 as decimal(38, 2))
        end as expected,
        case f.code
            when 'P04' then m.granted_yuan
            when 'P05' then m.disbursed_yuan
            else cast(m.p06 as decimal(38, 2))
        end as found
    from indicators as m
    inner join indicators as p on p.period = {{ period_add('m.period', -1) }}
    cross join (values ('P04', '平台累计授信金额'), ('P05', '平台累计放款金额'), ('P06', '平台累计授信企业数'))
        as f (code, name)
),

requests as (
    select
        period,
        request_id,
        enterprise_id,
        product_id,
        source_file,
        row_number,
        case when is_granted_by_month_end then granted_yuan else 0 end as p04_yuan,
        case when is_disbursed_by_month_end then disbursed_yuan else 0 end as p05_yuan
    from {{ ref('fct_platform_requests') }}
),

request_drops as (
    select
        f.period,
        f.code,
        f.name,
        coalesce(now.request_id, previous.request_id) as request_id,
        coalesce(now.enterprise_id, previous.enterprise_id) as enterprise_id,
        coalesce(now.product_id, previous.product_id) as product_id,
        case when f.code = 'P04' then previous.p04_yuan else previous.p05_yuan end as expected,
        coalesce(case when f.code = 'P04' then now.p04_yuan else now.p05_yuan end, 0) as found,
        coalesce(now.source_file, previous.source_file) as source_file,
        coalesce(now.row_number, previous.row_number) as row_number,
        now.request_id is null as is_gone
    from figures as f
    inner join requests as previous on previous.period = {{ period_add('f.period', -1) }}
    left join requests as now on now.period = f.period and now.request_id = previous.request_id
    where f.code in ('P04', 'P05')
        and f.found < f.expected
        and coalesce(case when f.code = 'P04' then now.p04_yuan else now.p05_yuan end, 0)
        < case when f.code = 'P04' then previous.p04_yuan else previous.p05_yuan end
),

granted_enterprises as (
    select distinct period, enterprise_id from {{ ref('fct_platform_requests') }} where is_granted_by_month_end
),

enterprise_drops as (
    select f.period, f.code, f.name, b.enterprise_id
    from figures as f
    inner join granted_enterprises as b on b.period = {{ period_add('f.period', -1) }}
    where f.code = 'P06'
        and f.found < f.expected
        and not exists (
            select 1 from granted_enterprises as n where n.period = f.period and n.enterprise_id = b.enterprise_id
        )
),

checks as (
    select
        period,
        null as inst_code,
        null as county_code,
        null as item_code,
        code || ' ' || name as measure,
        expected,
        found,
        found - expected as diff,
        abs(found - expected) as abs_diff,
        null as tolerance,
        found >= expected as passed,
        '普惠金融共享平台 ' || period || ' ' || name || '（' || code || '）为 '
        || case when code = 'P06' then cast(found as string) || ' 家' else {{ wan_text('found') }} end
        || '，上月为 '
        || case when code = 'P06' then cast(expected as string) || ' 家' else {{ wan_text('expected') }} end
        || case
            when found < expected then '：累计数不应减少，请核实平台是否删改了历史记录（明细见本规则的逐条记录行）'
            else ''
        end as detail,
        null as source_file,
        null as row_number,
        null as request_id,
        null as product_id,
        null as enterprise_id
    from figures
    union all
    select
        period,
        null as inst_code,
        null as county_code,
        null as item_code,
        code || ' ' || name as measure,
        expected,
        found,
        found - expected as diff,
        abs(found - expected) as abs_diff,
        null as tolerance,
        false as passed,
        '普惠金融共享平台 ' || period || ' 融资需求 ' || request_id || '（企业ID ' || enterprise_id || '）：计入'
        || name || '的金额由上月 ' || {{ wan_text('expected') }} || ' 变为 ' || {{ wan_text('found') }}
        || case when is_gone then '（本月快照中已无此需求）' else '' end as detail,
        source_file,
        row_number,
        request_id,
        product_id,
        enterprise_id
    from request_drops
    union all
    select
        period,
        null as inst_code,
        null as county_code,
        null as item_code,
        code || ' ' || name as measure,
        1 as expected,
        0 as found,
        -1 as diff,
        1 as abs_diff,
        null as tolerance,
        false as passed,
        '普惠金融共享平台 ' || period || ' 企业ID ' || enterprise_id || ' 上月已计入' || name
        || '，本月不再有授信记录' as detail,
        null as source_file,
        null as row_number,
        null as request_id,
        null as product_id,
        enterprise_id
    from enterprise_drops
)

select
    {{ rule_output_columns(20) }},
    {{ platform_rule_extra_columns() }}
from checks
