-- request_pipeline_by_age: the requests open at the period's end (not delivered by then, not rejected or withdrawn), by days since the request (0-30, 31-90, 91-180, over 180) and by the stage they were in
-- params: $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[], $areas varchar[], $data_types varchar[], $access_modes varchar[], $hospital_ids varchar[]
-- columns: age_band varchar, band_order integer, stage varchar, requests bigint
with open_requests as (
    select
        date_diff('day', requested_on, $date_to::date) as age_days,
        case
            when approved_on <= $date_to then 'approved'
            when status = 'requested' then 'requested'
            else 'under_review'
        end as stage,
    from scoped_requests($regions, $kinds, $sectors, $areas)
    where requested_on <= $date_to
        and (delivered_on is null or delivered_on > $date_to)
        and status not in ('rejected', 'withdrawn')
        and (len($data_types) = 0 or list_contains($data_types, data_type))
        and (len($access_modes) = 0 or list_contains($access_modes, access_mode))
        and (len($hospital_ids) = 0 or list_contains($hospital_ids, hospital_id))
),

bands (age_band, band_order, min_days, max_days) as (
    values
        ('d0_30', 1, 0, 30),
        ('d31_90', 2, 31, 90),
        ('d91_180', 3, 91, 180),
        ('d181_plus', 4, 181, null)
),

stages (stage, stage_order) as (
    values
        ('requested', 1),
        ('under_review', 2),
        ('approved', 3)
)

select
    b.age_band,
    b.band_order,
    s.stage,
    count(o.age_days) as requests,
from bands as b
cross join stages as s
left join open_requests as o
    on o.stage = s.stage
    and o.age_days >= b.min_days
    and (b.max_days is null or o.age_days <= b.max_days)
group by b.age_band, b.band_order, s.stage, s.stage_order
order by b.band_order, s.stage_order
