-- One row per institution, county, item and month (current revision; 合计 column excluded).
select
    cast(inst_code || '|' || county_code || '|' || item_code || '|' || period as string)
        as loan_balance_key,
    cast(period as string) as period,
    cast(inst_code as string) as inst_code,
    cast(county_code as string) as county_code,
    cast(item_code as string) as item_code,
    cast(amount_yuan as decimal(20, 2)) as amount_yuan,
    cast(reported_unit as string) as reported_unit,
    cast(source_file as string) as source_file,
    cast(sheet as string) as sheet,
    cast(row_number as integer) as row_number,
    cast(column_ref as string) as column_ref,
    cast(revision as integer) as revision
from {{ ref('int_bank_loans__balance_cells') }}
where not is_total_column
