-- dataset_info: what the database holds: demo or submitted, generator seed and scale, build time, data date, the latest date that holds data (capped at the data date), and the latest loaded batch
-- params:
-- columns: kind varchar, seed bigint, scale varchar, built_at timestamp, data_date date, contract_version integer, latest_batch varchar, batches bigint, data_until date
select
    d.kind,
    d.seed,
    d.scale,
    d.built_at,
    d.data_date,
    d.contract_version,
    (select batch_id from batches where outcome = 'loaded' order by loaded_at desc limit 1) as latest_batch,
    (select count(*) from batches where outcome = 'loaded') as batches,
    -- Data sent in 2026 may end in 2024: the default period ends where the data does.
    least(d.data_date, greatest(
        (select max(joined_on) from institutions),
        (select max(signed_on) from agreements),
        (select max(greatest(requested_on, approved_on, delivered_on)) from data_requests),
        (select last_day(max(month)) from centre_usage),
        (select max(assessed_on) from quality_checks),
        (select max(held_on) from consultations)
    )) as data_until,
from dataset_info as d
