-- quality_check_changes: the checks of one hospital that failed in an assessment or in the one before it, each new (failed now, not before), resolved (failed before, not now) or persisting (failed in both), with violation rates against thresholds
-- params: $institution_id varchar, $assessed_on date, $previous_assessed_on date
-- columns: check_id varchar, category varchar, context varchar, cdm_table varchar, change varchar, status varchar, previous_status varchar, violated_rows bigint, denominator_rows bigint, threshold_pct double, violation_pct double, previous_violation_pct double, message varchar
-- The raw checks of two assessments of one hospital: quality_checks is stored hospital by
-- hospital, so zone maps skip all but a few row groups even at tens of millions of rows.
with judged as (
    select
        assessed_on,
        check_id,
        category,
        context,
        cdm_table,
        violated_rows,
        denominator_rows,
        threshold_pct,
        case when denominator_rows > 0 then 100.0 * violated_rows / denominator_rows end as violation_pct,
        -- As in derived_quality_summary: a verdict given with the check is kept (an errored
        -- check counts as failing); otherwise it fails where the violation rate exceeds the
        -- threshold, an empty denominator violates nothing, not-applicable is neither.
        case
            when status is not null then status
            when coalesce(not_applicable, false) then 'not_applicable'
            when denominator_rows > 0 and 100.0 * violated_rows / denominator_rows > threshold_pct then 'failed'
            else 'passed'
        end as status,
        message,
    from quality_checks
    where institution_id = $institution_id
        and assessed_on in ($assessed_on, $previous_assessed_on)
),

now as (select * from judged where assessed_on = $assessed_on),

before as (select * from judged where assessed_on = $previous_assessed_on)

select
    coalesce(n.check_id, b.check_id) as check_id,
    coalesce(n.category, b.category) as category,
    coalesce(n.context, b.context) as context,
    coalesce(n.cdm_table, b.cdm_table) as cdm_table,
    case
        when n.status in ('failed', 'error') and b.status in ('failed', 'error') then 'persisting'
        when n.status in ('failed', 'error') then 'new'
        else 'resolved'
    end as change,
    n.status,
    b.status as previous_status,
    n.violated_rows,
    n.denominator_rows,
    coalesce(n.threshold_pct, b.threshold_pct) as threshold_pct,
    n.violation_pct,
    b.violation_pct as previous_violation_pct,
    coalesce(n.message, b.message) as message,
from now as n
full join before as b on b.check_id = n.check_id
where n.status in ('failed', 'error') or b.status in ('failed', 'error')
order by change, category, check_id
