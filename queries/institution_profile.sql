-- institution_profile: one institution: who it is (names, kind, tier or sector, region, when it joined, infrastructure, safe-centre designation) and its activity in the period as a requester or as a hospital
-- params: $institution_id varchar, $date_from date, $date_to date
-- columns: institution_id varchar, name_ko varchar, name_en varchar, kind varchar, hospital_tier varchar, company_sector varchar, region_code varchar, joined_on date, infrastructure_since bigint, safe_centre_since date, agreements bigint, agreements_to_date bigint, partners bigint, requests bigint, delivered bigint, records bigint, median_lead_days double
with agreements as (
    select
        count(distinct a.agreement_id) filter (where a.signed_on >= $date_from) as agreements,
        count(distinct a.agreement_id) as agreements_to_date,
        -- the other side: hospitals of a requester, requesters of a hospital
        count(distinct case when a.requester_id = $institution_id then ah.hospital_id else a.requester_id end) as partners,
    from agreement_facts as a
    join agreement_hospitals as ah using (agreement_id)
    where a.signed_on <= $date_to
        and (a.requester_id = $institution_id or ah.hospital_id = $institution_id)
),

-- a hospital's requests are those it received, a requester's those it made
requests as (
    select
        count(*) filter (where requested_on between $date_from and $date_to) as requests,
        count(*) filter (where delivered_on between $date_from and $date_to) as delivered,
        sum(records) filter (where delivered_on between $date_from and $date_to)::bigint as records,
        median(lead_days) filter (where delivered_on between $date_from and $date_to) as median_lead_days,
    from request_facts
    where requester_id = $institution_id or hospital_id = $institution_id
)

select
    i.institution_id,
    i.name_ko,
    i.name_en,
    i.kind,
    i.hospital_tier,
    i.company_sector,
    i.region_code,
    i.joined_on,
    i.infrastructure_since,
    i.safe_centre_since,
    a.agreements,
    a.agreements_to_date,
    a.partners,
    r.requests,
    r.delivered,
    r.records,
    r.median_lead_days,
from institutions as i
cross join agreements as a
cross join requests as r
where i.institution_id = $institution_id
