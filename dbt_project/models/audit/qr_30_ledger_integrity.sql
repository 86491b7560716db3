-- Rule 30 (error): the integrity of each ledger workbook of a month, one row per broken record
-- (measure): a sheet's key repeated (活动编号, 走访编号, 项目编号, (项目编号, 机构代码) in 授信跟踪,
-- (活动编号, 项目编号, 机构代码) in 签约, 企业编号, 文号); a 授信跟踪/签约 项目编号 not in 推介项目, a
-- 签约 活动编号 not in 对接活动, a 机构代码 not in the register, a 服务记录 企业编号 not in 后备企业;
-- 放款金额 above 授信金额; 签约金额/签约日期 not present exactly when 是否签约 is 是. Zero rows = pass.
-- The text names workbook, sheet, row and key: never an enterprise, credit code or project name.
{%- set keyed_sheets = [
    ('银企对接台账', '对接活动', 'activities', ['activity_id'], '活动编号'),
    ('银企对接台账', '走访企业', 'visits', ['visit_id'], '走访编号'),
    ('银企对接台账', '推介项目', 'projects', ['project_id'], '项目编号'),
    ('银企对接台账', '授信跟踪', 'credit_follow_up', ['project_id', 'inst_code'], '项目编号/机构代码'),
    ('银企对接台账', '签约', 'signings', ['activity_id', 'project_id', 'inst_code'], '活动编号/项目编号/机构代码'),
    ('上市后备企业台账', '后备企业', 'pipeline_enterprises', ['enterprise_id'], '企业编号'),
    ('监管文书台账', '文书', 'documents', ['doc_no'], '文号'),
] %}
{#- The references of 授信跟踪 and 签约 rows: alias, relation, sheet, key, column, and where it must
    be (a staging CTE and its sheet; none: the register). -#}
{%- set references = [
    ('c', 'credit', '授信跟踪', '项目编号', 'project_id', ('projects', '推介项目')),
    ('s', 'signings', '签约', '项目编号', 'project_id', ('projects', '推介项目')),
    ('s', 'signings', '签约', '活动编号', 'activity_id', ('activities', '对接活动')),
    ('c', 'credit', '授信跟踪', '机构代码', 'inst_code', none),
    ('s', 'signings', '签约', '机构代码', 'inst_code', none),
] %}
with

credit as (
    select * from {{ ref('stg_ledgers__credit_follow_up') }}
),

signings as (
    select * from {{ ref('stg_ledgers__signings') }}
),

projects as (
    select distinct period, project_id from {{ ref('stg_ledgers__projects') }}
),

activities as (
    select distinct period, activity_id from {{ ref('stg_ledgers__activities') }}
),

enterprises as (
    select distinct period, enterprise_id from {{ ref('stg_ledgers__pipeline_enterprises') }}
),

register as (
    select inst_code from {{ ref('dim_institution') }}
),

{% for ledger, sheet, model, keys, key_name in keyed_sheets -%}
repeated_{{ model }} as (
    select
        period,
        {{ "inst_code" if "inst_code" in keys else "cast(null as string) as inst_code" }},
        '{{ ledger }}' as ledger,
        '{{ sheet }}' as sheet,
        '{{ key_name }}' as key_name,
        {{ keys | join(" || '/' || ") }} as key_value,
        min(source_file) as source_file,
        min(row_number) as row_number,
        count(*) as n_rows,
        {{ string_agg_sorted('cast(row_number as string)', '、', order_by='row_number') }} as row_list
    from {{ ref('stg_ledgers__' ~ model) }}
    group by period, {{ keys | join(', ') }}
    having count(*) > 1
),

{% endfor -%}
problems as (
    {%- for ledger, sheet, model, keys, key_name in keyed_sheets %}
    select
        period, inst_code, ledger, sheet, key_name, key_value, source_file, row_number,
        '键唯一' as measure,
        cast(1 as decimal(38, 2)) as expected,
        cast(n_rows as decimal(38, 2)) as found,
        cast(0 as decimal(38, 2)) as tolerance,
        key_name || ' ' || key_value || ' 出现 ' || cast(n_rows as string) || ' 次（第 ' || row_list
        || ' 行），应唯一' as problem
    from repeated_{{ model }}
    union all
    {%- endfor %}
    {%- for alias, relation, sheet, key_name, column, present_in in references %}
    select
        {{ alias }}.period, {{ alias }}.inst_code, '银企对接台账' as ledger, '{{ sheet }}' as sheet,
        '{{ key_name }}' as key_name, {{ alias }}.{{ column }} as key_value, {{ alias }}.source_file,
        {{ alias }}.row_number, '{{ key_name }}引用' as measure,
        cast(1 as decimal(38, 2)) as expected, cast(0 as decimal(38, 2)) as found,
        cast(0 as decimal(38, 2)) as tolerance,
        {{ reference_problem(alias, key_name, column, present_in) }} as problem
    from {{ relation }} as {{ alias }}
    where {{ reference_missing(alias, column, present_in) }}
    union all
    {%- endfor %}
    select
        c.period, c.inst_code, '银企对接台账' as ledger, '授信跟踪' as sheet, '项目编号/机构代码' as key_name,
        c.project_id || '/' || c.inst_code as key_value, c.source_file, c.row_number,
        '放款金额<=授信金额' as measure,
        cast(coalesce(c.credit_yuan, 0) as decimal(38, 2)) as expected,
        cast(c.disbursed_yuan as decimal(38, 2)) as found,
        cast(0 as decimal(38, 2)) as tolerance,
        '项目编号 ' || c.project_id || '、机构代码 ' || c.inst_code || ' 的放款金额 '
        || {{ wan_amount_text('c.disbursed_yuan') }} || ' 超过授信金额 '
        || {{ wan_amount_text('coalesce(c.credit_yuan, 0)') }} as problem
    from credit as c
    where c.disbursed_yuan > coalesce(c.credit_yuan, 0)
    union all
    select
        s.period, s.inst_code, '银企对接台账' as ledger, '签约' as sheet, '活动编号/项目编号/机构代码' as key_name,
        s.activity_id || '/' || s.project_id || '/' || s.inst_code as key_value, s.source_file, s.row_number,
        '签约金额与签约日期' as measure,
        cast(case when s.is_signed then 1 else 0 end as decimal(38, 2)) as expected,
        cast(case when s.is_signed then 0 else 1 end as decimal(38, 2)) as found,
        cast(0 as decimal(38, 2)) as tolerance,
        '活动编号 ' || s.activity_id || '、项目编号 ' || s.project_id || '、机构代码 ' || s.inst_code
        || case when coalesce(s.is_signed, false) then ' 是否签约为“是”，但缺少' else ' 是否签约为“否”，却填有' end
        -- 是: the missing ones; 否: the filled ones.
        || concat_ws(
            '、',
            case when (s.signed_yuan is null) = coalesce(s.is_signed, false) then '签约金额' end,
            case when (s.signed_date is null) = coalesce(s.is_signed, false) then '签约日期' end
        ) as problem
    from signings as s
    where
        case
            when coalesce(s.is_signed, false) then s.signed_yuan is null or s.signed_date is null
            else s.signed_yuan is not null or s.signed_date is not null
        end
    union all
    select
        r.period, cast(null as string) as inst_code, '上市后备企业台账' as ledger, '服务记录' as sheet,
        '企业编号' as key_name, r.enterprise_id as key_value, r.source_file, r.row_number,
        '企业编号引用' as measure,
        cast(1 as decimal(38, 2)) as expected, cast(0 as decimal(38, 2)) as found,
        cast(0 as decimal(38, 2)) as tolerance,
        '企业编号 ' || r.enterprise_id || ' 不在本月后备企业中' as problem
    from {{ ref('stg_ledgers__service_records') }} as r
    where not exists (
            select 1 from enterprises as e where e.period = r.period and e.enterprise_id = r.enterprise_id
        )
),

checks as (
    select
        x.period,
        x.inst_code,
        cast(null as string) as county_code,
        cast(null as string) as item_code,
        x.measure,
        x.expected,
        x.found,
        x.found - x.expected as diff,
        abs(x.found - x.expected) as abs_diff,
        x.tolerance,
        false as passed,
        x.ledger || ' ' || x.period || ' 工作表 ' || x.sheet || coalesce(' 第 ' || cast(x.row_number as string) || ' 行', '')
        || '：' || x.problem || '。请在台账中更正后重新报送（文件名加 _v2）' as detail,
        x.source_file,
        x.row_number,
        x.ledger,
        x.sheet,
        x.key_name,
        x.key_value
    from problems as x
)

select
    {{ rule_output_columns(30) }},
    {{ ledger_rule_extra_columns() }}
from checks
