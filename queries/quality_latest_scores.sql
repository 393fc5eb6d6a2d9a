-- quality_latest_scores: each hospital's latest assessment up to the end of the period, scored overall, per category and per context, beside the score of the assessment before it
-- params: $date_to date, $regions varchar[]
-- columns: institution_id varchar, name_ko varchar, name_en varchar, region_code varchar, hospital_tier varchar, infrastructure_since bigint, assessments bigint, assessed_on date, previous_assessed_on date, dimension varchar, dimension_value varchar, passed bigint, failed bigint, not_applicable bigint, score double, previous_score double
with assessments as (
    select
        s.institution_id,
        s.assessed_on,
        row_number() over by_recency as recency,
        lead(s.assessed_on) over by_recency as previous_assessed_on,
        count(*) over (partition by s.institution_id) as assessments,
    from scoped_quality_scores($regions) as s
    where s.dimension = 'overall'
        and s.assessed_on <= $date_to
    window by_recency as (partition by s.institution_id order by s.assessed_on desc)
),

latest as (
    select * from assessments where recency = 1
)

select
    h.institution_id,
    h.name_ko,
    h.name_en,
    h.region_code,
    h.hospital_tier,
    h.infrastructure_since,
    l.assessments,
    l.assessed_on,
    l.previous_assessed_on,
    s.dimension,
    s.dimension_value,
    s.passed,
    s.failed,
    s.not_applicable,
    s.score,
    p.score as previous_score,
from latest as l
join institutions as h on h.institution_id = l.institution_id
join quality_scores as s
    on s.institution_id = l.institution_id
    and s.assessed_on = l.assessed_on
left join quality_scores as p
    on p.institution_id = l.institution_id
    and p.assessed_on = l.previous_assessed_on
    and p.dimension = s.dimension
    and p.dimension_value = s.dimension_value
order by h.institution_id, s.dimension, s.dimension_value
