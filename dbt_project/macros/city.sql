{#- The city's GB/T 2260 code as a SQL string literal. finstat's job passes it with
    --vars '{"city_region_code": "..."}', read from the regions.csv row ending in 00
    (finstat/reference.py): nothing in the project names a city. Checked here because it is
    pasted into SQL, and required when models run so no build ever guesses a city. -#}
{% macro city_region_code() -%}
    {%- set code = var('city_region_code', none) -%}
    {%- if execute and (code is none or not modules.re.fullmatch('[0-9]{4}00', code | string)) -%}
        {{ exceptions.raise_compiler_error(
            "city_region_code must be the city's six-digit code ending in 00 (the regions.csv row of "
            ~ "the city), passed with --vars; got " ~ code) }}
    {%- endif -%}
    '{{ code }}'
{%- endmacro %}
