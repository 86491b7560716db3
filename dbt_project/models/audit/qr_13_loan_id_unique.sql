-- Rule 13: one row per (institution, month, 借据号) delivered more than once in the current 贷款明细;
-- a month without repeated 借据号 has no row (zero rows = pass). found = rows, expected = 1.
-- Incremental by month (macros/build_periods.sql).
{{ incremental_by_month() }}
with

-- The fact already counted each 借据号's rows: only the repeated ones are read again, whole.
repeated_keys as (
    select period, inst_code, loan_id
    from {{ ref('fct_rural_loan_month') }}
    where rows_with_loan_id > 1
    {% if is_incremental() %}and period in {{ build_periods() }}{% endif %}
),

delivered as (
    select l.*
    from {{ ref('stg_rural_credit__loans') }} as l
    where exists (
            select 1 from repeated_keys as k
            where k.period = l.period and k.inst_code = l.inst_code and k.loan_id = l.loan_id
        )
    {% if is_incremental() %}and l.period in {{ build_periods() }}{% endif %}
),

repeated as (
    select
        period,
        inst_code,
        loan_id,
        count(*) as n_rows,
        min(source_file) as source_file,
        min(row_number) as first_row,
        count(distinct county_code) as n_counties,
        min(county_code) as county_code,
        {{ string_agg_sorted('cast(row_number as string)', '、', order_by='row_number') }} as row_list,
        {{ string_agg_sorted(wan_text('balance_yuan'), '、', order_by='row_number') }} as balance_list
    from delivered
    group by period, inst_code, loan_id
    having count(*) > 1
),

checks as (
    select
        x.period,
        x.inst_code,
        case when x.n_counties = 1 then x.county_code end as county_code,
        null as item_code,
        '借据号' as measure,
        1 as expected,
        x.n_rows as found,
        x.n_rows - 1 as diff,
        x.n_rows - 1 as abs_diff,
        0 as tolerance,
        false as passed,
        {{ inst_label('inst.inst_name', 'x.inst_code') }} || ' ' || x.period || ' 贷款明细：借据号 ' || x.loan_id
        || ' 出现 ' || x.n_rows || ' 次（第 ' || x.row_list || ' 行，贷款余额分别为 ' || x.balance_list
        || '）。同一机构同一月份借据号应唯一，请机构核实后更正重报；在更正前统计只计第 ' || x.first_row
        || ' 行' as detail,
        x.source_file,
        x.first_row as row_number
    from repeated as x
    left join {{ ref('dim_institution') }} as inst on inst.inst_code = x.inst_code
)

select {{ rule_output_columns(13) }}
from checks
