-- request_pipeline_open: the requests open at the period's end, oldest first, optionally only one age band ('' for all), with their hospital, requester and stage, and how many there are in all
-- params: $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[], $areas varchar[], $data_types varchar[], $access_modes varchar[], $hospital_ids varchar[], $age_band varchar, $row_limit integer
-- columns: request_id varchar, hospital_id varchar, hospital_ko varchar, hospital_en varchar, requester_ko varchar, requester_en varchar, data_type varchar, access_mode varchar, requested_on date, stage varchar, age_days bigint, open_requests bigint
with open_requests as (
    select
        f.request_id,
        f.hospital_id,
        f.requester_id,
        f.data_type,
        f.access_mode,
        f.requested_on,
        case
            when f.approved_on <= $date_to then 'approved'
            when f.status = 'requested' then 'requested'
            else 'under_review'
        end as stage,
        date_diff('day', f.requested_on, $date_to::date) as age_days,
    from scoped_requests($regions, $kinds, $sectors, $areas) as f
    where f.requested_on <= $date_to
        and (f.delivered_on is null or f.delivered_on > $date_to)
        and f.status not in ('rejected', 'withdrawn')
        and (len($data_types) = 0 or list_contains($data_types, f.data_type))
        and (len($access_modes) = 0 or list_contains($access_modes, f.access_mode))
        and (len($hospital_ids) = 0 or list_contains($hospital_ids, f.hospital_id))
),

banded as (
    select
        *,
        case
            when age_days <= 30 then 'd0_30'
            when age_days <= 90 then 'd31_90'
            when age_days <= 180 then 'd91_180'
            else 'd181_plus'
        end as age_band,
    from open_requests
),

chosen as (
    select *, count(*) over () as open_requests
    from banded
    where $age_band = '' or age_band = $age_band
)

select
    c.request_id,
    c.hospital_id,
    h.name_ko as hospital_ko,
    h.name_en as hospital_en,
    r.name_ko as requester_ko,
    r.name_en as requester_en,
    c.data_type,
    c.access_mode,
    c.requested_on,
    c.stage,
    c.age_days,
    c.open_requests,
from chosen as c
join institutions as h on h.institution_id = c.hospital_id
join institutions as r on r.institution_id = c.requester_id
order by c.age_days desc, c.request_id
limit $row_limit
