-- district_table_ready: whether the database has each institution's district (the derived table institution_districts, built at load time since the Regions page was added)
-- params:
-- columns: ready boolean
select count(*) > 0 as ready
from information_schema.tables
where table_name = 'institution_districts'
