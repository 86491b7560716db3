-- Baseline for `make bench`: one month of rural-credit work done by hand in DuckDB, no framework.
-- bench/baseline.py registers the Arrow tables decoded from the GB18030 files (DuckDB here cannot
-- read GB18030) and sets the variables; @OUT@ is replaced by the output folder.
--   loans_csv        the month's 贷款明细 rows, all institutions, + source_file, row_number
--   dec_loans_csv    the prior December's 贷款明细 rows (empty when dec_npl_stored has them)
--   dec_npl_stored   the prior December's npl_by_county.parquet from an earlier baseline run (or empty)
--   disposals_csv    the 不良处置 rows of January..M of M's year
--   bank_totals      the rural institutions' bank_loans A01/C03-C05 (余额) and D01-D07 (本月), in 元,
--                    as written by the generator beside the landing (the baseline parses no Excel)
-- Variables: period, prior_dec, pseudonym_key, city_code and county_codes (from regions.csv). Money stays DECIMAL; rates are exact integer division.

-- Exact n / d x mult, truncated at the 10th decimal (DECIMAL / DECIMAL would be DOUBLE in DuckDB).
create or replace temp macro exact_div(n, d, mult) as
    case when d <> 0 then
        cast(
            (cast(n * 10000 as hugeint) * mult * 10000000000) // cast(d * 10000 as hugeint) as decimal(38, 0)
        ) * cast('0.0000000001' as decimal(11, 10))
    end;
create or replace temp macro yi(yuan) as
    cast(cast(yuan as decimal(38, 2)) * cast('0.00000001' as decimal(9, 8)) as decimal(38, 10));
create or replace temp macro class_name(c) as
    case c when '1' then '正常' when '2' then '关注' when '3' then '次级' when '4' then '可疑'
        when '5' then '损失' else c end;
create or replace temp macro flag(f) as f in ('是', 'Y');
create or replace temp macro any_date(t) as
    coalesce(try_strptime(t, '%Y%m%d'), try_strptime(t, '%Y-%m-%d'))::date;

-- Loan-month fact: typed, pseudonymised (key || value), first row kept per (inst, 借据号, month).
create temp table loan_month as
select
    strftime(strptime(数据日期, '%Y%m%d'), '%Y-%m') as period,
    机构代码 as inst_code,
    借据号 as loan_id,
    客户号 as customer_no,
    sha256(getvariable('pseudonym_key') || 客户名称) as name_key,
    证件类型 as id_type,
    sha256(getvariable('pseudonym_key') || 证件类型 || upper(replace(证件号码, ' ', ''))) as borrower_key,
    客户类型 as customer_type,
    县区代码 as county_code,
    行业代码 as industry_code,
    any_date(发放日期) as issue_date,
    any_date(到期日期) as maturity_date,
    cast(发放金额 as decimal(20, 2)) as issued_amount_yuan,
    cast(贷款余额 as decimal(20, 2)) as balance_yuan,
    cast(逾期天数 as integer) as overdue_days,
    class_name(五级分类) as risk_class,
    class_name(五级分类) in ('次级', '可疑', '损失') as is_npl,
    flag(脱贫人口小额信贷标志) as poverty_flag,
    flag(普惠小微标志) as inclusive_flag,
    flag(涉农标志) as agri_flag,
    count(*) over (partition by 机构代码, 借据号, 数据日期) as rows_with_loan_id,
    source_file,
    row_number
from loans_csv
qualify row_number() over (partition by 机构代码, 借据号, 数据日期 order by source_file, row_number) = 1;

-- NPL aggregates by institution, county and class (the December's come from a stored run or its files).
create temp table npl_by_county as
select
    period, inst_code, county_code,
    sum(balance_yuan) as balance_yuan,
    coalesce(sum(balance_yuan) filter (where risk_class = '正常'), 0) as normal_yuan,
    coalesce(sum(balance_yuan) filter (where risk_class = '关注'), 0) as special_mention_yuan,
    coalesce(sum(balance_yuan) filter (where risk_class = '次级'), 0) as substandard_yuan,
    coalesce(sum(balance_yuan) filter (where risk_class = '可疑'), 0) as doubtful_yuan,
    coalesce(sum(balance_yuan) filter (where risk_class = '损失'), 0) as loss_yuan,
    coalesce(sum(balance_yuan) filter (where is_npl), 0) as npl_yuan,
    count(*) as loan_count
from loan_month
group by all;

create temp table dec_npl as
select period, county_code, balance_yuan, npl_yuan from dec_npl_stored
union all
select
    strftime(strptime(数据日期, '%Y%m%d'), '%Y-%m'),
    县区代码,
    sum(cast(贷款余额 as decimal(20, 2))),
    coalesce(sum(cast(贷款余额 as decimal(20, 2))) filter (where class_name(五级分类) in ('次级', '可疑', '损失')), 0)
from (
    select * from dec_loans_csv
    qualify row_number() over (partition by 机构代码, 借据号, 数据日期 order by source_file, row_number) = 1
)
group by all;

-- R01..R03 for the city and each county; R04..R09 for the city.
create temp table figures as
with
month_totals as (
    select county_code, sum(balance_yuan) as balance_yuan, sum(npl_yuan) as npl_yuan
    from npl_by_county group by all
),
regions as (
    select getvariable('city_code') as region_code, sum(balance_yuan) as balance_yuan, sum(npl_yuan) as npl_yuan
    from month_totals
    union all
    select r.code, coalesce(t.balance_yuan, 0), coalesce(t.npl_yuan, 0)
    from (select unnest(getvariable('county_codes')) as code) as r
    left join month_totals as t on t.county_code = r.code
),
dec as (
    select sum(balance_yuan) as balance_yuan, sum(npl_yuan) as npl_yuan, count(*) > 0 as present
    from dec_npl where period = getvariable('prior_dec')
),
city as (select * from regions where region_code = getvariable('city_code')),
disposed as (
    select coalesce(sum(cast(处置本金 as decimal(20, 2))), 0) as yuan from disposals_csv
),
poverty as (
    select
        coalesce(sum(balance_yuan) filter (where poverty_flag), 0) as yuan,
        count(distinct borrower_key) filter (where poverty_flag) as borrowers
    from loan_month
),
-- Each branch cast to DECIMAL(38,10): a UNION of mixed decimal types would drop scale to fit 38 digits.
long as (
    select region_code, 'R01' as code, yi(balance_yuan) as value from regions
    union all
    select region_code, 'R02', yi(npl_yuan) from regions
    union all
    select region_code, 'R03', cast(exact_div(npl_yuan, balance_yuan, 100) as decimal(38, 10)) from regions
    union all
    -- R04 = (R03(Dec) - R03(M)) / R03(Dec) x 100 = (bal_M npl_Dec - npl_M bal_Dec) / (bal_M npl_Dec) x 100.
    select getvariable('city_code'), 'R04', cast(exact_div(
        c.balance_yuan * d.npl_yuan - c.npl_yuan * d.balance_yuan, c.balance_yuan * d.npl_yuan, 100) as decimal(38, 10))
    from city as c, dec as d where d.present
    union all
    select getvariable('city_code'), 'R05', yi(c.npl_yuan - d.npl_yuan)
    from city as c, dec as d where d.present
    union all
    select getvariable('city_code'), 'R06', case when c.npl_yuan < d.npl_yuan
        and c.npl_yuan * d.balance_yuan < d.npl_yuan * c.balance_yuan then 1.0 else 0.0 end::decimal(38, 10)
    from city as c, dec as d where d.present and c.balance_yuan > 0 and d.balance_yuan > 0
    union all
    select getvariable('city_code'), 'R07', yi(yuan) from disposed
    union all
    select getvariable('city_code'), 'R08', cast(yuan * cast('0.0001' as decimal(5, 4)) as decimal(38, 10)) from poverty
    union all
    select getvariable('city_code'), 'R09', cast(borrowers as decimal(38, 10)) from poverty
)
select
    getvariable('period') as period,
    code as indicator_code,
    region_code,
    cast(value as decimal(38, 10)) as value,
    cast(round(cast(value as decimal(38, 10)), 2) as decimal(20, 4)) as published_value
from long
where value is not null;

-- Rule 13: 借据号 delivered more than once per institution and month.
create temp table rule_13 as
select period, inst_code, loan_id, rows_with_loan_id as found, 1 as expected, false as passed
from loan_month where rows_with_loan_id > 1;

-- Rule 14: loan level against the bank_loans report, per institution (tolerance 1 万元).
create temp table rule_14 as
with
loan_level as (
    select inst_code, 'A01' as item_code, '余额' as measure, sum(balance_yuan) as yuan
    from npl_by_county group by all
    union all
    select inst_code, item_code, '余额', sum(yuan) from npl_by_county
    unpivot (yuan for item_code in (substandard_yuan as 'C03', doubtful_yuan as 'C04', loss_yuan as 'C05'))
    group by all
    union all
    select 机构代码, case 处置方式 when '现金清收' then 'D01' when '核销' then 'D02' when '转让' then 'D03'
        when '资产证券化' then 'D04' when '以物抵债' then 'D05' when '上调' then 'D06' else 'D07' end,
        '本月', sum(cast(处置本金 as decimal(20, 2)))
    from disposals_csv
    where strftime(strptime(数据日期, '%Y%m%d'), '%Y-%m') = getvariable('period')
    group by all
),
bank as (
    select inst_code, item_code, measure, cast(amount_yuan as decimal(20, 2)) as yuan
    from bank_totals where period = getvariable('period')
)
select
    getvariable('period') as period,
    coalesce(b.inst_code, l.inst_code) as inst_code,
    coalesce(b.item_code, l.item_code) as item_code,
    coalesce(b.measure, l.measure) as measure,
    coalesce(b.yuan, 0) as expected,
    coalesce(l.yuan, 0) as found,
    abs(coalesce(l.yuan, 0) - coalesce(b.yuan, 0)) <= 10000.00 as passed
from bank as b
full join loan_level as l
    on l.inst_code = b.inst_code and l.item_code = b.item_code and l.measure = b.measure;

copy (select * exclude (row_number) from loan_month) to '@OUT@/loan_month.parquet' (format parquet);
copy npl_by_county to '@OUT@/npl_by_county.parquet' (format parquet);
copy figures to '@OUT@/figures.parquet' (format parquet);
copy rule_13 to '@OUT@/rule_13.parquet' (format parquet);
copy rule_14 to '@OUT@/rule_14.parquet' (format parquet);
