-- One row per financing request (需求ID) and snapshot month, as that month's snapshot states it,
-- with whether each event happened by the end of the month (what the figures count).
with

snapshots as (
    select * from {{ ref('int_platform__snapshots') }}
)

select
    cast(q.request_id || '|' || q.period as string) as platform_request_key,
    cast(q.period as string) as period,
    cast(q.request_id as string) as request_id,
    cast(q.enterprise_id as string) as enterprise_id,
    cast(q.product_id as string) as product_id,
    cast(q.inst_code as string) as inst_code,
    cast(q.status as string) as status,
    cast(q.applied_yuan as decimal(20, 2)) as applied_yuan,
    cast(q.applied_at as timestamp) as applied_at,
    cast(q.granted_yuan as decimal(20, 2)) as granted_yuan,
    cast(q.granted_at as timestamp) as granted_at,
    cast(q.disbursed_yuan as decimal(20, 2)) as disbursed_yuan,
    cast(q.disbursed_at as timestamp) as disbursed_at,
    cast(coalesce(q.granted_at <= s.period_end, false) as boolean) as is_granted_by_month_end,
    cast(coalesce(q.disbursed_at <= s.period_end, false) as boolean) as is_disbursed_by_month_end,
    cast(q.source_file as string) as source_file,
    cast(q.row_number as integer) as row_number,
    cast(q.revision as integer) as revision
from {{ ref('stg_platform__requests') }} as q
inner join snapshots as s on s.period = q.period
