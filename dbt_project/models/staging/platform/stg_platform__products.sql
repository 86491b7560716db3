-- Financial products (金融产品) of the current revision of each month's snapshot.
with

source as (
    select * from {{ source('platform', 'platform_products') }}
),

renamed as (
    select
        cast(period as varchar) as period,
        cast(product_id as varchar) as product_id,
        cast(product_name as varchar) as product_name,
        cast(inst_code as varchar) as inst_code,
        cast(guarantee_type as varchar) as guarantee_type,
        cast(limit_yuan as decimal(20, 2)) as limit_yuan,
        cast(listed_at as timestamp) as listed_at,
        cast(delisted_at as timestamp) as delisted_at,
        cast(status as varchar) as status,
        cast(source_file as varchar) as source_file,
        cast(row_number as integer) as row_number,
        cast(revision as integer) as revision,
        max(cast(revision as integer)) over (partition by period) as current_revision
    from source
)

select * exclude (current_revision)
from renamed
where revision = current_revision
