-- One row per report item (A/B/C balances, D disposal methods).
select
    cast(item_code as varchar) as item_code,
    cast(item_name as varchar) as item_name,
    cast(nullif(parent_item, '') as varchar) as parent_item,
    cast(item_kind as varchar) as item_kind,
    cast(
        item_code in ({% for item in var('added_back_disposal_items') %}'{{ item }}'{% if not loop.last %}, {% endif %}{% endfor %})
        as boolean
    ) as is_added_back
from {{ ref('items') }}
