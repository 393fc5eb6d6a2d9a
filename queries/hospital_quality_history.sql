-- hospital_quality_history: one hospital's quality score at every assessment up to the period's end, overall and per check category, with the passed, failed and not-applicable counts behind it
-- params: $institution_id varchar, $date_to date
-- columns: assessed_on date, category varchar, passed bigint, failed bigint, not_applicable bigint, score double
with by_category as (
    select
        assessed_on,
        category,
        sum(passed)::bigint as passed,
        sum(failed)::bigint as failed,
        sum(not_applicable)::bigint as not_applicable,
    from quality_summary
    where institution_id = $institution_id
        and assessed_on <= $date_to
    group by all
),

overall as (
    select
        assessed_on,
        'overall' as category,
        sum(passed)::bigint as passed,
        sum(failed)::bigint as failed,
        sum(not_applicable)::bigint as not_applicable,
    from by_category
    group by all
),

scored as (
    select * from overall
    union all
    select * from by_category
)

select *, passed / nullif(passed + failed, 0) as score,
from scored
order by assessed_on, category = 'overall' desc, category
