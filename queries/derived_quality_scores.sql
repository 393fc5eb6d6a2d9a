-- derived_quality_scores: the score of every hospital's assessment, overall, per category and per context, with its passed, failed and not-applicable checks (built at load time into quality_scores from quality_summary, so trends and network views read one small table)
-- params:
-- columns: institution_id varchar, assessed_on date, dimension varchar, dimension_value varchar, passed bigint, failed bigint, not_applicable bigint, score double
select
    institution_id,
    assessed_on,
    case
        when grouping(category) = 0 then 'category'
        when grouping(context) = 0 then 'context'
        else 'overall'
    end as dimension,
    coalesce(category, context, 'overall') as dimension_value,
    sum(passed)::bigint as passed,
    sum(failed)::bigint as failed,
    sum(not_applicable)::bigint as not_applicable,
    -- Not-applicable checks count neither way; an assessment with no applicable check has no score.
    sum(passed) / nullif(sum(passed) + sum(failed), 0) as score,
from quality_summary
group by grouping sets (
    (institution_id, assessed_on),
    (institution_id, assessed_on, category),
    (institution_id, assessed_on, context)
)
order by institution_id, assessed_on, dimension, dimension_value
