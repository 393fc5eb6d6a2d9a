-- institutions_by_month: institutions joining the programme each month and the running total, by kind, from the first joining up to the end of the period
-- params: $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[]
-- columns: month date, kind varchar, joined bigint, cumulative bigint
with in_scope as (
    select kind, date_trunc('month', joined_on)::date as month
    from scoped_institutions($regions, $kinds, $sectors)
    where joined_on <= $date_to
),

months as (select month from months_between((select min(month) from in_scope), $date_to)),

kinds as (select distinct kind from in_scope),

joined as (select month, kind, count(*) as joined from in_scope group by all)

select
    m.month,
    k.kind,
    coalesce(j.joined, 0) as joined,
    sum(coalesce(j.joined, 0)) over (partition by k.kind order by m.month)::bigint as cumulative,
from months as m
cross join kinds as k
left join joined as j on j.month = m.month and j.kind = k.kind
order by m.month, k.kind
