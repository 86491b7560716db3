-- 监管文书台账's sheet 文书: one row per document record,
-- of the current revision of each month's workbook.
with

source as (
    select * from {{ source('ledgers', 'ledger_documents') }}
),

renamed as (
    select
        cast(period as string) as period,
        cast(sheet as string) as sheet,
        cast(doc_no as string) as doc_no,
        cast(issued_date as date) as issued_date,
        cast(target_name as string) as target_name,
        cast(target_type as string) as target_type,
        cast(doc_type as string) as doc_type,
        cast(source_file as string) as source_file,
        cast(row_number as integer) as row_number,
        cast(revision as integer) as revision
    from source
),

current_workbook as (
    -- The latest delivery of the month's workbook replaces the whole workbook, every sheet: the
    -- revision is chosen before the sheet, so a record a correction deleted is gone.
    {{ current_revision('renamed', partition_by=['period']) }}
)

select
    period,
    doc_no,
    issued_date,
    target_name,
    target_type,
    doc_type,
    source_file,
    row_number,
    revision
from current_workbook
where sheet = '文书'
