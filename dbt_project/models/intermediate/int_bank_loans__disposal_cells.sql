-- The current disposal amounts (D items, 本月 and 本年累计), materialised once for their readers.
-- Incremental by month (macros/build_periods.sql): a month's run reads its own lake files.
{{ incremental_by_month() }}
select * from {{ ref('stg_bank_loans__disposals') }}
{% if is_incremental() %}where period in {{ build_periods() }}{% endif %}
