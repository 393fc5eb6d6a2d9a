-- region_figures: each region's institutions and hospitals in the programme at the period's end, agreements signed and requests and records delivered within it, and its hospitals' pooled quality score; with the capital area, the other regions and all regions as totals
-- params: $date_from date, $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[], $areas varchar[], $capital_area varchar[]
-- columns: scope varchar, region_code varchar, institutions bigint, hospitals bigint, agreements bigint, requests_delivered bigint, records_delivered bigint, quality_passed bigint, quality_failed bigint, quality_score double
with institutions_in_scope as (
    select institution_id, region_code
    from scoped_institutions($regions, $kinds, $sectors)
    where joined_on <= $date_to
),

hospitals_in_scope as (
    select institution_id, region_code
    from scoped_hospitals($regions)
    where joined_on <= $date_to
),

-- An agreement counts in each chosen region where one of its hospitals is, once per region; the
-- totals count it once.
agreement_regions as (
    select distinct a.agreement_id, h.region_code
    from scoped_agreements($regions, $kinds, $sectors, $areas) as a
    join agreement_hospitals as ah using (agreement_id)
    join scoped_hospitals($regions) as h on h.institution_id = ah.hospital_id
    where a.signed_on between $date_from and $date_to
),

delivered as (
    select request_id, hospital_region as region_code, coalesce(records, 0) as records
    from scoped_requests($regions, $kinds, $sectors, $areas)
    where delivered_on between $date_from and $date_to
),

-- Quality: each hospital's latest assessment up to the end of the period.
latest_assessment as (
    select q.institution_id, h.region_code, max(q.assessed_on) as assessed_on
    from scoped_quality_summary($regions) as q
    join institutions as h on h.institution_id = q.institution_id
    where q.assessed_on <= $date_to
    group by q.institution_id, h.region_code
),

quality as (
    select l.institution_id, l.region_code, sum(q.passed) as passed, sum(q.failed) as failed
    from quality_summary as q
    join latest_assessment as l using (institution_id, assessed_on)
    group by l.institution_id, l.region_code
),

units as (
    select region_code, 'institution' as unit, institution_id as id, 0 as records, 0 as passed, 0 as failed
    from institutions_in_scope
    union all
    select region_code, 'hospital', institution_id, 0, 0, 0 from hospitals_in_scope
    union all
    select region_code, 'agreement', agreement_id, 0, 0, 0 from agreement_regions
    union all
    select region_code, 'request', request_id, records, 0, 0 from delivered
    union all
    select region_code, 'quality', institution_id, 0, passed, failed from quality
),

placed as (
    select *, list_contains($capital_area, region_code) as in_capital
    from units
)

select
    case
        when grouping(region_code) = 0 then 'region'
        when grouping(in_capital) = 0 then if(in_capital, 'capital', 'other')
        else 'all'
    end as scope,
    region_code,
    count(*) filter (where unit = 'institution') as institutions,
    count(*) filter (where unit = 'hospital') as hospitals,
    count(distinct id) filter (where unit = 'agreement') as agreements,
    count(*) filter (where unit = 'request') as requests_delivered,
    sum(records)::bigint as records_delivered,
    sum(passed)::bigint as quality_passed,
    sum(failed)::bigint as quality_failed,
    sum(passed) / nullif(sum(passed) + sum(failed), 0) as quality_score,
from placed
group by grouping sets ((region_code, in_capital), (in_capital), ())
order by scope, region_code
