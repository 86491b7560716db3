-- One row per financing request and snapshot month in which its 状态 differs from the previous
-- month's snapshot (or the request first appears): how each request moved from month to month.
-- Built from every month's retained snapshot, so a rebuild or a corrected snapshot gives the same
-- history (a dbt snapshot would stamp build times instead of snapshot months).
with

requests as (
    select
        *,
        lag(status) over (partition by request_id order by period) as previous_status,
        lag(period) over (partition by request_id order by period) as previous_period
    from {{ ref('fct_platform_requests') }}
),

changes as (
    select
        *,
        -- The month the next change is seen in, so each row covers [period, valid_to_period).
        lead(period) over (partition by request_id order by period) as next_change_period
    from requests
    where previous_status is null or previous_status <> status
)

select
    cast(request_id || '|' || period as string) as status_change_key,
    cast(request_id as string) as request_id,
    cast(period as string) as period,
    cast(status as string) as status,
    cast(previous_status as string) as previous_status,
    cast(previous_period as string) as previous_period,
    cast(next_change_period as string) as next_change_period,
    cast(enterprise_id as string) as enterprise_id,
    cast(product_id as string) as product_id,
    cast(inst_code as string) as inst_code,
    cast(granted_yuan as decimal(20, 2)) as granted_yuan,
    cast(granted_at as timestamp) as granted_at,
    cast(disbursed_yuan as decimal(20, 2)) as disbursed_yuan,
    cast(disbursed_at as timestamp) as disbursed_at,
    cast(source_file as string) as source_file,
    cast(row_number as integer) as row_number
from changes
