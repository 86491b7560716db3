-- Rule 21 (warn): one row per enterprise of a month's snapshot whose 统一社会信用代码 failed GB 32100
-- at ingestion. The code itself never left ingestion: the detail names the 企业ID to correct.
with

flagged as (
    select * from {{ ref('stg_platform__enterprises') }} where not uscc_check_ok
),

checks as (
    select
        x.period,
        null as inst_code,
        x.county_code,
        null as item_code,
        '统一社会信用代码校验位' as measure,
        1 as expected,
        0 as found,
        -1 as diff,
        1 as abs_diff,
        0 as tolerance,
        false as passed,
        '普惠金融共享平台 ' || x.period || ' 入驻企业 ' || x.enterprise_id || '（' || coalesce(r.region_name, '')
        || '，' || x.status || '）：统一社会信用代码校验位不正确（GB 32100）。请平台运营方核对企业登记信息'
        || '（第 ' || x.row_number || ' 行）' as detail,
        x.source_file,
        x.row_number,
        null as request_id,
        null as product_id,
        x.enterprise_id
    from flagged as x
    left join {{ ref('dim_region') }} as r on r.region_code = x.county_code
)

select
    {{ rule_output_columns(21) }},
    {{ platform_rule_extra_columns() }}
from checks
