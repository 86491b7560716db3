-- Rule 9: per report and county column (incl. 合计): one row C01+..+C05 vs A01 (tolerance per
-- summed cell), and one row per memo item B01..B03 that must not exceed A01 (no tolerance).
with

cells as (
    select b.*, i.item_kind
    from {{ ref('int_bank_loans__balance_cells') }} as b
    inner join {{ ref('dim_item') }} as i on i.item_code = b.item_code
),

columns_reported as (
    select
        period,
        inst_code,
        county_code,
        min(source_file) as source_file,
        coalesce(sum(amount_yuan) filter (where item_code = 'A01'), 0) as a01_yuan,
        coalesce(sum(amount_yuan) filter (where item_kind = 'class'), 0) as classes_yuan,
        count(*) filter (where item_kind = 'class') as n_classes,
        min(row_number) filter (where item_code = 'A01') as a01_row,
        min(row_number) filter (where item_kind = 'class') as first_class_row
    from cells
    group by period, inst_code, county_code
),

memo_items as (
    select item_code, item_name from {{ ref('dim_item') }} where item_kind = 'memo'
),

class_items as (
    select count(*) as n_cells from {{ ref('dim_item') }} where item_kind = 'class'
),

class_rows as (
    select
        c.period,
        c.inst_code,
        c.county_code,
        'C01-C05' as item_code,
        '余额' as measure,
        c.a01_yuan as expected,
        c.classes_yuan as found,
        c.classes_yuan - c.a01_yuan as diff,
        abs(c.classes_yuan - c.a01_yuan) as abs_diff,
        {{ cell_tolerance_yuan('k.n_cells') }} as tolerance,
        abs(c.classes_yuan - c.a01_yuan) <= {{ cell_tolerance_yuan('k.n_cells') }} as passed,
        '五级分类合计（C01..C05）' || {{ wan_amount_text('c.classes_yuan') }} || '，各项贷款（A01）'
        || {{ wan_amount_text('c.a01_yuan') }} || '，差额 ' || {{ wan_amount_text('c.classes_yuan - c.a01_yuan') }}
        || case when c.n_classes = 0 then '（未报送五级分类）' else '' end as what,
        c.source_file,
        coalesce(c.first_class_row, c.a01_row) as row_number
    from columns_reported as c
    cross join class_items as k
),

memo_rows as (
    select
        c.period,
        c.inst_code,
        c.county_code,
        m.item_code,
        '余额' as measure,
        c.a01_yuan as expected,
        coalesce(v.amount_yuan, 0) as found,
        coalesce(v.amount_yuan, 0) - c.a01_yuan as diff,
        -- The excess over A01: what has to go for the memo item to be valid.
        greatest(coalesce(v.amount_yuan, 0) - c.a01_yuan, 0) as abs_diff,
        null as tolerance,
        coalesce(v.amount_yuan, 0) <= c.a01_yuan as passed,
        m.item_name || '（' || m.item_code || '）' || {{ wan_amount_text('coalesce(v.amount_yuan, 0)') }}
        || case when coalesce(v.amount_yuan, 0) <= c.a01_yuan then ' 不超过' else ' 超过' end
        || '各项贷款（A01）' || {{ wan_amount_text('c.a01_yuan') }} as what,
        coalesce(v.source_file, c.source_file) as source_file,
        v.row_number
    from columns_reported as c
    cross join memo_items as m
    left join cells as v
        on v.period = c.period and v.inst_code = c.inst_code
            and v.county_code = c.county_code and v.item_code = m.item_code
),

checks as (
    select
        x.*,
        {{ inst_label('inst.inst_name', 'x.inst_code') }} || ' ' || x.period || ' '
        || {{ county_label('reg.region_name', 'x.county_code') }} || '：' || x.what
        || coalesce('（第 ' || x.row_number || ' 行）', '') as detail
    -- Positional: both CTEs list the same columns in the same order (Spark has no union by name).
    from (
        select * from class_rows
        union all
        select * from memo_rows
    ) as x
    left join {{ ref('dim_institution') }} as inst on inst.inst_code = x.inst_code
    left join {{ ref('dim_region') }} as reg on reg.region_code = x.county_code
)

select {{ rule_output_columns(9) }}
from checks
