-- Enterprises (入驻企业) of the current revision of each month's snapshot.
with

source as (
    select * from {{ source('platform', 'platform_enterprises') }}
),

renamed as (
    select
        cast(period as varchar) as period,
        cast(enterprise_id as varchar) as enterprise_id,
        cast(uscc_key as varchar) as uscc_key,
        cast(uscc_check_ok as boolean) as uscc_check_ok,
        cast(name_key as varchar) as name_key,
        cast(county_code as varchar) as county_code,
        cast(industry_code as varchar) as industry_code,
        cast(size_class as varchar) as size_class,
        cast(registered_at as timestamp) as registered_at,
        cast(status as varchar) as status,
        cast(source_file as varchar) as source_file,
        cast(row_number as integer) as row_number,
        cast(revision as integer) as revision,
        -- A corrected 入驻企业 file replaces the month's earlier one; the other two files stand.
        max(cast(revision as integer)) over (partition by period) as current_revision
    from source
)

select * exclude (current_revision)
from renamed
where revision = current_revision
