-- quality_alerts: hospitals whose latest quality score up to the end of the period is below a threshold, with the score of the assessment before it
-- params: $date_to date, $regions varchar[], $threshold double
-- columns: institution_id varchar, name_ko varchar, name_en varchar, region_code varchar, assessed_on date, passed bigint, failed bigint, score double, previous_score double
with scores as (
    select
        institution_id,
        assessed_on,
        sum(passed)::bigint as passed,
        sum(failed)::bigint as failed,
        sum(passed) / nullif(sum(passed) + sum(failed), 0) as score,
    from scoped_quality_summary($regions)
    where assessed_on <= $date_to
    group by institution_id, assessed_on
),

ranked as (
    select
        *,
        lead(score) over (partition by institution_id order by assessed_on desc) as previous_score,
        row_number() over (partition by institution_id order by assessed_on desc) as recency,
    from scores
)

select
    h.institution_id,
    h.name_ko,
    h.name_en,
    h.region_code,
    r.assessed_on,
    r.passed,
    r.failed,
    r.score,
    r.previous_score,
from ranked as r
join institutions as h on h.institution_id = r.institution_id
where r.recency = 1
    and r.score < $threshold
order by r.score, h.institution_id
