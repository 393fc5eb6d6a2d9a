-- agreement_requests: the data requests under one agreement, newest first, with their stage dates and lead times
-- params: $agreement_id varchar
-- columns: request_id varchar, hospital_id varchar, hospital_ko varchar, hospital_en varchar, status varchar, data_type varchar, access_mode varchar, requested_on date, approved_on date, delivered_on date, days_to_approval integer, days_approval_to_delivery integer, lead_days integer, patients bigint, records bigint
select
    f.request_id,
    f.hospital_id,
    h.name_ko as hospital_ko,
    h.name_en as hospital_en,
    f.status,
    f.data_type,
    f.access_mode,
    f.requested_on,
    f.approved_on,
    f.delivered_on,
    f.days_to_approval,
    f.days_approval_to_delivery,
    f.lead_days,
    f.patients,
    f.records,
from request_facts as f
join institutions as h on h.institution_id = f.hospital_id
where f.agreement_id = $agreement_id
order by f.requested_on desc, f.request_id
