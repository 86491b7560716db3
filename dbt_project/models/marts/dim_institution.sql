-- One row per institution of the register, with the months it must report.
select
    cast(inst_code as varchar) as inst_code,
    cast(inst_name as varchar) as inst_name,
    cast(inst_type as varchar) as inst_type,
    cast(is_rural_credit as boolean) as is_rural_credit,
    cast(region_code as varchar) as region_code,
    cast(reports_from as varchar) as reports_from,
    cast(reports_to as varchar) as reports_to
from {{ ref('stg_reference__institutions') }}
