-- One row per institution and month with a current report: how many files make up that revision.
with

current_rows as (
    select period, inst_code, source_file, file_sha256, revision
    from {{ ref('int_bank_loans__balance_cells') }}
    union all
    select period, inst_code, source_file, file_sha256, revision
    from {{ ref('int_bank_loans__disposal_cells') }}
)

select
    period,
    inst_code,
    cast(count(distinct file_sha256) as integer) as report_count,
    cast({{ string_agg_sorted('source_file', '; ', distinct=true) }} as string) as source_files,
    cast(max(revision) as integer) as revision
from current_rows
group by period, inst_code
