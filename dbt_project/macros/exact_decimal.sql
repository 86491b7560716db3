{#-
  Exact money arithmetic. DuckDB turns DECIMAL / DECIMAL into DOUBLE, so figures never use `/`:
  amounts become integer 分 (HUGEINT), quotients are integer divisions of 分 scaled by 10^10, and
  the scaled integer is turned back into DECIMAL(38,10) by multiplying with 1e-10 (exact).
  Quotients are truncated at the 10th decimal; publication rounds to 2 places later.
  On Spark the integer type is DECIMAL(38,0) and integer division is `div` (both truncate toward
  zero, like DuckDB's `//`); the profile turns decimal precision loss off so no product is rounded.
-#}

{#- The exact integer type of 分 products: HUGEINT on DuckDB, DECIMAL(38,0) on Spark. An overflow
    raises on DuckDB; on Spark it becomes NULL (a withheld figure), because dbt-spark 1.11 turns ANSI
    mode off in every session (docs/scale-out.md "What differs on Spark"). -#}
{% macro big_int() -%}
    {{ return(adapter.dispatch('big_int')()) }}
{%- endmacro %}

{% macro default__big_int() -%}
    {{ return('hugeint') }}
{%- endmacro %}

{% macro spark__big_int() -%}
    {{ return('decimal(38, 0)') }}
{%- endmacro %}

{#- numerator // denominator, truncated toward zero, for integers of big_int(). -#}
{% macro int_div(numerator, denominator) -%}
    {{ return(adapter.dispatch('int_div')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__int_div(numerator, denominator) -%}
    {{ return('(' ~ numerator ~ ') // ' ~ denominator) }}
{%- endmacro %}

{#- Spark's `div` on decimals truncates toward zero but returns BIGINT, and a quotient beyond BIGINT
    wraps around silently even in ANSI mode: the quotient is checked (q x d + remainder = n) and a
    wrong one raises instead of becoming a figure. -#}
{% macro spark__int_div(numerator, denominator) -%}
    {%- set quotient = '((' ~ numerator ~ ') div (' ~ denominator ~ '))' -%}
    {%- set checked -%}
        (case when {{ quotient }} is null then null
            when cast({{ quotient }} as decimal(38, 0)) * ({{ denominator }}) + (({{ numerator }}) % ({{ denominator }})) = ({{ numerator }})
                then {{ quotient }}
            else raise_error('exact_div: a quotient exceeds BIGINT') end)
    {%- endset -%}
    {{ return(checked) }}
{%- endmacro %}

{#- A 元 amount (DECIMAL with at most 2 decimals) as integer 分. -#}
{% macro to_fen(yuan) -%}
    cast(cast({{ yuan }} as decimal(38, 2)) * 100 as {{ big_int() }})
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
        int_div(
            to_fen(numerator) ~ ' * cast(' ~ multiplier ~ ' as ' ~ big_int() ~ ') * cast(10000000000 as ' ~ big_int() ~ ')',
            'nullif(' ~ to_fen(denominator) ~ ', 0)'
        )
    ) }}
{%- endmacro %}

{#- A percentage rate: numerator / denominator x 100. -#}
{% macro exact_pct(numerator, denominator) -%}
    {{ exact_div(numerator, denominator, 100) }}
{%- endmacro %}

{#- 元 -> 万元, exact: DECIMAL(38,2) x 1e-4 has scale 6. -#}
{% macro to_wan(yuan) -%}
    cast(cast({{ yuan }} as decimal(38, 2)) * cast('0.0001' as decimal(5, 4)) as decimal(38, 10))
{%- endmacro %}

{#-
  How far a rate fell from its base, in % of the base rate, without going through the rounded rates:
  (n0/d0 - n/d) / (n0/d0) x 100 = (n0*d - n*d0) / (n0*d) x 100, in integer 分 products (HUGEINT; an
  overflow raises instead of losing digits). NULL when either rate is undefined or the base is zero.
-#}
{% macro exact_rate_fall_pct(numerator, denominator, base_numerator, base_denominator) -%}
    {{ scaled_to_decimal(
        int_div(
            '(' ~ to_fen(base_numerator) ~ ' * ' ~ to_fen(denominator) ~ ' - ' ~ to_fen(numerator) ~ ' * '
            ~ to_fen(base_denominator) ~ ') * cast(100 as ' ~ big_int() ~ ') * cast(10000000000 as ' ~ big_int() ~ ')',
            'nullif(' ~ to_fen(base_numerator) ~ ' * ' ~ to_fen(denominator) ~ ', 0)'
        )
    ) }}
{%- endmacro %}

{#- n/d < n0/d0 for positive d, d0, compared exactly as n*d0 < n0*d in 分. -#}
{% macro exact_rate_below(numerator, denominator, base_numerator, base_denominator) -%}
    ({{ to_fen(numerator) }} * {{ to_fen(base_denominator) }} < {{ to_fen(base_numerator) }} * {{ to_fen(denominator) }})
{%- endmacro %}
