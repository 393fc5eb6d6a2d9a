-- consultation_by_month: consultations and hours of advice in each month of the period by topic (every month and topic, with zeros)
-- params: $date_from date, $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[], $topics varchar[]
-- columns: month date, topic varchar, consultations bigint, hours double
with months as (select month from months_between($date_from, $date_to)),

topics as (select topic, topic_order from consultation_topics()),

held as (
    select
        date_trunc('month', k.held_on)::date as month,
        k.topic,
        count(*) as consultations,
        sum(k.hours) as hours,
    from scoped_consultations($regions, $kinds, $sectors) as k
    where k.held_on between $date_from and $date_to
        and (len($topics) = 0 or list_contains($topics, k.topic))
    group by all
)

select
    m.month,
    t.topic,
    coalesce(h.consultations, 0) as consultations,
    coalesce(h.hours, 0)::double as hours,
from months as m
cross join topics as t
left join held as h on h.month = m.month and h.topic = t.topic
where len($topics) = 0 or list_contains($topics, t.topic)
order by m.month, t.topic_order
