-- Rule 8: one row per report with a 合计 column (Excel) and item: found = 合计 as reported,
-- expected = the sum of the county columns (an absent county column counts as zero).
with

cells as (
    select * from {{ ref('int_bank_loans__balance_cells') }}
),

reports_with_total as (
    select distinct period, inst_code from cells where is_total_column
),

items_reported as (
    select c.period, c.inst_code, c.item_code, min(c.source_file) as source_file
    from cells as c
    inner join reports_with_total as r on r.period = c.period and r.inst_code = c.inst_code
    group by c.period, c.inst_code, c.item_code
),

county_sums as (
    select period, inst_code, item_code, sum(amount_yuan) as amount_yuan, count(*) as n_columns
    from cells
    where not is_total_column
    group by period, inst_code, item_code
),

compared as (
    select
        r.period,
        r.inst_code,
        r.item_code,
        coalesce(s.n_columns, 0) as n_columns,
        coalesce(s.amount_yuan, 0) as expected,
        coalesce(t.amount_yuan, 0) as found,
        coalesce(t.source_file, r.source_file) as source_file,
        t.row_number,
        t.column_ref
    from items_reported as r
    left join county_sums as s
        on s.period = r.period and s.inst_code = r.inst_code and s.item_code = r.item_code
    left join cells as t
        on t.period = r.period and t.inst_code = r.inst_code and t.item_code = r.item_code
            and t.is_total_column
),

checks as (
    select
        x.period,
        x.inst_code,
        'TOTAL' as county_code,
        x.item_code,
        '余额' as measure,
        x.expected,
        x.found,
        x.found - x.expected as diff,
        abs(x.found - x.expected) as abs_diff,
        {{ cell_tolerance_yuan('x.n_columns') }} as tolerance,
        abs(x.found - x.expected) <= {{ cell_tolerance_yuan('x.n_columns') }} as passed,
        {{ inst_label('inst.inst_name', 'x.inst_code') }} || ' ' || x.period || ' '
        || {{ item_label('item.item_name', 'x.item_code') }} || '：合计列报送 ' || {{ wan_amount_text('x.found') }}
        || '，' || x.n_columns || ' 个县区列之和 ' || {{ wan_amount_text('x.expected') }}
        || '，差额 ' || {{ wan_amount_text('x.found - x.expected') }}
        || coalesce('（第 ' || x.row_number || ' 行' || coalesce('，' || x.column_ref || ' 列', '') || '）', '（合计列未填）')
            as detail,
        x.source_file,
        x.row_number
    from compared as x
    left join {{ ref('dim_institution') }} as inst on inst.inst_code = x.inst_code
    left join {{ ref('dim_item') }} as item on item.item_code = x.item_code
)

select {{ rule_output_columns(8) }}
from checks
