-- One row per institution of the register, with the months it must report.
select
    cast(inst_code as string) as inst_code,
    cast(inst_name as string) as inst_name,
    cast(inst_type as string) as inst_type,
    cast(is_rural_credit as boolean) as is_rural_credit,
    cast(region_code as string) as region_code,
    cast(reports_from as string) as reports_from,
    cast(reports_to as string) as reports_to
from {{ ref('stg_reference__institutions') }}
