-- derived_request_facts: each data request with its agreement, requester and hospital attributes and lead times (built at load time into request_facts)
-- params:
-- columns: request_id varchar, agreement_id varchar, hospital_id varchar, requested_on date, approved_on date, delivered_on date, status varchar, data_type varchar, access_mode varchar, centre_id varchar, patients bigint, records bigint, research_area varchar, requester_id varchar, requester_kind varchar, requester_sector varchar, hospital_region varchar, hospital_tier varchar, days_to_approval integer, days_approval_to_delivery integer, lead_days integer
select
    d.request_id,
    d.agreement_id,
    d.hospital_id,
    d.requested_on,
    d.approved_on,
    d.delivered_on,
    d.status,
    d.data_type,
    d.access_mode,
    d.centre_id,
    d.patients,
    d.records,
    a.research_area,
    a.requester_id,
    r.kind as requester_kind,
    r.company_sector as requester_sector,
    h.region_code as hospital_region,
    h.hospital_tier,
    date_diff('day', d.requested_on, d.approved_on)::integer as days_to_approval,
    date_diff('day', d.approved_on, d.delivered_on)::integer as days_approval_to_delivery,
    date_diff('day', d.requested_on, d.delivered_on)::integer as lead_days,
from data_requests as d
join agreements as a on a.agreement_id = d.agreement_id
join institutions as r on r.institution_id = a.requester_id
join institutions as h on h.institution_id = d.hospital_id
order by d.requested_on, d.request_id
