-- hospital_league: every hospital in the programme at the period's end in the chosen regions, with its agreements signed and requests received in the period, deliveries and their median lead time, its latest quality score up to the period's end with the counts behind it, infrastructure year, region and tier
-- params: $date_from date, $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[], $areas varchar[]
-- columns: institution_id varchar, name_ko varchar, name_en varchar, region_code varchar, hospital_tier varchar, infrastructure_since bigint, safe_centre_since date, agreements bigint, requests bigint, delivered bigint, median_lead_days double, records bigint, assessed_on date, passed bigint, failed bigint, score double
with hospitals as (
    select *
    from scoped_hospitals($regions)
    where joined_on <= $date_to
),

-- Every part reads its scope with the same filters: the region is the hospital's own throughout,
-- kinds and sectors the requester's (queries/macros/scopes.sql).
agreements as (
    select ah.hospital_id as institution_id, count(*) as agreements
    from scoped_agreements($regions, $kinds, $sectors, $areas) as a
    join agreement_hospitals as ah using (agreement_id)
    where a.signed_on between $date_from and $date_to
    group by all
),

requests as (
    select
        hospital_id as institution_id,
        count(*) filter (where requested_on between $date_from and $date_to) as requests,
        count(*) filter (where delivered_on between $date_from and $date_to) as delivered,
        median(lead_days) filter (where delivered_on between $date_from and $date_to) as median_lead_days,
        sum(records) filter (where delivered_on between $date_from and $date_to)::bigint as records,
    from scoped_requests($regions, $kinds, $sectors, $areas)
    where requested_on between $date_from and $date_to or delivered_on between $date_from and $date_to
    group by all
),

latest_assessment as (
    select institution_id, max(assessed_on) as assessed_on
    from scoped_quality_summary($regions)
    where assessed_on <= $date_to
    group by all
),

quality as (
    select
        q.institution_id,
        q.assessed_on,
        sum(q.passed)::bigint as passed,
        sum(q.failed)::bigint as failed,
    from quality_summary as q
    join latest_assessment using (institution_id, assessed_on)
    group by all
)

select
    h.institution_id,
    h.name_ko,
    h.name_en,
    h.region_code,
    h.hospital_tier,
    h.infrastructure_since,
    h.safe_centre_since,
    coalesce(a.agreements, 0) as agreements,
    coalesce(r.requests, 0) as requests,
    coalesce(r.delivered, 0) as delivered,
    r.median_lead_days,
    coalesce(r.records, 0) as records,
    q.assessed_on,
    q.passed,
    q.failed,
    q.passed / nullif(q.passed + q.failed, 0) as score,
from hospitals as h
left join agreements as a using (institution_id)
left join requests as r using (institution_id)
left join quality as q using (institution_id)
order by agreements desc, requests desc, h.institution_id
