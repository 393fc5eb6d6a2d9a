-- derived_quality_summary: passed, failed and not-applicable checks per hospital, assessment, category, context and CDM table (built at load time into quality_summary, so pages never scan the raw checks)
-- params:
-- columns: institution_id varchar, assessed_on date, category varchar, context varchar, cdm_table varchar, passed bigint, failed bigint, not_applicable bigint
with judged as (
    select
        institution_id,
        assessed_on,
        category,
        context,
        cdm_table,
        coalesce(not_applicable, false) as is_not_applicable,
        -- A check fails where 100 x violated / denominator exceeds its threshold; an empty
        -- denominator violates nothing.
        case
            when denominator_rows = 0 then false
            else 100.0 * violated_rows / denominator_rows > threshold_pct
        end as is_failed,
    from quality_checks
)

select
    institution_id,
    assessed_on,
    category,
    context,
    cdm_table,
    count(*) filter (where not is_not_applicable and not is_failed) as passed,
    count(*) filter (where not is_not_applicable and is_failed) as failed,
    count(*) filter (where is_not_applicable) as not_applicable,
from judged
group by all
order by institution_id, assessed_on, category, context, cdm_table
