-- database_columns: the columns of the database's tables, to tell a database written before a contract column was added from a current one
-- params:
-- columns: table_name varchar, column_name varchar
select
    table_name,
    column_name,
from information_schema.columns
where table_schema = 'main'
order by table_name, column_name
