-- quality_hospital_history: every assessment of one hospital up to the end of the period, scored overall, per category and per context
-- params: $institution_id varchar, $date_to date
-- columns: assessed_on date, dimension varchar, dimension_value varchar, passed bigint, failed bigint, not_applicable bigint, score double
select
    assessed_on,
    dimension,
    dimension_value,
    passed,
    failed,
    not_applicable,
    score,
from quality_scores
where institution_id = $institution_id
    and assessed_on <= $date_to
order by assessed_on, dimension, dimension_value
