-- Regions (GB/T 2260) incl. the city total row; codes stay text.
with

source as (
    select * from {{ source('reference', 'regions') }}
),

renamed as (
    select
        trim(region_code) as region_code,
        trim(region_name) as region_name
    from source
)

select * from renamed
