-- Rule 28 (warn): per programme report's county column, F01 本年累计发放 per household within the
-- policy's ceiling (var programme_household_ceiling_yuan): found = F01 金额, expected = F01 户数 x
-- the ceiling; passed = found <= expected.
-- Not yet here: the rule's "V03 (city or a county) or V09 above 100%" part, which will read the
-- rates from the figures model once it is built (the report to the lead says so).
with

f01 as (
    select
        period,
        inst_code,
        county_code,
        sum(case when quantity = '户数' then value else 0 end) as households,
        sum(case when quantity = '金额' then value else 0 end) as amount,
        min(source_file) as source_file,
        min(case when quantity = '金额' then row_number end) as row_number
    from {{ ref('stg_bank_programmes__cells') }}
    where item_code = 'F01' and not is_total_column
    group by period, inst_code, county_code
),

ceilings as (
    select
        *,
        households * cast({{ var('programme_household_ceiling_yuan') }} as decimal(20, 2)) as ceiling
    from f01
),

checks as (
    select
        c.period,
        c.inst_code,
        c.county_code,
        'F01' as item_code,
        '金额' as measure,
        c.ceiling as expected,
        c.amount as found,
        c.amount - c.ceiling as diff,
        greatest(c.amount - c.ceiling, 0) as abs_diff,
        0 as tolerance,
        c.amount <= c.ceiling as passed,
        {{ programme_cell_label('inst.inst_name', 'c.inst_code', 'c.period', 'reg.region_name', 'c.county_code', "'F01'", "'金额'") }}
        || '：本年累计发放 ' || {{ wan_amount_text('c.amount') }} || '，' || {{ count_text('c.households') }} || ' 户'
        || coalesce('，户均 ' || {{ wan_amount_text('c.amount / nullif(c.households, 0)') }}, '')
        || case when c.amount <= c.ceiling then '，不超过' else '，超过' end
        || '每户 ' || {{ wan_amount_text("cast(" ~ var('programme_household_ceiling_yuan') ~ " as decimal(38, 2))") }}
        || ' 的政策上限（上限合计 ' || {{ wan_amount_text('c.ceiling') }} || '）'
        || coalesce('（第 ' || c.row_number || ' 行）', '') as detail,
        c.source_file,
        c.row_number
    from ceilings as c
    left join {{ ref('dim_institution') }} as inst on inst.inst_code = c.inst_code
    left join {{ ref('dim_region') }} as reg on reg.region_code = c.county_code
)

select {{ rule_output_columns(28) }}
from checks
