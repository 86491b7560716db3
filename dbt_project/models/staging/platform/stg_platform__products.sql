-- Financial products (金融产品) of the current revision of each month's snapshot.
with

source as (
    select * from {{ source('platform', 'platform_products') }}
),

renamed as (
    select
        cast(period as string) as period,
        cast(product_id as string) as product_id,
        cast(product_name as string) as product_name,
        cast(inst_code as string) as inst_code,
        cast(guarantee_type as string) as guarantee_type,
        cast(limit_yuan as decimal(20, 2)) as limit_yuan,
        cast(listed_at as timestamp) as listed_at,
        cast(delisted_at as timestamp) as delisted_at,
        cast(status as string) as status,
        cast(source_file as string) as source_file,
        cast(row_number as integer) as row_number,
        cast(revision as integer) as revision
    from source
),

current_report as (
    {{ current_revision('renamed', partition_by=['period']) }}
)

select
    period,
    product_id,
    product_name,
    inst_code,
    guarantee_type,
    limit_yuan,
    listed_at,
    delisted_at,
    status,
    source_file,
    row_number,
    revision
from current_report
