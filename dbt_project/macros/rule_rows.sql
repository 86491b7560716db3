{#-
  The shared layout of every audit.qr_* model (expectations/suites/common.py RULE_COLUMNS), cast to
  the types the contract declares. The model's last CTE names the columns; this only casts.
-#}
{% macro rule_output_columns(rule) -%}
    cast(period as string) as period,
    cast({{ rule }} as integer) as rule,
    cast(inst_code as string) as inst_code,
    cast(county_code as string) as county_code,
    cast(item_code as string) as item_code,
    cast(measure as string) as measure,
    cast(expected as decimal(38, 2)) as expected,
    cast(found as decimal(38, 2)) as found,
    cast(diff as decimal(38, 2)) as diff,
    cast(abs_diff as decimal(38, 2)) as abs_diff,
    cast(tolerance as decimal(38, 2)) as tolerance,
    cast(passed as boolean) as passed,
    cast(detail as string) as detail,
    cast(source_file as string) as source_file,
    cast(row_number as integer) as row_number
{%- endmacro %}

{#- 0.01 万元 = 100 元: the rounding tolerance per summed cell (spec/extracts.md). -#}
{% macro cell_tolerance_yuan(cells) -%}
    cast(100 * ({{ cells }}) as decimal(38, 2))
{%- endmacro %}

{#- 机构名称（机构代码） for the detail text; an unregistered code still shows. -#}
{% macro inst_label(name, code) -%}
    (coalesce({{ name }}, '未登记机构') || '（' || {{ code }} || '）')
{%- endmacro %}

{#- 县区名称（代码）, or 合计列 for the Excel 合计 column. -#}
{% macro county_label(name, code) -%}
    (case when {{ code }} = 'TOTAL' then '合计列'
        when {{ code }} = {{ city_region_code() }} then '市本级（' || {{ code }} || '）'
        else coalesce({{ name }}, '') || '（' || {{ code }} || '）' end)
{%- endmacro %}

{#- 项目名称（代码）. -#}
{% macro item_label(name, code) -%}
    (coalesce({{ name }}, '') || '（' || {{ code }} || '）')
{%- endmacro %}

{#- An amount in 元 as 万元 text for the Chinese detail messages (exact, trailing zeros dropped). -#}
{% macro wan_text(amount) -%}
    coalesce(
        {{ trim_trailing(trim_trailing("cast(cast(" ~ amount ~ " as decimal(38, 2)) * cast('0.0001' as decimal(5, 4)) as string)", '0'), '.') }}
        || ' 万元',
        '无'
    )
{%- endmacro %}

{#- An amount in 元 as 万元 text for the bank report rules, whose forms are in 万元: thousands
    separated, 2 decimals, and more only where the 元 amount has them (150 元 is 0.015 万元), so a
    difference is never rounded into or out of its tolerance. -#}
{% macro wan_amount_text(amount) -%}
    {%- set fen = 'cast(abs(cast(' ~ amount ~ ' as decimal(38, 2))) * 100 as ' ~ big_int() ~ ')' -%}
    {%- set wan_decimals = "lpad(cast(" ~ fen ~ " % 1000000 as string), 6, '0')" -%}
    coalesce(
        (case when {{ amount }} < 0 then '-' else '' end)
        || {{ thousands_text(int_div(fen, 1000000)) }}
        || '.' || substr({{ wan_decimals }}, 1, 2)
        || {{ trim_trailing('substr(' ~ wan_decimals ~ ', 3)', '0') }}
        || ' 万元',
        '无'
    )
{%- endmacro %}

{#- text without the given trailing characters (Spark's rtrim takes only the text). -#}
{% macro trim_trailing(text, characters) -%}
    {{ return(adapter.dispatch('trim_trailing')(text, characters)) }}
{%- endmacro %}

{% macro default__trim_trailing(text, characters) -%}
    {{ return('rtrim(' ~ text ~ ", '" ~ characters ~ "')") }}
{%- endmacro %}

{% macro spark__trim_trailing(text, characters) -%}
    {{ return("trim(trailing '" ~ characters ~ "' from " ~ text ~ ')') }}
{%- endmacro %}

{#-
  The loan-level warnings (rules 15-17) add these columns after RULE_COLUMNS: the loan, its balance,
  the institution's balance and the share of that balance the rule's loans hold.
-#}
{% macro loan_rule_extra_columns() -%}
    cast(loan_id as string) as loan_id,
    cast(balance_yuan as decimal(38, 2)) as balance_yuan,
    cast(inst_balance_yuan as decimal(38, 2)) as inst_balance_yuan,
    cast(share_of_inst_balance_pct as decimal(38, 10)) as share_of_inst_balance_pct
{%- endmacro %}

{#-
  The platform rules (18-21) add the records a person opens in the platform to act: the request,
  product and enterprise concerned (NULL where the rule is not about one).
-#}
{% macro platform_rule_extra_columns() -%}
    cast(request_id as string) as request_id,
    cast(product_id as string) as product_id,
    cast(enterprise_id as string) as enterprise_id
{%- endmacro %}

{#- A timestamp as text for the detail messages. -#}
{% macro time_text(value) -%}
    coalesce({{ datetime_text(value, 'second') }}, '空')
{%- endmacro %}

{#- Rules 15 and 16: per institution and build month, its loan balance (from fct_rural_npl, not the
    loans) and the count and balance of its loans in the CTE `flagged`. -#}
{% macro flagged_loans_by_institution(flagged) -%}
    select
        b.period,
        b.inst_code,
        b.inst_balance_yuan,
        count(l.loan_id) as n_flagged,
        coalesce(sum(l.balance_yuan), 0) as flagged_yuan
    from (
        select period, inst_code, sum(balance_yuan) as inst_balance_yuan
        from {{ ref('fct_rural_npl') }}
        {% if is_incremental() %}where period in {{ build_periods() }}{% endif %}
        group by period, inst_code
    ) as b
    left join {{ flagged }} as l on l.period = b.period and l.inst_code = b.inst_code
    group by b.period, b.inst_code, b.inst_balance_yuan
{%- endmacro %}
