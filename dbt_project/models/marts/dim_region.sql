-- One row per region: the city total and its districts/counties.
select
    cast(region_code as string) as region_code,
    cast(region_name as string) as region_name,
    cast(region_code = {{ city_region_code() }} as boolean) as is_city_total
from {{ ref('stg_reference__regions') }}
