-- Balances (A/B/C items, 余额) of the current revision of each institution's monthly report.
with

source as (
    select * from {{ source('bank_loans', 'bank_loans') }}
),

renamed as (
    select
        cast(period as string) as period,
        cast(inst_code as string) as inst_code,
        cast(county_code as string) as county_code,
        cast(item_code as string) as item_code,
        cast(measure as string) as measure,
        cast(amount_yuan as decimal(20, 2)) as amount_yuan,
        cast(unit as string) as reported_unit,
        cast(source_file as string) as source_file,
        cast(sheet as string) as sheet,
        cast(row_number as integer) as row_number,
        cast(column_ref as string) as column_ref,
        cast(file_sha256 as string) as file_sha256,
        cast(revision as integer) as revision,
        ingested_at,
        -- A resubmission supersedes the whole earlier report, whichever items it holds.
        max(cast(revision as integer)) over (partition by inst_code, period) as current_revision
    from source
)

select
    period,
    inst_code,
    county_code,
    item_code,
    measure,
    amount_yuan,
    reported_unit,
    source_file,
    sheet,
    row_number,
    column_ref,
    file_sha256,
    revision,
    ingested_at,
    county_code = 'TOTAL' as is_total_column
from renamed
where revision = current_revision
  and left(item_code, 1) in ('A', 'B', 'C')
  and measure = '余额'
