-- One row per NPL disposal event (处置编号) of a rural-credit institution and month (current revision).
-- Incremental by month (macros/build_periods.sql).
{{ incremental_by_month() }}
select
    cast(inst_code || '|' || disposal_id || '|' || period as string) as rural_disposal_key,
    cast(period as string) as period,
    cast(inst_code as string) as inst_code,
    cast(disposal_id as string) as disposal_id,
    cast(loan_id as string) as loan_id,
    cast(disposal_date as date) as disposal_date,
    cast(method_name as string) as method_name,
    cast(method_item as string) as method_item,
    cast(principal_yuan as decimal(20, 2)) as principal_yuan,
    cast(interest_yuan as decimal(20, 2)) as interest_yuan,
    cast(source_file as string) as source_file,
    cast(row_number as integer) as row_number,
    cast(revision as integer) as revision
from {{ ref('stg_rural_credit__disposals') }}
{% if is_incremental() %}where period in {{ build_periods() }}{% endif %}
