-- district_figures: the districts of one region: institutions and hospitals in the programme at the period's end, agreements signed and requests and records delivered within it, and the pooled quality score, by the district that holds each institution's coordinates (null: no coordinates, or a point outside the region)
-- params: $region_code varchar, $date_from date, $date_to date, $kinds varchar[], $sectors varchar[], $areas varchar[]
-- columns: district_code varchar, institutions bigint, hospitals bigint, agreements bigint, requests_delivered bigint, records_delivered bigint, quality_passed bigint, quality_failed bigint, quality_score double
-- The region is the one drilled into ($region_code), given to the scopes as their only region;
-- kinds, sectors and areas narrow them as everywhere (hospitals and their quality count whatever
-- the kinds and sectors, which describe requesters).
with located as (
    -- The district counts only where the point lies in the institution's own region.
    select
        i.institution_id,
        i.kind,
        i.company_sector,
        i.joined_on,
        case when d.point_region = i.region_code then d.district_code end as district_code,
    from institutions as i
    left join institution_districts as d on d.institution_id = i.institution_id
    where i.region_code = $region_code
),

agreement_districts as (
    select distinct a.agreement_id, h.district_code
    from scoped_agreements([$region_code], $kinds, $sectors, $areas) as a, unnest(a.hospital_ids) as party(hospital_id)
    join located as h on h.institution_id = party.hospital_id
    where a.signed_on between $date_from and $date_to
),

delivered as (
    select f.request_id, h.district_code, coalesce(f.records, 0) as records
    from scoped_requests([$region_code], $kinds, $sectors, $areas) as f
    join located as h on h.institution_id = f.hospital_id
    where f.delivered_on between $date_from and $date_to
),

latest_assessment as (
    select q.institution_id, max(q.assessed_on) as assessed_on
    from quality_summary as q
    join located as h on h.institution_id = q.institution_id
    where q.assessed_on <= $date_to
    group by q.institution_id
),

quality as (
    select h.district_code, q.institution_id, sum(q.passed) as passed, sum(q.failed) as failed
    from quality_summary as q
    join latest_assessment as l using (institution_id, assessed_on)
    join located as h on h.institution_id = q.institution_id
    group by all
),

units as (
    select district_code, 'institution' as unit, institution_id as id, 0 as records, 0 as passed, 0 as failed
    from located
    semi join scoped_institutions([$region_code], $kinds, $sectors) using (institution_id)
    where joined_on <= $date_to
    union all
    select district_code, 'hospital', institution_id, 0, 0, 0
    from located
    where kind = 'hospital' and joined_on <= $date_to
    union all
    select district_code, 'agreement', agreement_id, 0, 0, 0 from agreement_districts
    union all
    select district_code, 'request', request_id, records, 0, 0 from delivered
    union all
    select district_code, 'quality', institution_id, 0, passed, failed from quality
)

select
    district_code,
    count(*) filter (where unit = 'institution') as institutions,
    count(*) filter (where unit = 'hospital') as hospitals,
    count(distinct id) filter (where unit = 'agreement') as agreements,
    count(*) filter (where unit = 'request') as requests_delivered,
    sum(records)::bigint as records_delivered,
    sum(passed)::bigint as quality_passed,
    sum(failed)::bigint as quality_failed,
    sum(passed) / nullif(sum(passed) + sum(failed), 0) as quality_score,
from units
group by district_code
order by district_code nulls last
