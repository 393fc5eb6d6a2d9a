-- consultation_satisfaction: satisfaction responses in the period by topic and score (1 to 5, every combination, with zeros)
-- params: $date_from date, $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[]
-- columns: topic varchar, score integer, responses bigint
with rated as (
    select k.topic, k.satisfaction
    from consultations as k
    join scoped_institutions($regions, $kinds, $sectors) as i on i.institution_id = k.institution_id
    where k.held_on between $date_from and $date_to
        and k.satisfaction is not null
),

topics as (select topic, topic_order from consultation_topics()),

scores as (select unnest(range(1, 6))::integer as score)

select
    t.topic,
    s.score,
    count(r.satisfaction) as responses,
from topics as t
cross join scores as s
left join rated as r on r.topic = t.topic and r.satisfaction = s.score
group by t.topic, t.topic_order, s.score
order by t.topic_order, s.score
