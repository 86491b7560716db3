-- For the data officer: rule 14 readable, one row per rural-credit institution, month and checked
-- item with names and both sides in 万元 (exact, unrounded).
select
    cast(q.period as string) as period,
    cast(q.inst_code as string) as inst_code,
    cast(i.inst_name as string) as inst_name,
    cast(q.item_code as string) as item_code,
    cast(t.item_name as string) as item_name,
    cast(q.measure as string) as measure,
    cast(q.expected * cast('0.0001' as decimal(5, 4)) as decimal(38, 6)) as bank_loans_wan,
    cast(q.found * cast('0.0001' as decimal(5, 4)) as decimal(38, 6)) as loan_level_wan,
    cast(q.diff * cast('0.0001' as decimal(5, 4)) as decimal(38, 6)) as diff_wan,
    cast(q.passed as boolean) as within_tolerance,
    cast(q.detail as string) as detail,
    cast(q.source_file as string) as source_file
from {{ ref('qr_14_rural_reconciliation') }} as q
left join {{ ref('dim_institution') }} as i on i.inst_code = q.inst_code
left join {{ ref('dim_item') }} as t on t.item_code = q.item_code
