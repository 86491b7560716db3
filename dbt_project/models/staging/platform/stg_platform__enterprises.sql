-- Enterprises (入驻企业) of the current revision of each month's snapshot.
with

source as (
    select * from {{ source('platform', 'platform_enterprises') }}
),

renamed as (
    select
        cast(period as string) as period,
        cast(enterprise_id as string) as enterprise_id,
        cast(uscc_key as string) as uscc_key,
        cast(uscc_check_ok as boolean) as uscc_check_ok,
        cast(name_key as string) as name_key,
        cast(county_code as string) as county_code,
        cast(industry_code as string) as industry_code,
        cast(size_class as string) as size_class,
        cast(registered_at as timestamp) as registered_at,
        cast(status as string) as status,
        cast(source_file as string) as source_file,
        cast(row_number as integer) as row_number,
        cast(revision as integer) as revision
    from source
),

current_report as (
    -- A corrected 入驻企业 file replaces the month's earlier one; the other two files stand.
    {{ current_revision('renamed', partition_by=['period']) }}
)

select
    period,
    enterprise_id,
    uscc_key,
    uscc_check_ok,
    name_key,
    county_code,
    industry_code,
    size_class,
    registered_at,
    status,
    source_file,
    row_number,
    revision
from current_report
