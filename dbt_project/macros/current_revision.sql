{#- The rows of the current revision of each delivered report (docs/reliability.md "Re-delivery").
    Current means the latest delivery: the latest delivery of an institution's report of a kind
    for a month is current, whatever its bytes equal. Ingestion numbers a report's deliveries 1, 2,
    3 … in the order it logged them, so the current one is the highest revision of the report, and
    it supersedes the whole earlier report: a row the new revision no longer holds is gone.
    relation: what to select from (a CTE name), with an integer `revision` column.
    partition_by: the columns that name one report of this kind (a list): ['inst_code', 'period']
    for a file each institution sends each month; ['period'] for a source sent once a month with no
    institution in it (the central bank branch's workbook, each platform snapshot).
    The rows come with one more column, current_revision; the caller selects the columns it keeps. -#}
{% macro current_revision(relation, partition_by) -%}
    {%- set keys = [partition_by] if partition_by is string else partition_by -%}
    select *
    from (
        select
            *,
            max(revision) over (partition by {{ keys | join(', ') }}) as current_revision
        from {{ relation }}
    ) as revisions
    where revision = current_revision
{%- endmacro %}
