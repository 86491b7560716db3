-- Loans outstanding at month end (农信贷款明细) of the current revision of each institution's month.
with

source as (
    select * from {{ source('rural_credit', 'rural_credit_loans') }}
),

renamed as (
    -- name_key (HMAC of 客户名称) is left in the lake: no figure or rule needs it.
    select
        cast(period as string) as period,
        cast(data_date as date) as data_date,
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
        cast(poverty_flag as boolean) as poverty_flag,
        cast(inclusive_flag as boolean) as inclusive_flag,
        cast(agri_flag as boolean) as agri_flag,
        cast(source_file as string) as source_file,
        cast(row_number as integer) as row_number,
        cast(file_sha256 as string) as file_sha256,
        cast(revision as integer) as revision,
        cast(ingested_at as timestamp) as ingested_at
    from source
),

current_report as (
    -- A resubmitted 贷款明细 supersedes the earlier one; the 不良处置 file is revised on its own.
    {{ current_revision('renamed', partition_by=['inst_code', 'period']) }}
)

select
    period,
    data_date,
    inst_code,
    loan_id,
    customer_no,
    id_type,
    borrower_key,
    id_check_ok,
    customer_type,
    county_code,
    industry_code,
    issue_date,
    maturity_date,
    issued_amount_yuan,
    balance_yuan,
    overdue_days,
    risk_class,
    risk_item,
    poverty_flag,
    inclusive_flag,
    agri_flag,
    source_file,
    row_number,
    file_sha256,
    revision,
    ingested_at
from current_report
