-- The current balance cells (A/B/C items, 合计 column included), materialised once: every
-- reader of the bank_loans staging view would otherwise re-scan the whole Parquet lake.
-- Incremental by month (macros/build_periods.sql): a month's run reads its own lake files.
{{ incremental_by_month() }}
select * from {{ ref('stg_bank_loans__balances') }}
{% if is_incremental() %}where period in {{ build_periods() }}{% endif %}
