-- table_rows: how many rows each table of the contract holds, from how many batches, and the latest of them
-- params:
-- columns: table_name varchar, position integer, rows bigint, batches bigint, latest_batch varchar
with
counted as (
    select 'institutions' as table_name, 1 as position, batch_id from institutions
    union all select 'agreements', 2, batch_id from agreements
    union all select 'agreement_hospitals', 3, batch_id from agreement_hospitals
    union all select 'data_requests', 4, batch_id from data_requests
    union all select 'centre_usage', 5, batch_id from centre_usage
    union all select 'quality_checks', 6, batch_id from quality_checks
    union all select 'consultations', 7, batch_id from consultations
),

per_batch as (
    select table_name, position, batch_id, count(*) as rows,
    from counted
    group by all
),

final as (
    select
        p.table_name,
        p.position,
        sum(p.rows)::bigint as rows,
        count(*) as batches,
        arg_max(p.batch_id, b.loaded_at) as latest_batch,
    from per_batch as p
    left join batches as b on b.batch_id = p.batch_id
    group by all
)

select
    t.table_name,
    t.position,
    coalesce(f.rows, 0)::bigint as rows,
    coalesce(f.batches, 0)::bigint as batches,
    f.latest_batch,
from (values
    ('institutions', 1), ('agreements', 2), ('agreement_hospitals', 3), ('data_requests', 4),
    ('centre_usage', 5), ('quality_checks', 6), ('consultations', 7)
) as t (table_name, position)
left join final as f on f.table_name = t.table_name
order by t.position
