-- batch_history: every batch recorded in the database (demo builds and loaded imports), newest first
-- params:
-- columns: batch_id varchar, loaded_at timestamp, loaded_by varchar, source varchar, files varchar, rows_per_table varchar, outcome varchar, message varchar
select
    batch_id,
    loaded_at,
    loaded_by,
    source,
    files::varchar as files,
    rows_per_table::varchar as rows_per_table,
    outcome,
    message,
from batches
order by loaded_at desc, batch_id
