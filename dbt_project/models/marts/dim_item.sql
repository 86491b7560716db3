-- One row per report item (A/B/C balances, D disposal methods).
select
    cast(item_code as string) as item_code,
    cast(item_name as string) as item_name,
    cast(nullif(parent_item, '') as string) as parent_item,
    cast(item_kind as string) as item_kind,
    cast(
        item_code in ('{{ var('added_back_disposal_items') | join("', '") }}')
        as boolean
    ) as is_added_back
from {{ ref('items') }}
