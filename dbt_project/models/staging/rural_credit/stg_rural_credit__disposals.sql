-- NPL disposal events (农信不良处置) of the current revision of each institution's month.
with

source as (
    select * from {{ source('rural_credit', 'rural_credit_disposals') }}
),

renamed as (
    select
        cast(period as string) as period,
        cast(data_date as date) as data_date,
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
        cast(file_sha256 as string) as file_sha256,
        cast(revision as integer) as revision,
        cast(ingested_at as timestamp) as ingested_at
    from source
),

current_report as (
    -- Revised independently of the 贷款明细 file of the same institution and month.
    {{ current_revision('renamed', partition_by=['inst_code', 'period']) }}
)

select
    period,
    data_date,
    inst_code,
    disposal_id,
    loan_id,
    disposal_date,
    method_name,
    method_item,
    principal_yuan,
    interest_yuan,
    source_file,
    row_number,
    file_sha256,
    revision,
    ingested_at
from current_report
