-- One row per month with data: 本年累计 of the disposals added back (var added_back_disposal_items).
with

months as (
    select distinct period from {{ ref('fct_loan_balances') }}
),

added_back as (
    select d.period, sum(d.amount_ytd_yuan) as ytd_yuan
    from {{ ref('fct_loan_disposals') }} as d
    inner join {{ ref('dim_item') }} as i on i.item_code = d.item_code
    where i.is_added_back
    group by d.period
)

select
    m.period,
    cast(coalesce(a.ytd_yuan, 0) as decimal(38, 2)) as added_back_ytd_yuan
from months as m
left join added_back as a on a.period = m.period
