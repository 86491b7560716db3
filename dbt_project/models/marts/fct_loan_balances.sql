-- One row per institution, county, item and month (current revision; 合计 column excluded).
select
    cast(inst_code || '|' || county_code || '|' || item_code || '|' || period as varchar)
        as loan_balance_key,
    cast(period as varchar) as period,
    cast(inst_code as varchar) as inst_code,
    cast(county_code as varchar) as county_code,
    cast(item_code as varchar) as item_code,
    cast(amount_yuan as decimal(20, 2)) as amount_yuan,
    cast(reported_unit as varchar) as reported_unit,
    cast(source_file as varchar) as source_file,
    cast(sheet as varchar) as sheet,
    cast(row_number as integer) as row_number,
    cast(column_ref as varchar) as column_ref,
    cast(revision as integer) as revision
from {{ ref('int_bank_loans__balance_cells') }}
where not is_total_column
