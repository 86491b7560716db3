-- Rule 12: one row per reported balance (institution, county column incl. 合计, item) that the same
-- institution also reported the month before: fails when it is 5,000..20,000 times the previous
-- value or 1/20,000..1/5,000 of it (a 元/万元 mix-up). Compared by multiplication: no division.
with

cells as (
    select b.*, m.previous_period
    from {{ ref('int_bank_loans__balance_cells') }} as b
    inner join {{ ref('dim_month') }} as m on m.period = b.period
),

compared as (
    select
        c.period,
        c.inst_code,
        c.county_code,
        c.item_code,
        c.measure,
        c.previous_period,
        p.amount_yuan as expected,
        c.amount_yuan as found,
        c.source_file,
        c.row_number,
        c.column_ref,
        p.amount_yuan > 0 and (
            c.amount_yuan between p.amount_yuan * 5000 and p.amount_yuan * 20000
            or p.amount_yuan between c.amount_yuan * 5000 and c.amount_yuan * 20000
        ) as is_jump
    from cells as c
    inner join {{ ref('int_bank_loans__balance_cells') }} as p
        on p.period = c.previous_period and p.inst_code = c.inst_code
            and p.county_code = c.county_code and p.item_code = c.item_code and p.measure = c.measure
),

checks as (
    select
        x.period,
        x.inst_code,
        x.county_code,
        x.item_code,
        x.measure,
        x.expected,
        x.found,
        x.found - x.expected as diff,
        abs(x.found - x.expected) as abs_diff,
        null as tolerance,
        not x.is_jump as passed,
        {{ inst_label('inst.inst_name', 'x.inst_code') }} || ' ' || x.period || ' '
        || {{ county_label('reg.region_name', 'x.county_code') }} || ' '
        || {{ item_label('item.item_name', 'x.item_code') }} || '：本月 ' || {{ wan_amount_text('x.found') }}
        || '，上月（' || x.previous_period || '）' || {{ wan_amount_text('x.expected') }}
        || case
            when x.is_jump
                then '，约为上月的 '
                    || case when x.found > x.expected then '一万倍' else '万分之一' end
                    || '，疑似元/万元单位混用，请核对报送单位'
            else ''
        end
        || coalesce('（第 ' || x.row_number || ' 行' || coalesce('，' || x.column_ref || ' 列', '') || '）', '')
            as detail,
        x.source_file,
        x.row_number
    from compared as x
    left join {{ ref('dim_institution') }} as inst on inst.inst_code = x.inst_code
    left join {{ ref('dim_region') }} as reg on reg.region_code = x.county_code
    left join {{ ref('dim_item') }} as item on item.item_code = x.item_code
)

select {{ rule_output_columns(12) }}
from checks
