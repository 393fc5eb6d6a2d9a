-- dataset_info: what the database holds: demo or submitted, generator seed and scale, build time, data date, and the latest loaded batch
-- params:
-- columns: kind varchar, seed bigint, scale varchar, built_at timestamp, data_date date, contract_version integer, latest_batch varchar, batches bigint
select
    d.kind,
    d.seed,
    d.scale,
    d.built_at,
    d.data_date,
    d.contract_version,
    (select batch_id from batches where outcome = 'loaded' order by loaded_at desc limit 1) as latest_batch,
    (select count(*) from batches where outcome = 'loaded') as batches,
from dataset_info as d
