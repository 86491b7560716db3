-- The current disposal amounts (D items, 本月 and 本年累计), materialised once for their readers.
select * from {{ ref('stg_bank_loans__disposals') }}
