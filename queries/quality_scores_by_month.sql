-- quality_scores_by_month: at each month's end, the spread of hospitals' standing scores (each hospital's latest assessment up to then) and the pooled network score, from the first assessment up to the end of the period
-- params: $date_to date, $regions varchar[]
-- columns: month date, hospitals bigint, p10 double, p25 double, median double, p75 double, p90 double, passed bigint, failed bigint, network_score double
with scores as (
    select s.institution_id, s.assessed_on, s.passed, s.failed, s.score,
    from scoped_quality_scores($regions) as s
    where s.dimension = 'overall'
        and s.assessed_on <= $date_to
),

months as (select month from months_between((select min(assessed_on) from scores), $date_to)),

hospital_months as (
    select m.month, last_day(m.month) as month_end, h.institution_id,
    from months as m
    cross join (select distinct institution_id from scores) as h
),

-- A hospital stands at its latest assessment up to the month's end (none yet: not counted).
standing as (
    select hm.month, s.passed, s.failed, s.score,
    from hospital_months as hm
    asof join scores as s
        on s.institution_id = hm.institution_id
        and s.assessed_on <= hm.month_end
)

select
    month,
    count(score) as hospitals,
    quantile_cont(score, 0.10) as p10,
    quantile_cont(score, 0.25) as p25,
    median(score) as median,
    quantile_cont(score, 0.75) as p75,
    quantile_cont(score, 0.90) as p90,
    sum(passed)::bigint as passed,
    sum(failed)::bigint as failed,
    sum(passed) / nullif(sum(passed) + sum(failed), 0) as network_score,
from standing
group by month
order by month
