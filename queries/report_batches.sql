-- report_batches: the loaded batches a report's figures come from, newest first, with what each brought in
-- params:
-- columns: batch_id varchar, loaded_at timestamp, source varchar, files bigint
select
    batch_id,
    loaded_at,
    source,
    json_array_length(files)::bigint as files,
from batches
where outcome = 'loaded'
order by loaded_at desc, batch_id
