-- database_tables: the tables of the open database file, by name (the benchmark counts their rows)
-- params:
-- columns: table_name varchar
select table_name from duckdb_tables() where database_name = current_database() order by 1
