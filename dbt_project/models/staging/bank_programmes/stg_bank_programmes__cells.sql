-- The cells (户数 and 金额 per county column) of the current revision of each programme report.
with

source as (
    select * from {{ source('bank_programmes', 'bank_programmes') }}
),

renamed as (
    select
        cast(period as string) as period,
        cast(inst_code as string) as inst_code,
        cast(county_code as string) as county_code,
        cast(item_code as string) as item_code,
        cast(quantity as string) as quantity,
        cast(value as decimal(20, 2)) as value,
        cast(unit as string) as reported_unit,
        cast(source_file as string) as source_file,
        cast(sheet as string) as sheet,
        cast(row_number as integer) as row_number,
        cast(column_ref as string) as column_ref,
        cast(file_sha256 as string) as file_sha256,
        cast(revision as integer) as revision,
        ingested_at
    from source
),

current_report as (
    {{ current_revision('renamed', partition_by=['inst_code', 'period']) }}
)

select
    period,
    inst_code,
    county_code,
    item_code,
    quantity,
    value,
    reported_unit,
    source_file,
    sheet,
    row_number,
    column_ref,
    revision,
    county_code = 'TOTAL' as is_total_column
from current_report
