-- waiting_requests: requests still open at the end of the period (not delivered by then, not rejected or withdrawn) that have waited more than a number of days
-- params: $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[], $areas varchar[], $min_days integer
-- columns: request_id varchar, agreement_id varchar, hospital_id varchar, hospital_ko varchar, hospital_en varchar, requester_ko varchar, requester_en varchar, requested_on date, stage varchar, days_waiting bigint
select
    f.request_id,
    f.agreement_id,
    f.hospital_id,
    h.name_ko as hospital_ko,
    h.name_en as hospital_en,
    r.name_ko as requester_ko,
    r.name_en as requester_en,
    f.requested_on,
    case when f.approved_on is null or f.approved_on > $date_to then 'under_review' else 'approved' end as stage,
    date_diff('day', f.requested_on, $date_to::date) as days_waiting,
from scoped_requests($regions, $kinds, $sectors, $areas) as f
join institutions as h on h.institution_id = f.hospital_id
join institutions as r on r.institution_id = f.requester_id
where f.requested_on <= $date_to
    and (f.delivered_on is null or f.delivered_on > $date_to)
    and f.status not in ('rejected', 'withdrawn')
    and date_diff('day', f.requested_on, $date_to::date) > $min_days
order by days_waiting desc, f.request_id
