-- One row per month with a complete platform snapshot and region: P01..P06 (DECIMAL(38,10), in
-- their units). P01 per county and city; P02..P06 for the city only. "At end of M" is the last
-- second of the month: the export is taken days later and may hold later events.
with

snapshots as (
    select * from {{ ref('int_platform__snapshots') }} where is_complete
),

regions as (
    select * from {{ ref('dim_region') }}
),

enterprises as (
    select e.*, s.period_end
    from {{ ref('stg_platform__enterprises') }} as e
    inner join snapshots as s on s.period = e.period
),

registered as (
    select
        s.period,
        r.region_code,
        r.is_city_total,
        count(e.enterprise_id) as p01
    from snapshots as s
    cross join regions as r
    left join enterprises as e
        on e.period = s.period
            and (r.is_city_total or e.county_code = r.region_code)
            and e.status = '正常'
            and e.registered_at <= s.period_end
    group by s.period, r.region_code, r.is_city_total
),

listed as (
    select
        s.period,
        count(distinct p.inst_code) as p02,
        count(p.product_id) as p03
    from snapshots as s
    left join {{ ref('stg_platform__products') }} as p
        on p.period = s.period
            and p.listed_at <= s.period_end
            and coalesce(p.delisted_at > s.period_end, p.status = '上架')
    group by s.period
),

requests as (
    select
        s.period,
        coalesce(sum(q.granted_yuan) filter (where q.granted_at <= s.period_end), 0) as granted_yuan,
        coalesce(sum(q.disbursed_yuan) filter (where q.disbursed_at <= s.period_end), 0) as disbursed_yuan,
        count(distinct q.enterprise_id) filter (where q.granted_at <= s.period_end) as p06
    from snapshots as s
    left join {{ ref('stg_platform__requests') }} as q on q.period = s.period
    group by s.period
)

select
    g.period,
    g.region_code,
    g.is_city_total,
    cast(g.p01 as decimal(38, 10)) as p01,
    case when g.is_city_total then cast(l.p02 as decimal(38, 10)) end as p02,
    case when g.is_city_total then cast(l.p03 as decimal(38, 10)) end as p03,
    case when g.is_city_total then {{ to_yi('q.granted_yuan') }} end as p04,
    case when g.is_city_total then {{ to_yi('q.disbursed_yuan') }} end as p05,
    case when g.is_city_total then cast(q.p06 as decimal(38, 10)) end as p06,
    q.granted_yuan,
    q.disbursed_yuan
from registered as g
inner join listed as l on l.period = g.period
inner join requests as q on q.period = g.period
