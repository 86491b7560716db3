-- One row per platform financial product (产品ID), as the latest snapshot that lists it describes it.
with

ranked as (
    select
        *,
        min(period) over (partition by product_id) as first_period,
        row_number() over (partition by product_id order by period desc) as recency
    from {{ ref('stg_platform__products') }}
)

select
    cast(product_id as string) as product_id,
    cast(product_name as string) as product_name,
    cast(inst_code as string) as inst_code,
    cast(guarantee_type as string) as guarantee_type,
    cast(limit_yuan as decimal(20, 2)) as limit_yuan,
    cast(listed_at as timestamp) as listed_at,
    cast(delisted_at as timestamp) as delisted_at,
    cast(status as string) as status,
    cast(first_period as string) as first_period,
    cast(period as string) as last_period
from ranked
where recency = 1
