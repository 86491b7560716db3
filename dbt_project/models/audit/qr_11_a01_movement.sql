-- Rule 11 (warn): one row per institution and month that also reported the month before:
-- found = A01 (sum of the county columns) at M, expected = at M-1, tolerance = 20% of M-1.
with

reports as (
    select r.period, r.inst_code, r.source_files, m.previous_period
    from {{ ref('int_bank_loans__reports') }} as r
    inner join {{ ref('dim_month') }} as m on m.period = r.period
),

a01 as (
    select period, inst_code, sum(amount_yuan) as amount_yuan, min(row_number) as row_number
    from {{ ref('fct_loan_balances') }}
    where item_code = 'A01'
    group by period, inst_code
),

compared as (
    select
        r.period,
        r.inst_code,
        r.previous_period,
        coalesce(cur.amount_yuan, 0) as found,
        coalesce(prev.amount_yuan, 0) as expected,
        r.source_files as source_file,
        cur.row_number
    from reports as r
    inner join {{ ref('int_bank_loans__reports') }} as p
        on p.inst_code = r.inst_code and p.period = r.previous_period
    left join a01 as cur on cur.period = r.period and cur.inst_code = r.inst_code
    left join a01 as prev on prev.period = r.previous_period and prev.inst_code = r.inst_code
),

checks as (
    select
        x.period,
        x.inst_code,
        null as county_code,
        'A01' as item_code,
        '余额' as measure,
        x.expected,
        x.found,
        x.found - x.expected as diff,
        abs(x.found - x.expected) as abs_diff,
        cast(abs(x.expected) * 0.2 as decimal(38, 2)) as tolerance,
        abs(x.found - x.expected) <= cast(abs(x.expected) * 0.2 as decimal(38, 2)) as passed,
        {{ inst_label('inst.inst_name', 'x.inst_code') }} || ' ' || x.period || ' 各项贷款（A01）'
        || {{ wan_amount_text('x.found') }} || '，上月（' || x.previous_period || '）' || {{ wan_amount_text('x.expected') }}
        || '，变动 ' || {{ wan_amount_text('x.found - x.expected') }}
        || coalesce('（' || cast(round({{ exact_pct('x.found - x.expected', 'x.expected') }}, 1) as string) || '%）', '')
        || case
            when abs(x.found - x.expected) <= cast(abs(x.expected) * 0.2 as decimal(38, 2))
                then '，未超过 20%'
            else '，超过 20%，请核实原因'
        end as detail,
        x.source_file,
        x.row_number
    from compared as x
    left join {{ ref('dim_institution') }} as inst on inst.inst_code = x.inst_code
)

select {{ rule_output_columns(11) }}
from checks
