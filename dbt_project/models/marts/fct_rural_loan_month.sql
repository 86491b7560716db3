-- One row per institution, loan (借据号) and month from the rural-credit loan detail (current revision).
-- A 借据号 delivered more than once keeps its first row (file, then row order); rule 13 flags it.
-- Incremental by month: a build adds the months it must (macros/build_periods.sql).
{{ incremental_by_month() }}
with

loans as (
    select * from {{ ref('stg_rural_credit__loans') }}
    {% if is_incremental() %}where period in {{ build_periods() }}{% endif %}
),

ranked as (
    select
        *,
        count(*) over (partition by inst_code, loan_id, period) as rows_with_loan_id,
        row_number() over (
            partition by inst_code, loan_id, period order by source_file, row_number
        ) as keep_rank
    from loans
)

select
    cast(inst_code || '|' || loan_id || '|' || period as string) as rural_loan_month_key,
    cast(period as string) as period,
    cast(inst_code as string) as inst_code,
    cast(loan_id as string) as loan_id,
    cast(customer_no as string) as customer_no,
    cast(id_type as string) as id_type,
    cast(borrower_key as string) as borrower_key,
    cast(id_check_ok as boolean) as id_check_ok,
    cast(customer_type as string) as customer_type,
    cast(county_code as string) as county_code,
    cast(industry_code as string) as industry_code,
    cast(issue_date as date) as issue_date,
    cast(maturity_date as date) as maturity_date,
    cast(issued_amount_yuan as decimal(20, 2)) as issued_amount_yuan,
    cast(balance_yuan as decimal(20, 2)) as balance_yuan,
    cast(overdue_days as integer) as overdue_days,
    cast(risk_class as string) as risk_class,
    cast(risk_item as string) as risk_item,
    cast(risk_item in ('C03', 'C04', 'C05') as boolean) as is_npl,
    cast(poverty_flag as boolean) as poverty_flag,
    cast(inclusive_flag as boolean) as inclusive_flag,
    cast(agri_flag as boolean) as agri_flag,
    cast(rows_with_loan_id as integer) as rows_with_loan_id,
    cast(source_file as string) as source_file,
    cast(row_number as integer) as row_number,
    cast(revision as integer) as revision
from ranked
where keep_rank = 1
