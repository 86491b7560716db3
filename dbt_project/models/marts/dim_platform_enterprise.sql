-- One row per platform enterprise (企业ID), as the latest snapshot that lists it describes it.
-- No name or 统一社会信用代码 in clear: uscc_key/name_key are the pseudonymous keys (uscc_key
-- equals the rural-credit borrower_key of the same enterprise, so the two can be joined).
with

ranked as (
    select
        *,
        min(period) over (partition by enterprise_id) as first_period,
        row_number() over (partition by enterprise_id order by period desc) as recency
    from {{ ref('stg_platform__enterprises') }}
)

select
    cast(enterprise_id as string) as enterprise_id,
    cast(uscc_key as string) as uscc_key,
    cast(uscc_check_ok as boolean) as uscc_check_ok,
    cast(name_key as string) as name_key,
    cast(county_code as string) as county_code,
    cast(industry_code as string) as industry_code,
    cast(size_class as string) as size_class,
    cast(registered_at as timestamp) as registered_at,
    cast(status as string) as status,
    cast(first_period as string) as first_period,
    cast(period as string) as last_period
from ranked
where recency = 1
