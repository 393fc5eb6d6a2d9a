-- record_batch: a batch written to the database (a load of submissions, or the demo generator), for the history
-- params: $batch_id varchar, $loaded_at timestamp, $loaded_by varchar, $source varchar, $files varchar, $rows_per_table varchar, $message varchar
-- writes: batches
insert into batches (batch_id, loaded_at, loaded_by, source, files, rows_per_table, outcome, message)
values ($batch_id, $loaded_at, $loaded_by, $source, $files, $rows_per_table, 'loaded', $message)
