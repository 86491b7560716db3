{#- Text for the programme rules (23-29): a cell's value as the form shows it, 金额 in 万元 and
    户数 as a count (a fraction stays visible: rule 24 reports it). -#}
{% macro programme_value_text(value, quantity) -%}
    (case when {{ quantity }} = '金额' then {{ wan_amount_text(value) }}
        else coalesce({{ count_text(value) }} || ' 户', '无') end)
{%- endmacro %}

{#- A count held as DECIMAL as text, without the .00 of a whole number. Whole is `% 1 = 0`, not a
    comparison with its cast to an integer: that cast rounds on one engine and truncates on another
    (DuckDB's 2.50 stayed 2.50, Spark's printed 3). -#}
{% macro count_text(value) -%}
    (case when {{ value }} % 1 = 0
        then cast(cast({{ value }} as {{ big_int() }}) as string)
        else cast(cast({{ value }} as decimal(38, 2)) as string) end)
{%- endmacro %}

{#- 机构（代码） 期 县区（代码） 指标 计量: the cell a programme rule row is about. -#}
{% macro programme_cell_label(inst_name, inst_code, period, region_name, county_code, item_code, quantity) -%}
    ({{ inst_label(inst_name, inst_code) }} || ' ' || {{ period }} || ' 专项统计月报 '
    || {{ county_label(region_name, county_code) }} || ' ' || {{ item_code }} || ' ' || {{ quantity }})
{%- endmacro %}
