-- overview_kpis: the headline figures of one period: institutions in the programme at its end, hospitals with agreements, agreements signed, requests delivered, their median lead time and the network quality score
-- params: $date_from date, $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[], $areas varchar[]
-- columns: institutions bigint, hospitals_with_agreements bigint, agreements_signed bigint, requests_delivered bigint, median_lead_days double, quality_passed bigint, quality_failed bigint, quality_score double
with agreements_in_scope as (
    select *
    from scoped_agreements($regions, $kinds, $sectors, $areas)
    where signed_on <= $date_to
),

requests_delivered as (
    select lead_days
    from scoped_requests($regions, $kinds, $sectors, $areas)
    where delivered_on between $date_from and $date_to
),

-- A plain unnest, not a lateral join: DuckDB runs the lateral form as a slow correlated join.
parties as (
    select distinct unnest(hospital_ids) as hospital_id
    from agreements_in_scope
),

hospitals_in_agreements as (
    select p.hospital_id
    from parties as p
    join scoped_hospitals($regions) as h on h.institution_id = p.hospital_id
),

-- Quality: each hospital's latest assessment up to the end of the period. Kind and sector
-- filters describe requesters, so only the region filter applies to hospitals' data quality.
latest_assessment as (
    select q.institution_id, max(q.assessed_on) as assessed_on
    from scoped_quality_summary($regions) as q
    where q.assessed_on <= $date_to
    group by q.institution_id
),

quality as (
    select sum(q.passed)::bigint as passed, sum(q.failed)::bigint as failed
    from quality_summary as q
    join latest_assessment as l using (institution_id, assessed_on)
)

select
    (
        select count(*)
        from scoped_institutions($regions, $kinds, $sectors)
        where joined_on <= $date_to
    ) as institutions,
    (select count(*) from hospitals_in_agreements) as hospitals_with_agreements,
    (select count(*) from agreements_in_scope where signed_on >= $date_from) as agreements_signed,
    (select count(*) from requests_delivered) as requests_delivered,
    (select median(lead_days) from requests_delivered) as median_lead_days,
    quality.passed as quality_passed,
    quality.failed as quality_failed,
    quality.passed / nullif(quality.passed + quality.failed, 0) as quality_score,
from quality
