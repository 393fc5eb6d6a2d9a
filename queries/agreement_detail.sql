-- agreement_detail: one agreement: its dates, area, status and title, its requester, and what its data requests came to (all of them, whatever the period)
-- params: $agreement_id varchar
-- columns: agreement_id varchar, signed_on date, ends_on date, status varchar, research_area varchar, title varchar, requester_id varchar, requester_ko varchar, requester_en varchar, requester_kind varchar, requester_sector varchar, requester_region varchar, hospitals bigint, requests bigint, delivered bigint, open_requests bigint, records bigint, patients bigint, median_lead_days double
with requests as (
    select
        count(*) as requests,
        count(*) filter (where status = 'delivered') as delivered,
        count(*) filter (where status in ('requested', 'under_review', 'approved')) as open_requests,
        sum(records) filter (where status = 'delivered')::bigint as records,
        sum(patients) filter (where status = 'delivered')::bigint as patients,
        median(lead_days) as median_lead_days,
    from request_facts
    where agreement_id = $agreement_id
)

select
    a.agreement_id,
    a.signed_on,
    a.ends_on,
    a.status,
    a.research_area,
    a.title,
    a.requester_id,
    r.name_ko as requester_ko,
    r.name_en as requester_en,
    a.requester_kind,
    a.requester_sector,
    r.region_code as requester_region,
    a.hospitals,
    q.requests,
    q.delivered,
    q.open_requests,
    q.records,
    q.patients,
    q.median_lead_days,
from agreement_facts as a
join institutions as r on r.institution_id = a.requester_id
cross join requests as q
where a.agreement_id = $agreement_id
