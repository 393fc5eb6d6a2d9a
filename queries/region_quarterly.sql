-- region_quarterly: each region's figures by quarter, from the quarter of the first joining to the period's end: institutions and hospitals in the programme at the quarter's end, agreements signed and requests and records delivered within the quarter, and the pooled quality score of each hospital's latest assessment by the quarter's end
-- params: $date_to date, $kinds varchar[], $sectors varchar[], $areas varchar[]
-- columns: quarter date, quarter_end date, region_code varchar, institutions bigint, hospitals bigint, agreements bigint, requests_delivered bigint, records_delivered bigint, quality_passed bigint, quality_failed bigint
-- Every region is shown, so the region filter does not apply: the scopes get [] for regions, while
-- kinds, sectors and areas narrow them as everywhere (hospitals count whatever the kinds and sectors).
with quarter_starts as (
    select unnest(generate_series(
        (select date_trunc('quarter', min(joined_on)) from institutions where joined_on <= $date_to),
        date_trunc('quarter', $date_to::date),
        interval 3 month
    ))::date as quarter
),

-- The last quarter ends at the end of the period.
quarters as (
    select quarter, least(quarter + interval 3 month - interval 1 day, $date_to::date)::date as quarter_end
    from quarter_starts
),

regions as (select distinct region_code from institutions),

joined as (
    select region_code, date_trunc('quarter', joined_on)::date as quarter, count(*) as institutions
    from scoped_institutions([], $kinds, $sectors)
    where joined_on <= $date_to
    group by all
),

hospitals_joined as (
    select region_code, date_trunc('quarter', joined_on)::date as quarter, count(*) as hospitals
    from scoped_hospitals([])
    where joined_on <= $date_to
    group by all
),

agreements as (
    select party.region_code, date_trunc('quarter', a.signed_on)::date as quarter, count(distinct a.agreement_id) as agreements
    from scoped_agreements([], $kinds, $sectors, $areas) as a, unnest(a.hospital_regions) as party(region_code)
    where a.signed_on <= $date_to
    group by all
),

delivered as (
    select
        hospital_region as region_code,
        date_trunc('quarter', delivered_on)::date as quarter,
        count(*) as requests_delivered,
        sum(coalesce(records, 0)) as records_delivered,
    from scoped_requests([], $kinds, $sectors, $areas)
    where delivered_on <= $date_to
    group by all
),

assessments as (
    select q.institution_id, h.region_code, q.assessed_on, sum(q.passed) as passed, sum(q.failed) as failed
    from quality_summary as q
    join institutions as h on h.institution_id = q.institution_id
    where q.assessed_on <= $date_to
    group by all
),

-- Each hospital's latest assessment by each quarter's end, pooled by region.
quality as (
    select quarter, region_code, sum(passed) as passed, sum(failed) as failed
    from (
        select
            g.quarter,
            s.region_code,
            s.institution_id,
            arg_max(s.passed, s.assessed_on) as passed,
            arg_max(s.failed, s.assessed_on) as failed,
        from quarters as g
        join assessments as s on s.assessed_on <= g.quarter_end
        group by all
    )
    group by all
)

select
    g.quarter,
    g.quarter_end,
    r.region_code,
    sum(coalesce(j.institutions, 0)) over running::bigint as institutions,
    sum(coalesce(hj.hospitals, 0)) over running::bigint as hospitals,
    coalesce(a.agreements, 0) as agreements,
    coalesce(d.requests_delivered, 0) as requests_delivered,
    coalesce(d.records_delivered, 0)::bigint as records_delivered,
    coalesce(q.passed, 0)::bigint as quality_passed,
    coalesce(q.failed, 0)::bigint as quality_failed,
from quarters as g
cross join regions as r
left join joined as j on j.quarter = g.quarter and j.region_code = r.region_code
left join hospitals_joined as hj on hj.quarter = g.quarter and hj.region_code = r.region_code
left join agreements as a on a.quarter = g.quarter and a.region_code = r.region_code
left join delivered as d on d.quarter = g.quarter and d.region_code = r.region_code
left join quality as q on q.quarter = g.quarter and q.region_code = r.region_code
window running as (partition by r.region_code order by g.quarter)
order by g.quarter, r.region_code
