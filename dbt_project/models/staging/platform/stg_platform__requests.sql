-- Financing requests (融资需求) of the current revision of each month's snapshot.
with

source as (
    select * from {{ source('platform', 'platform_requests') }}
),

renamed as (
    select
        cast(period as string) as period,
        cast(request_id as string) as request_id,
        cast(enterprise_id as string) as enterprise_id,
        cast(product_id as string) as product_id,
        cast(inst_code as string) as inst_code,
        cast(applied_yuan as decimal(20, 2)) as applied_yuan,
        cast(applied_at as timestamp) as applied_at,
        cast(status as string) as status,
        cast(granted_yuan as decimal(20, 2)) as granted_yuan,
        cast(granted_at as timestamp) as granted_at,
        cast(disbursed_yuan as decimal(20, 2)) as disbursed_yuan,
        cast(disbursed_at as timestamp) as disbursed_at,
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
    request_id,
    enterprise_id,
    product_id,
    inst_code,
    applied_yuan,
    applied_at,
    status,
    granted_yuan,
    granted_at,
    disbursed_yuan,
    disbursed_at,
    source_file,
    row_number,
    revision
from current_report
