-- One row per institution, county, item, 计量 and month of the programme reports (current revision;
-- the Excel 合计 column excluded: totals are sums). 市本级 keeps the city's code.
select
    cast(inst_code || '|' || county_code || '|' || item_code || '|' || quantity || '|' || period as string)
        as programme_cell_key,
    cast(period as string) as period,
    cast(inst_code as string) as inst_code,
    cast(county_code as string) as county_code,
    cast(item_code as string) as item_code,
    cast(quantity as string) as quantity,
    cast(value as decimal(20, 2)) as value,
    cast(reported_unit as string) as reported_unit,
    cast(source_file as string) as source_file,
    cast(sheet as string) as sheet,
    cast(row_number as integer) as row_number,
    cast(column_ref as string) as column_ref,
    cast(revision as integer) as revision
from {{ ref('stg_bank_programmes__cells') }}
where not is_total_column
