-- live_columns: the columns a table of the database being loaded into has today (a column added to the contract since reads as empty)
-- params: $table_name varchar
-- columns: column_name varchar
select column_name from duckdb_columns() where database_name = 'live' and table_name = $table_name
