-- agreement_parties: the hospitals party to one agreement, with the requests each received under it, how many were delivered and their median lead time
-- params: $agreement_id varchar
-- columns: hospital_id varchar, name_ko varchar, name_en varchar, region_code varchar, hospital_tier varchar, requests bigint, delivered bigint, median_lead_days double
select
    h.institution_id as hospital_id,
    h.name_ko,
    h.name_en,
    h.region_code,
    h.hospital_tier,
    count(f.request_id) as requests,
    count(f.request_id) filter (where f.status = 'delivered') as delivered,
    median(f.lead_days) as median_lead_days,
from agreement_hospitals as ah
join institutions as h on h.institution_id = ah.hospital_id
left join request_facts as f on f.agreement_id = ah.agreement_id and f.hospital_id = ah.hospital_id
where ah.agreement_id = $agreement_id
group by all
order by requests desc, h.institution_id
