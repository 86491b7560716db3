-- The city code the job passed (macros/city.sql) is exactly one row of regions.csv: a code that
-- matched no row would leave every city figure empty without another failing test.
select count(*) as city_rows
from {{ ref('dim_region') }}
where is_city_total
having count(*) <> 1
