-- The institution register (机构名录) with typed columns; codes stay text.
with

source as (
    select * from {{ source('reference', 'institutions') }}
),

renamed as (
    select
        trim(inst_code) as inst_code,
        trim(inst_name) as inst_name,
        trim(inst_type) as inst_type,
        lower(trim(is_rural_credit)) in ('true', '1', 'yes', 'y', '是') as is_rural_credit,
        trim(region_code) as region_code,
        trim(reports_from) as reports_from,
        nullif(trim(coalesce(reports_to, '')), '') as reports_to
    from source
)

select * from renamed
