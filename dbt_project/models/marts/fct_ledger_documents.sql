-- One row per 文书 (文号) and month of the 监管文书台账 (current workbook). is_in_year: issued in the
-- year up to the end of the month (G01 counts the 整改通知书 and 风险提示函 among them).
with

documents as (
    {{ first_row_per_key(ref('stg_ledgers__documents'), ['doc_no']) }}
),

workbooks as (
    select * from {{ ref('int_ledger__workbooks') }} where lake_table = 'ledger_documents'
)

select
    cast(d.doc_no || '|' || d.period as string) as ledger_document_key,
    cast(d.period as string) as period,
    cast(d.doc_no as string) as doc_no,
    cast(d.issued_date as date) as issued_date,
    cast(d.target_name as string) as target_name,
    cast(d.target_type as string) as target_type,
    cast(d.doc_type as string) as doc_type,
    cast(coalesce(d.issued_date between w.year_start and w.period_end, false) as boolean) as is_in_year,
    cast(d.source_file as string) as source_file,
    cast(d.row_number as integer) as row_number
from documents as d
inner join workbooks as w on w.period = d.period
