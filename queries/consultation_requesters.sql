-- consultation_requesters: the requesters (companies, universities, research institutes) advised in the period: consultations, hours, topics, their first consultation ever, and their requests made in the period in all and on or after that first consultation
-- params: $date_from date, $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[], $areas varchar[], $topics varchar[]
-- columns: institution_id varchar, name_ko varchar, name_en varchar, kind varchar, company_sector varchar, consultations bigint, hours double, mean_satisfaction double, topics varchar[], first_consulted_on date, requests_made bigint, requests_after_first bigint
-- Regions, kinds and sectors here are the advised requester's own: its requests are narrowed by
-- area only (passing [] for the rest), not to hospitals in the chosen regions.
with advised as (
    select
        k.institution_id,
        count(*) as consultations,
        sum(k.hours)::double as hours,
        avg(k.satisfaction) as mean_satisfaction,
        list(distinct k.topic order by k.topic) as topics,
    from scoped_consultations($regions, $kinds, $sectors) as k
    join institutions as i on i.institution_id = k.institution_id
    where k.held_on between $date_from and $date_to
        and i.kind in ('company', 'university', 'research_institute')
        and (len($topics) = 0 or list_contains($topics, k.topic))
    group by k.institution_id
),

-- The first consultation ever (on the chosen topics), not only within the period
first_consultation as (
    select institution_id, min(held_on) as first_consulted_on
    from consultations
    where len($topics) = 0 or list_contains($topics, topic)
    group by institution_id
),

requests as (
    select
        f.requester_id,
        count(*) as requests_made,
        count(*) filter (where f.requested_on >= fc.first_consulted_on) as requests_after_first,
    from scoped_requests([], [], [], $areas) as f
    join first_consultation as fc on fc.institution_id = f.requester_id
    where f.requested_on between $date_from and $date_to
    group by f.requester_id
)

select
    a.institution_id,
    i.name_ko,
    i.name_en,
    i.kind,
    i.company_sector,
    a.consultations,
    a.hours,
    a.mean_satisfaction,
    a.topics,
    fc.first_consulted_on,
    coalesce(r.requests_made, 0) as requests_made,
    coalesce(r.requests_after_first, 0) as requests_after_first,
from advised as a
join institutions as i on i.institution_id = a.institution_id
join first_consultation as fc on fc.institution_id = a.institution_id
left join requests as r on r.requester_id = a.institution_id
order by a.consultations desc, a.hours desc, a.institution_id
