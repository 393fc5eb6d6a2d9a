-- consultation_by_topic: consultations and hours of advice in the period by topic (every topic, with zeros), with the satisfaction responses and mean score
-- params: $date_from date, $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[]
-- columns: topic varchar, consultations bigint, hours double, rated bigint, mean_satisfaction double
with held as (
    select k.topic, k.hours, k.satisfaction
    from consultations as k
    join scoped_institutions($regions, $kinds, $sectors) as i on i.institution_id = k.institution_id
    where k.held_on between $date_from and $date_to
),

topics as (select topic, topic_order from consultation_topics())

select
    t.topic,
    count(h.topic) as consultations,
    coalesce(sum(h.hours), 0)::double as hours,
    count(h.satisfaction) as rated,
    avg(h.satisfaction) as mean_satisfaction,
from topics as t
left join held as h on h.topic = t.topic
group by t.topic, t.topic_order
order by t.topic_order
