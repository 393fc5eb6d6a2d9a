-- institution_profile: one institution: who it is (names, kind, tier or sector, region, when it joined, infrastructure, safe-centre designation) and its activity in the period as a requester or as a hospital
-- params: $institution_id varchar, $date_from date, $date_to date
-- columns: institution_id varchar, name_ko varchar, name_en varchar, kind varchar, hospital_tier varchar, company_sector varchar, region_code varchar, joined_on date, infrastructure_since bigint, safe_centre_since date, agreements bigint, agreements_to_date bigint, partners bigint, requests bigint, delivered bigint, records bigint, median_lead_days double
with agreements as (
    select a.agreement_id, a.signed_on, a.requester_id, party.hospital_id
    from agreement_facts as a, unnest(a.hospital_ids) as party(hospital_id)
    where a.signed_on <= $date_to
        and (a.requester_id = $institution_id or party.hospital_id = $institution_id)
),

requests as (
    select *
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
    (select count(distinct agreement_id) from agreements where signed_on >= $date_from) as agreements,
    (select count(distinct agreement_id) from agreements) as agreements_to_date,
    -- the other side: hospitals of a requester, requesters of a hospital
    (
        select count(distinct case when requester_id = $institution_id then hospital_id else requester_id end)
        from agreements
    ) as partners,
    (select count(*) from requests where requested_on between $date_from and $date_to) as requests,
    (select count(*) from requests where delivered_on between $date_from and $date_to) as delivered,
    (select sum(records) from requests where delivered_on between $date_from and $date_to)::bigint as records,
    (select median(lead_days) from requests where delivered_on between $date_from and $date_to) as median_lead_days,
from institutions as i
where i.institution_id = $institution_id
