-- quality_quarter_scores: each hospital's latest assessment in each quarter up to the end of the period, beside its latest assessment in the quarter before (to count hospitals that improved or regressed)
-- params: $date_to date, $regions varchar[]
-- columns: quarter date, institution_id varchar, name_ko varchar, name_en varchar, region_code varchar, assessed_on date, passed bigint, failed bigint, score double, previous_assessed_on date, previous_score double
with in_quarter as (
    select
        s.institution_id,
        date_trunc('quarter', s.assessed_on)::date as quarter,
        s.assessed_on,
        s.passed,
        s.failed,
        s.score,
        row_number() over (
            partition by s.institution_id, date_trunc('quarter', s.assessed_on)
            order by s.assessed_on desc
        ) as recency,
    from scoped_quality_scores($regions) as s
    where s.dimension = 'overall'
        and s.assessed_on <= $date_to
),

latest as (
    select * from in_quarter where recency = 1
)

select
    c.quarter,
    h.institution_id,
    h.name_ko,
    h.name_en,
    h.region_code,
    c.assessed_on,
    c.passed,
    c.failed,
    c.score,
    p.assessed_on as previous_assessed_on,
    p.score as previous_score,
from latest as c
join institutions as h on h.institution_id = c.institution_id
left join latest as p
    on p.institution_id = c.institution_id
    and p.quarter = (c.quarter - interval 3 month)::date
order by c.quarter, h.institution_id
