-- One row per month with data and region: L01..L14 in their units (DECIMAL(38,10), unrounded).
-- Growth needs the December before (L02..L04, L12..L14) and the month a year earlier (L05, L06); a figure
-- whose base month holds no data is NULL here and withheld (audit.missing_base_periods).
with

amounts as (
    select * from {{ ref('int_loan_amounts_by_region') }}
),

added_back as (
    select * from {{ ref('int_added_back_disposals') }}
),

based as (
    select
        m.period,
        m.region_code,
        m.is_city_total,
        {{ period_prior_december('m.period') }} as prior_december_period,
        {{ period_add('m.period', -12) }} as year_ago_period,
        december.period is not null as has_prior_december,
        ago.period is not null as has_year_ago,
        m.a01_yuan,
        m.a02_yuan,
        m.a05_yuan,
        m.b01_yuan,
        m.npl_yuan,
        december.a01_yuan as a01_dec_yuan,
        december.npl_yuan as npl_dec_yuan,
        ago.a01_yuan as a01_year_ago_yuan,
        coalesce(ab.added_back_ytd_yuan, 0) as added_back_ytd_yuan,
        ab_dec.added_back_ytd_yuan as added_back_ytd_dec_yuan,
        ab_ago.added_back_ytd_yuan as added_back_ytd_year_ago_yuan
    from amounts as m
    left join amounts as december
        on december.region_code = m.region_code
            and december.period = {{ period_prior_december('m.period') }}
    left join amounts as ago
        on ago.region_code = m.region_code
            and ago.period = {{ period_add('m.period', -12) }}
    left join added_back as ab on ab.period = m.period
    left join added_back as ab_dec on ab_dec.period = {{ period_prior_december('m.period') }}
    left join added_back as ab_ago on ab_ago.period = {{ period_add('m.period', -12) }}
),

growth as (
    select
        *,
        -- 元 throughout; DECIMAL(38,2) +/- DECIMAL(38,2) stays exact.
        case when has_prior_december then a01_yuan - a01_dec_yuan end as l02_yuan,
        -- Disposals are reported at city level only: the add-back figures exist for the city.
        case
            when has_prior_december and is_city_total
                then a01_yuan - a01_dec_yuan + added_back_ytd_yuan
        end as l03_yuan,
        case
            when has_prior_december and has_year_ago and is_city_total
                then a01_yuan - a01_year_ago_yuan
                    + added_back_ytd_yuan + added_back_ytd_dec_yuan - added_back_ytd_year_ago_yuan
        end as l05_yuan
    from based
)

select
    period,
    region_code,
    is_city_total,
    prior_december_period,
    year_ago_period,
    has_prior_december,
    has_year_ago,
    {{ to_yi('a01_yuan') }} as l01,
    {{ to_yi('l02_yuan') }} as l02,
    {{ to_yi('l03_yuan') }} as l03,
    {{ exact_pct('l03_yuan', 'a01_dec_yuan') }} as l04,
    {{ to_yi('l05_yuan') }} as l05,
    {{ exact_pct('l05_yuan', 'a01_year_ago_yuan') }} as l06,
    {{ to_yi('a05_yuan') }} as l07,
    {{ to_yi('a02_yuan') }} as l08,
    {{ to_yi('b01_yuan') }} as l09,
    {{ to_yi('npl_yuan') }} as l10,
    {{ exact_pct('npl_yuan', 'a01_yuan') }} as l11,
    case when has_prior_december then {{ to_yi('npl_yuan - npl_dec_yuan') }} end as l12,
    -- From the unrounded rates; NULL when either rate is over a zero balance.
    case
        when has_prior_december
            then {{ exact_pct('npl_yuan', 'a01_yuan') }} - {{ exact_pct('npl_dec_yuan', 'a01_dec_yuan') }}
    end as l13,
    -- 双降 (city only): both NPL and its ratio below December's, compared exactly; no figure when
    -- either ratio is undefined.
    case
        when is_city_total and has_prior_december and a01_yuan > 0 and a01_dec_yuan > 0
            then cast(
                    case
                        when
                            npl_yuan < npl_dec_yuan
                            and {{ exact_rate_below('npl_yuan', 'a01_yuan', 'npl_dec_yuan', 'a01_dec_yuan') }}
                            then 1
                        else 0
                    end as decimal(38, 10)
                )
    end as l14
from growth
