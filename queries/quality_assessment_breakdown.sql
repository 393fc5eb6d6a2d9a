-- quality_assessment_breakdown: one assessment of one hospital, scored overall, per category, per context, per category and context (the Data Quality Dashboard's overview) and per CDM table
-- params: $institution_id varchar, $assessed_on date
-- columns: level varchar, category varchar, context varchar, cdm_table varchar, passed bigint, failed bigint, not_applicable bigint, score double
select
    case
        when grouping(cdm_table) = 0 then 'cdm_table'
        when grouping(category) = 0 and grouping(context) = 0 then 'category_context'
        when grouping(category) = 0 then 'category'
        when grouping(context) = 0 then 'context'
        else 'overall'
    end as level,
    category,
    context,
    cdm_table,
    sum(passed)::bigint as passed,
    sum(failed)::bigint as failed,
    sum(not_applicable)::bigint as not_applicable,
    sum(passed) / nullif(sum(passed) + sum(failed), 0) as score,
from quality_summary
where institution_id = $institution_id
    and assessed_on = $assessed_on
group by grouping sets ((), (category), (context), (category, context), (cdm_table))
order by level, category, context, cdm_table
