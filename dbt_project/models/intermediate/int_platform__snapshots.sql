-- One row per month with any platform file: which of the three snapshot files it holds.
-- A month's figures need all three (docs/architecture.md "Platform"); rule 19 blocks a partial one.
with

kinds as (
    select distinct period, '入驻企业' as kind from {{ ref('stg_platform__enterprises') }}
    union all
    select distinct period, '金融产品' as kind from {{ ref('stg_platform__products') }}
    union all
    select distinct period, '融资需求' as kind from {{ ref('stg_platform__requests') }}
)

select
    period,
    {{ period_end_ts('period') }} as period_end,
    bool_or(kind = '入驻企业') as has_enterprises,
    bool_or(kind = '金融产品') as has_products,
    bool_or(kind = '融资需求') as has_requests,
    count(distinct kind) = 3 as is_complete
from kinds
group by period
