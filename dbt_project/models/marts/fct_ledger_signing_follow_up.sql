-- "How much of what was signed has been lent by now": one row per month, 项目编号 and 机构代码 with a
-- 签约 row whose activity is in the year (the rows of M08). intent = 意向金额, signed = 签约金额 counted
-- in M11 (是, dated by the end of the month), disbursed = 授信跟踪's 放款金额 of the pair dated by
-- the end of the month; landing_rate_pct = disbursed / signed x 100 (M13 per pair), NULL while
-- nothing is signed. M13 is the same ratio over every pair with signed_yuan > 0.
with

signings as (
    select * from {{ ref('fct_ledger_signings') }} where is_activity_in_year
),

pairs as (
    select
        period,
        project_id,
        inst_code,
        sum(intent_yuan) as intent_yuan,
        bool_or(is_counted_signed) as is_signed,
        coalesce(sum(case when is_counted_signed then signed_yuan end), 0) as signed_yuan,
        min(case when is_counted_signed then signed_date end) as first_signed_date
    from signings
    group by period, project_id, inst_code
),

follow_up as (
    select * from {{ ref('fct_ledger_credit_follow_up') }}
),

projects as (
    select period, project_id, project_name from {{ ref('fct_ledger_projects') }}
),

joined as (
    select
        s.*,
        p.project_name,
        coalesce(case when f.is_credited_by_month_end then f.credit_yuan end, 0) as credit_yuan,
        coalesce(case when f.is_disbursed_by_month_end then f.disbursed_yuan end, 0) as disbursed_yuan
    from pairs as s
    left join follow_up as f
        on f.period = s.period and f.project_id = s.project_id and f.inst_code = s.inst_code
    left join projects as p on p.period = s.period and p.project_id = s.project_id
)

select
    cast(project_id || '|' || inst_code || '|' || period as string) as signing_follow_up_key,
    cast(period as string) as period,
    cast(project_id as string) as project_id,
    cast(inst_code as string) as inst_code,
    cast(project_name as string) as project_name,
    cast(intent_yuan as decimal(20, 2)) as intent_yuan,
    cast(is_signed as boolean) as is_signed,
    cast(signed_yuan as decimal(20, 2)) as signed_yuan,
    cast(first_signed_date as date) as first_signed_date,
    cast(credit_yuan as decimal(20, 2)) as credit_yuan,
    cast(disbursed_yuan as decimal(20, 2)) as disbursed_yuan,
    cast({{ exact_pct('disbursed_yuan', 'signed_yuan') }} as decimal(38, 10)) as landing_rate_pct
from joined
