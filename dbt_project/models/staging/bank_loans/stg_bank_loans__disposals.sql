-- NPL disposals (D items; 本月 and 本年累计) of the current revision of each monthly report.
with

report as (
    {{ bank_loans_current_report() }}
)

select *
from report
where left(item_code, 1) = 'D'
    and measure in ('本月', '本年累计')
