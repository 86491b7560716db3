-- One row per month with any ledger workbook, for the city only (the ledgers are the bureau's own,
-- city-wide): M01..M13 from the 银企对接台账, S01..S06 from the 上市后备企业台账, G01 from the
-- 监管文书台账 of that month (indicators.md), DECIMAL(38,10) in their units. "In the year" = dated
-- 1 January..the last day of M; records dated after it (the ledgers are exported days later) are
-- not counted. A workbook missing for M leaves its figures NULL here, and audit.missing_base_periods
-- withholds them (each workbook is a source of its own in the catalogue). M13 is NULL while M11 is
-- 0 (a rate of nothing is not a figure). The *_yuan columns keep the amounts in 元 for rule 31.
with

workbooks as (
    select * from {{ ref('int_ledger__workbooks') }}
),

months as (
    select
        period,
        min(period_end) as period_end,
        bool_or(lake_table = 'ledger_matchmaking') as has_matchmaking,
        bool_or(lake_table = 'ledger_listing') as has_listing,
        bool_or(lake_table = 'ledger_documents') as has_documents
    from workbooks
    group by period
),

activities as (
    select period, count(distinct activity_id) as m01
    from {{ ref('fct_ledger_activities') }}
    where is_in_year
    group by period
),

visits as (
    select
        period,
        count(distinct uscc_key) as m02,
        coalesce(sum(problems_solved), 0) as m03
    from {{ ref('fct_ledger_visits') }}
    where is_in_year
    group by period
),

projects as (
    select
        period,
        count(distinct batch) as m04,
        coalesce(sum(demand_yuan), 0) as demand_yuan
    from {{ ref('fct_ledger_projects') }}
    where is_in_year
    group by period
),

-- 授信跟踪 of the projects recommended in the year.
credit as (
    select
        period,
        coalesce(sum(case when is_credited_by_month_end then credit_yuan end), 0) as credit_yuan,
        coalesce(sum(case when is_disbursed_by_month_end then disbursed_yuan end), 0) as disbursed_yuan
    from {{ ref('fct_ledger_credit_follow_up') }}
    where is_project_in_year
    group by period
),

-- 签约 rows whose activity is in the year.
signings as (
    select
        period,
        coalesce(sum(intent_yuan), 0) as intent_yuan,
        count(distinct inst_code) as m09,
        count(distinct project_id) as m10,
        coalesce(sum(case when is_counted_signed then signed_yuan end), 0) as signed_yuan,
        count(distinct case when is_counted_signed then project_id end) as m12
    from {{ ref('fct_ledger_signings') }}
    where is_activity_in_year
    group by period
),

-- M13's numerator: the disbursements (by the end of M) of the pairs counted in M11.
landing as (
    select period, coalesce(sum(disbursed_yuan), 0) as landed_yuan
    from {{ ref('fct_ledger_signing_follow_up') }}
    where is_signed
    group by period
),

pipeline as (
    select
        e.period,
        count(case when e.is_in_pipeline and e.is_key then 1 end) as s01,
        count(case when e.is_in_pipeline then 1 end) as s02,
        count(case when e.is_in_pipeline and e.stage_order >= 3 and e.stage_date <= m.period_end then 1 end) as s03
    from {{ ref('fct_ledger_pipeline_enterprises') }} as e
    inner join months as m on m.period = e.period
    group by e.period
),

services as (
    select
        period,
        coalesce(sum(case when service_type = '培训' then attendances end), 0) as s04,
        coalesce(sum(case when service_type = '走访' then attendances end), 0) as s05,
        coalesce(sum(problems_solved), 0) as s06
    from {{ ref('fct_ledger_service_records') }}
    where is_in_year
    group by period
),

documents as (
    select
        period,
        count(distinct case when doc_type in ('整改通知书', '风险提示函') then doc_no end) as g01
    from {{ ref('fct_ledger_documents') }}
    where is_in_year
    group by period
),

amounts as (
    select
        m.period,
        m.has_matchmaking,
        m.has_listing,
        m.has_documents,
        coalesce(a.m01, 0) as m01,
        coalesce(v.m02, 0) as m02,
        coalesce(v.m03, 0) as m03,
        coalesce(p.m04, 0) as m04,
        coalesce(p.demand_yuan, 0) as m05_yuan,
        coalesce(c.credit_yuan, 0) as m06_yuan,
        coalesce(c.disbursed_yuan, 0) as m07_yuan,
        coalesce(s.intent_yuan, 0) as m08_yuan,
        coalesce(s.m09, 0) as m09,
        coalesce(s.m10, 0) as m10,
        coalesce(s.signed_yuan, 0) as m11_yuan,
        coalesce(s.m12, 0) as m12,
        coalesce(l.landed_yuan, 0) as m13_disbursed_yuan,
        coalesce(e.s01, 0) as s01,
        coalesce(e.s02, 0) as s02,
        coalesce(e.s03, 0) as s03,
        coalesce(r.s04, 0) as s04,
        coalesce(r.s05, 0) as s05,
        coalesce(r.s06, 0) as s06,
        coalesce(d.g01, 0) as g01
    from months as m
    left join activities as a on a.period = m.period
    left join visits as v on v.period = m.period
    left join projects as p on p.period = m.period
    left join credit as c on c.period = m.period
    left join signings as s on s.period = m.period
    left join landing as l on l.period = m.period
    left join pipeline as e on e.period = m.period
    left join services as r on r.period = m.period
    left join documents as d on d.period = m.period
)

select
    cast(period as string) as period,
    cast({{ city_region_code() }} as string) as region_code,
    true as is_city_total,
    {%- for code in ['m01', 'm02', 'm03', 'm04'] %}
    case when has_matchmaking then cast({{ code }} as decimal(38, 10)) end as {{ code }},
    {%- endfor %}
    {%- for code in ['m05', 'm06', 'm07', 'm08'] %}
    case when has_matchmaking then {{ to_yi(code ~ '_yuan') }} end as {{ code }},
    {%- endfor %}
    case when has_matchmaking then cast(m09 as decimal(38, 10)) end as m09,
    case when has_matchmaking then cast(m10 as decimal(38, 10)) end as m10,
    case when has_matchmaking then {{ to_yi('m11_yuan') }} end as m11,
    case when has_matchmaking then cast(m12 as decimal(38, 10)) end as m12,
    case when has_matchmaking then {{ exact_pct('m13_disbursed_yuan', 'm11_yuan') }} end as m13,
    {%- for code in ['s01', 's02', 's03', 's04', 's05', 's06'] %}
    case when has_listing then cast({{ code }} as decimal(38, 10)) end as {{ code }},
    {%- endfor %}
    case when has_documents then cast(g01 as decimal(38, 10)) end as g01,
    has_matchmaking,
    has_listing,
    has_documents,
    cast(m05_yuan as decimal(38, 2)) as m05_yuan,
    cast(m06_yuan as decimal(38, 2)) as m06_yuan,
    cast(m07_yuan as decimal(38, 2)) as m07_yuan,
    cast(m08_yuan as decimal(38, 2)) as m08_yuan,
    cast(m11_yuan as decimal(38, 2)) as m11_yuan,
    cast(m13_disbursed_yuan as decimal(38, 2)) as m13_disbursed_yuan
from amounts
