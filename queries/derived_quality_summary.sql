-- derived_quality_summary: passed, failed, not-applicable and errored checks per hospital, assessment, category, context and CDM table (built at load time into quality_summary, so pages never scan the raw checks)
-- params:
-- columns: institution_id varchar, assessed_on date, category varchar, context varchar, cdm_table varchar, passed bigint, failed bigint, not_applicable bigint, errored bigint
with judged as (
    select
        institution_id,
        assessed_on,
        category,
        context,
        cdm_table,
        -- A verdict given with the check (DQD's own) is kept as given; without one, a check
        -- fails where 100 x violated / denominator exceeds its threshold and an empty
        -- denominator violates nothing. An errored check counts as failed, as in DQD's overview.
        case
            when status is not null then status = 'not_applicable'
            else coalesce(not_applicable, false)
        end as is_not_applicable,
        case
            when status is not null then status in ('failed', 'error')
            when denominator_rows = 0 then false
            else 100.0 * violated_rows / denominator_rows > threshold_pct
        end as is_failed,
        coalesce(status = 'error', false) as is_error,
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
    count(*) filter (where is_error) as errored,
from judged
group by all
order by institution_id, assessed_on, category, context, cdm_table
