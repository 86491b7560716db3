-- The current balance cells (A/B/C items, 合计 column included), materialised once: every
-- reader of the bank_loans staging view would otherwise re-scan the whole Parquet lake.
select * from {{ ref('stg_bank_loans__balances') }}
