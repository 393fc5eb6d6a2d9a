-- consultation_lead_time_comparison: requests delivered in the period, split by whether their requester had had a consultation (on the chosen topics) by the request date, had one only later, or never had one: counts, requesters, median and 90th-percentile lead times per stage
-- params: $date_from date, $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[], $areas varchar[], $topics varchar[]
-- columns: consulted varchar, step integer, requests bigint, requesters bigint, median_total_days double, p90_total_days double, median_days_to_approval double, median_days_to_delivery double
with first_consultation as (
    select institution_id, min(held_on) as first_consulted_on
    from consultations
    where len($topics) = 0 or list_contains($topics, topic)
    group by institution_id
),

delivered as (
    select
        f.requester_id,
        f.lead_days,
        f.days_to_approval,
        f.days_approval_to_delivery,
        case
            when fc.first_consulted_on is null then 'never'
            when f.requested_on >= fc.first_consulted_on then 'after'
            else 'before'
        end as consulted,
    from scoped_requests($regions, $kinds, $sectors, $areas) as f
    left join first_consultation as fc on fc.institution_id = f.requester_id
    where f.delivered_on between $date_from and $date_to
),

groups (consulted, step) as (
    values ('after', 1), ('before', 2), ('never', 3)
)

select
    g.consulted,
    g.step,
    count(d.lead_days) as requests,
    count(distinct d.requester_id) as requesters,
    median(d.lead_days) as median_total_days,
    quantile_cont(d.lead_days, 0.9) as p90_total_days,
    median(d.days_to_approval) as median_days_to_approval,
    median(d.days_approval_to_delivery) as median_days_to_delivery,
from groups as g
left join delivered as d on d.consulted = g.consulted
group by g.consulted, g.step
order by g.step
