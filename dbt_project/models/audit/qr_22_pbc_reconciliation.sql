-- Rule 22 (warn, reported, not blocking): one row per month with a central bank branch workbook and
-- compared measure: the bureau's value beside the branch's, in 亿元 or %, the difference and
-- whether it is inside the tolerance (0.5 亿元; 0.05 percentage points for rates). The bureau's
-- side is computed from the same amounts as L01/L02/L07/L08/L10/L11, exactly, unrounded.
with

amounts as (
    select * from {{ ref('int_loan_amounts_by_region') }} where is_city_total
),

bureau as (
    select
        m.period,
        m.a01_yuan, m.a02_yuan, m.a05_yuan, m.npl_yuan,
        december.a01_yuan as a01_dec_yuan, december.a02_yuan as a02_dec_yuan, december.a05_yuan as a05_dec_yuan,
        ago.a01_yuan as a01_ago_yuan, ago.a02_yuan as a02_ago_yuan, ago.a05_yuan as a05_ago_yuan
    from amounts as m
    left join amounts as december on december.period = {{ period_prior_december('m.period') }}
    left join amounts as ago on ago.period = {{ period_add('m.period', -12) }}
),

pbc as (
    select
        period,
        max(balance_yuan) filter (where item_code = 'PBC_LOANS') as loans_yuan,
        max(ytd_change_yuan) filter (where item_code = 'PBC_LOANS') as loans_ytd_yuan,
        max(yoy_pct) filter (where item_code = 'PBC_LOANS') as loans_yoy_pct,
        max(balance_yuan) filter (where item_code = 'PBC_HOUSEHOLD') as household_yuan,
        max(ytd_change_yuan) filter (where item_code = 'PBC_HOUSEHOLD') as household_ytd_yuan,
        max(yoy_pct) filter (where item_code = 'PBC_HOUSEHOLD') as household_yoy_pct,
        max(balance_yuan) filter (where item_code = 'PBC_ENTERPRISE') as enterprise_yuan,
        max(ytd_change_yuan) filter (where item_code = 'PBC_ENTERPRISE') as enterprise_ytd_yuan,
        max(yoy_pct) filter (where item_code = 'PBC_ENTERPRISE') as enterprise_yoy_pct,
        max(balance_yuan) filter (where item_code = 'PBC_NPL') as npl_yuan,
        max(ratio_pct) filter (where item_code = 'PBC_NPL_RATIO') as npl_ratio_pct,
        min(source_file) as source_file
    from {{ ref('stg_pbc__figures') }}
    group by period
),

pairs as (
    {% set lines = [
        (1, '各项贷款余额', '亿元', to_yi('b.a01_yuan'), to_yi('p.loans_yuan')),
        (2, '各项贷款比年初增减', '亿元', to_yi('b.a01_yuan - b.a01_dec_yuan'), to_yi('p.loans_ytd_yuan')),
        (3, '各项贷款同比增长', '%', exact_pct('b.a01_yuan - b.a01_ago_yuan', 'b.a01_ago_yuan'), 'p.loans_yoy_pct'),
        (4, '住户贷款余额', '亿元', to_yi('b.a02_yuan'), to_yi('p.household_yuan')),
        (5, '住户贷款比年初增减', '亿元', to_yi('b.a02_yuan - b.a02_dec_yuan'), to_yi('p.household_ytd_yuan')),
        (6, '住户贷款同比增长', '%', exact_pct('b.a02_yuan - b.a02_ago_yuan', 'b.a02_ago_yuan'), 'p.household_yoy_pct'),
        (7, '企（事）业单位贷款余额', '亿元', to_yi('b.a05_yuan'), to_yi('p.enterprise_yuan')),
        (8, '企（事）业单位贷款比年初增减', '亿元', to_yi('b.a05_yuan - b.a05_dec_yuan'), to_yi('p.enterprise_ytd_yuan')),
        (9, '企（事）业单位贷款同比增长', '%', exact_pct('b.a05_yuan - b.a05_ago_yuan', 'b.a05_ago_yuan'), 'p.enterprise_yoy_pct'),
        (10, '不良贷款余额', '亿元', to_yi('b.npl_yuan'), to_yi('p.npl_yuan')),
        (11, '不良贷款率', '%', exact_pct('b.npl_yuan', 'b.a01_yuan'), 'p.npl_ratio_pct'),
    ] %}
    {% for order, label, unit, bureau_value, pbc_value in lines %}
    select
        p.period,
        {{ order }} as line_order,
        '{{ label }}' as measure,
        '{{ unit }}' as unit,
        cast({{ bureau_value }} as decimal(38, 10)) as bureau_value,
        cast({{ pbc_value }} as decimal(38, 10)) as pbc_value,
        cast({{ var('pbc_tolerance_yi') if unit == '亿元' else var('pbc_tolerance_pct_points') }} as decimal(38, 10))
            as tolerance_value,
        p.source_file
    from pbc as p
    left join bureau as b on b.period = p.period
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

compared as (
    select
        *,
        bureau_value - pbc_value as diff_value,
        abs(bureau_value - pbc_value) as abs_diff_value
    from pairs
    -- A measure one side does not state (no December or year-ago month, an empty cell) is not compared.
    where bureau_value is not null and pbc_value is not null
),

checks as (
    select
        period,
        null as inst_code,
        {{ city_region_code() }} as county_code,
        null as item_code,
        measure,
        pbc_value as expected,
        bureau_value as found,
        diff_value as diff,
        abs_diff_value as abs_diff,
        tolerance_value as tolerance,
        abs_diff_value <= tolerance_value as passed,
        period || ' ' || measure || '：本局 ' || cast(round(bureau_value, 2) as string) || ' ' || unit
        || '，人民银行市分行 ' || cast(round(pbc_value, 2) as string) || ' ' || unit || '，差额 '
        || cast(round(diff_value, 4) as string) || case when unit = '%' then ' 个百分点' else ' 亿元' end
        || case
            when abs_diff_value > tolerance_value
                then '，超出容差 ' || cast(tolerance_value as decimal(10, 2))
                    || '，请在对账表中说明原因（finstat ack --rule 22）'
            else '（在容差内）'
        end as detail,
        source_file,
        null as row_number,
        line_order,
        unit,
        bureau_value,
        pbc_value,
        diff_value,
        abs_diff_value,
        tolerance_value
    from compared
)

select
    {{ rule_output_columns(22) }},
    cast(line_order as integer) as line_order,
    cast(unit as string) as unit,
    cast(bureau_value as decimal(38, 10)) as bureau_value,
    cast(pbc_value as decimal(38, 10)) as pbc_value,
    cast(diff_value as decimal(38, 10)) as diff_value,
    cast(abs_diff_value as decimal(38, 10)) as abs_diff_value,
    cast(tolerance_value as decimal(38, 10)) as tolerance_value
from checks
