-- Rule 28 (warn): per programme report's county column, F01 本年累计发放 per household within the
-- policy's ceiling (var programme_household_ceiling_yuan): found = F01 金额, expected = F01 户数 x
-- the ceiling; passed = found <= expected.
-- And one row per month and region for the rates that cannot exceed 100% (V03 for the city and
-- each county, V09 for the city): found = the unrounded rate, expected = 100; a rate above it means
-- more households were lent to than poverty_households.csv counts (a wrong row there, or 户数
-- double-counted across banks). A rate with no denominator is not checked here (rule 29).
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
        || coalesce('，户均 ' || {{ wan_amount_text(exact_div('c.amount', 'c.households')) }}, '')
        || case when c.amount <= c.ceiling then '，不超过' else '，超过' end
        || '每户 ' || {{ wan_amount_text("cast(" ~ var('programme_household_ceiling_yuan') ~ " as decimal(38, 2))") }}
        || ' 的政策上限（上限合计 ' || {{ wan_amount_text('c.ceiling') }} || '）'
        || coalesce('（第 ' || c.row_number || ' 行）', '') as detail,
        c.source_file,
        c.row_number
    from ceilings as c
    left join {{ ref('dim_institution') }} as inst on inst.inst_code = c.inst_code
    left join {{ ref('dim_region') }} as reg on reg.region_code = c.county_code
),

rates as (
    select
        i.period,
        i.region_code,
        r.code,
        r.name,
        case r.code when 'V03' then i.v03 else i.v09 end as rate
    from {{ ref('int_programme_indicators') }} as i
    cross join (
        values ('V03', '脱贫人口小额信贷新增户贷率'), ('V09', '精准扶贫企业贷帮扶率')
    ) as r (code, name)
    -- V03 for the city and each county, V09 for the city only (as the catalogue publishes them)
    where i.is_city_total or r.code = 'V03'
),

rate_checks as (
    select
        t.period,
        null as inst_code,
        t.region_code as county_code,
        t.code as item_code,
        '%' as measure,
        cast(100 as decimal(38, 10)) as expected,
        t.rate as found,
        t.rate - 100 as diff,
        greatest(t.rate - 100, 0) as abs_diff,
        0 as tolerance,
        t.rate <= 100 as passed,
        reg.region_name || '（' || t.region_code || '） ' || t.period || ' ' || t.name || '（' || t.code || '）'
        || '为 ' || cast(cast(round(t.rate, 2) as decimal(38, 2)) as string) || '%'
        || case
            when t.rate <= 100 then '，不超过 100%'
            else '，超过 100%：放贷户数多于 poverty_households.csv 的户数，请核对该年该县区的行或各行重复报送的户数'
        end as detail,
        null as source_file,
        null as row_number
    from rates as t
    left join {{ ref('dim_region') }} as reg on reg.region_code = t.region_code
    where t.rate is not null
)

select {{ rule_output_columns(28) }}
from checks
union all
select {{ rule_output_columns(28) }}
from rate_checks
