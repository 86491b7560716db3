-- Rule 7: one row per report, county column (incl. 合计) and parent item (A01, A02, A05):
-- found = the parent as reported, expected = the sum of its children.
with

cells as (
    select b.*, i.parent_item
    from {{ ref('int_bank_loans__balance_cells') }} as b
    inner join {{ ref('dim_item') }} as i on i.item_code = b.item_code
    where i.item_kind = 'balance'
),

parents as (
    select parent_item as item_code, count(*) as n_children
    from {{ ref('dim_item') }}
    where item_kind = 'balance' and parent_item is not null
    group by parent_item
),

columns_reported as (
    select period, inst_code, county_code, min(source_file) as source_file
    from cells
    group by period, inst_code, county_code
),

child_sums as (
    select period, inst_code, county_code, parent_item as item_code, sum(amount_yuan) as amount_yuan
    from cells
    where parent_item is not null
    group by period, inst_code, county_code, parent_item
),

compared as (
    select
        c.period,
        c.inst_code,
        c.county_code,
        p.item_code,
        p.n_children,
        coalesce(s.amount_yuan, 0) as expected,
        coalesce(v.amount_yuan, 0) as found,
        coalesce(v.source_file, c.source_file) as source_file,
        v.row_number,
        v.column_ref
    from columns_reported as c
    cross join parents as p
    left join child_sums as s
        on s.period = c.period and s.inst_code = c.inst_code
            and s.county_code = c.county_code and s.item_code = p.item_code
    left join cells as v
        on v.period = c.period and v.inst_code = c.inst_code
            and v.county_code = c.county_code and v.item_code = p.item_code
),

checks as (
    select
        x.period,
        x.inst_code,
        x.county_code,
        x.item_code,
        '余额' as measure,
        x.expected,
        x.found,
        x.found - x.expected as diff,
        abs(x.found - x.expected) as abs_diff,
        {{ cell_tolerance_yuan('x.n_children') }} as tolerance,
        abs(x.found - x.expected) <= {{ cell_tolerance_yuan('x.n_children') }} as passed,
        {{ inst_label('inst.inst_name', 'x.inst_code') }} || ' ' || x.period || ' '
        || {{ county_label('reg.region_name', 'x.county_code') }} || ' '
        || {{ item_label('item.item_name', 'x.item_code') }} || '：报送 ' || {{ wan_amount_text('x.found') }}
        || '，子项之和 ' || {{ wan_amount_text('x.expected') }} || '，差额 ' || {{ wan_amount_text('x.found - x.expected') }}
        || coalesce('（第 ' || x.row_number || ' 行' || coalesce('，' || x.column_ref || ' 列', '') || '）', '（未报送该项）')
            as detail,
        x.source_file,
        x.row_number
    from compared as x
    left join {{ ref('dim_institution') }} as inst on inst.inst_code = x.inst_code
    left join {{ ref('dim_region') }} as reg on reg.region_code = x.county_code
    left join {{ ref('dim_item') }} as item on item.item_code = x.item_code
)

select {{ rule_output_columns(7) }}
from checks
