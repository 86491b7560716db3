-- One row per month with data, withheld indicator and base month that holds no data (see
-- audit.figure_base_periods for every base month of every indicator). The platform figures' base
-- is the month's own snapshot: a month with other data and no platform file at all lists P01..P06
-- with itself as the missing month (a partial snapshot is rule 19, not this).
select period, indicator_code, base_period as missing_period
from {{ ref('figure_base_periods') }}
where not base_available
