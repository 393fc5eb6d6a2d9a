-- consultation_kpis: expert consulting in one period: consultations held, hours of advice, satisfaction (responses, mean score, share scoring 4 or 5) and the institutions advised
-- params: $date_from date, $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[], $topics varchar[]
-- columns: consultations bigint, hours double, rated bigint, mean_satisfaction double, satisfied bigint, satisfied_share double, institutions bigint
select
    count(*) as consultations,
    coalesce(sum(k.hours), 0)::double as hours,
    count(k.satisfaction) as rated,
    avg(k.satisfaction) as mean_satisfaction,
    count(*) filter (where k.satisfaction >= 4) as satisfied,
    count(*) filter (where k.satisfaction >= 4) / nullif(count(k.satisfaction), 0) as satisfied_share,
    count(distinct k.institution_id) as institutions,
from scoped_consultations($regions, $kinds, $sectors) as k
where k.held_on between $date_from and $date_to
    and (len($topics) = 0 or list_contains($topics, k.topic))
