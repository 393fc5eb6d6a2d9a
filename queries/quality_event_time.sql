-- quality_event_time: each funded hospital's pooled quality score in each year relative to its infrastructure year (event time: assessment year minus infrastructure year), from its assessments up to the end of the period
-- params: $date_to date, $regions varchar[]
-- columns: institution_id varchar, infrastructure_since bigint, event_year integer, assessments bigint, passed bigint, failed bigint, score double
select
    s.institution_id,
    h.infrastructure_since,
    (year(s.assessed_on) - h.infrastructure_since)::integer as event_year,
    count(*) as assessments,
    sum(s.passed)::bigint as passed,
    sum(s.failed)::bigint as failed,
    sum(s.passed) / nullif(sum(s.passed) + sum(s.failed), 0) as score,
from scoped_quality_scores($regions) as s
join institutions as h on h.institution_id = s.institution_id
where s.dimension = 'overall'
    and s.assessed_on <= $date_to
    and h.infrastructure_since is not null
group by s.institution_id, h.infrastructure_since, event_year
order by s.institution_id, event_year
