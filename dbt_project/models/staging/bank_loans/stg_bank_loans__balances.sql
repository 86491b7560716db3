-- Balances (A/B/C items, 余额) of the current revision of each institution's monthly report.
with

report as (
    {{ bank_loans_current_report() }}
)

select
    *,
    county_code = 'TOTAL' as is_total_column
from report
where left(item_code, 1) in ('A', 'B', 'C')
    and measure = '余额'
