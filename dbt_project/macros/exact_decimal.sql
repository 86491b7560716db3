{#-
  Exact money arithmetic. DuckDB turns DECIMAL / DECIMAL into DOUBLE, so figures never use `/`:
  amounts become integer 分 (HUGEINT), quotients are integer divisions of 分 scaled by 10^10, and
  the scaled integer is turned back into DECIMAL(38,10) by multiplying with 1e-10 (exact).
  Quotients are truncated at the 10th decimal; publication rounds to 2 places later.
-#}

{#- A 元 amount (DECIMAL with at most 2 decimals) as integer 分. -#}
{% macro to_fen(yuan) -%}
    cast(cast({{ yuan }} as decimal(38, 2)) * 100 as hugeint)
{%- endmacro %}

{#- A HUGEINT holding value x 10^10 as DECIMAL(38,10). -#}
{% macro scaled_to_decimal(scaled) -%}
    (cast({{ scaled }} as decimal(28, 0)) * cast('0.0000000001' as decimal(11, 10)))
{%- endmacro %}

{#- 元 -> 亿元, exact: DECIMAL(38,2) x 1e-8 has scale 10. -#}
{% macro to_yi(yuan) -%}
    cast(cast({{ yuan }} as decimal(38, 2)) * cast('0.00000001' as decimal(9, 8)) as decimal(38, 10))
{%- endmacro %}

{#-
  numerator / denominator x multiplier as DECIMAL(38,10), truncated at the 10th decimal; both in 元.
  NULL when the denominator is zero or NULL (a rate of nothing is not a figure).
-#}
{% macro exact_div(numerator, denominator, multiplier=1) -%}
    {{ scaled_to_decimal(
        '(' ~ to_fen(numerator) ~ ' * cast(' ~ multiplier ~ ' as hugeint) * cast(10000000000 as hugeint)) // nullif('
        ~ to_fen(denominator) ~ ', 0)'
    ) }}
{%- endmacro %}

{#- A percentage rate: numerator / denominator x 100. -#}
{% macro exact_pct(numerator, denominator) -%}
    {{ exact_div(numerator, denominator, 100) }}
{%- endmacro %}
