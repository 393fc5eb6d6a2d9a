-- database_tables: the tables the database holds, to tell a database built by an earlier version (lacking a derived table) from a current one
-- params:
-- columns: table_name varchar
select table_name
from information_schema.tables
where table_schema = 'main'
order by table_name
