-- One row per institution, disposal method and month: 本月 and 本年累计 amounts (current revision).
with

disposals as (
    select * from {{ ref('int_bank_loans__disposal_cells') }}
)

select
    cast(inst_code || '|' || item_code || '|' || period as string) as loan_disposal_key,
    cast(period as string) as period,
    cast(inst_code as string) as inst_code,
    cast(item_code as string) as item_code,
    cast(coalesce(sum(amount_yuan) filter (where measure = '本月'), 0) as decimal(20, 2))
        as amount_month_yuan,
    cast(coalesce(sum(amount_yuan) filter (where measure = '本年累计'), 0) as decimal(20, 2))
        as amount_ytd_yuan,
    cast(min(source_file) as string) as source_file,
    cast(min(row_number) as integer) as row_number,
    cast(max(revision) as integer) as revision
from disposals
group by period, inst_code, item_code
