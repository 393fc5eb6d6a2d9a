-- agreements_by_month: agreements signed each month and the running total, by requester kind, from the first signing up to the end of the period
-- params: $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[], $areas varchar[]
-- columns: month date, requester_kind varchar, signed bigint, cumulative bigint
with in_scope as (
    select requester_kind, date_trunc('month', signed_on)::date as month
    from scoped_agreements($regions, $kinds, $sectors, $areas)
    where signed_on <= $date_to
),

months as (select month from months_between((select min(month) from in_scope), $date_to)),

kinds as (select distinct requester_kind from in_scope),

signed as (select month, requester_kind, count(*) as signed from in_scope group by all)

select
    m.month,
    k.requester_kind,
    coalesce(s.signed, 0) as signed,
    sum(coalesce(s.signed, 0)) over (partition by k.requester_kind order by m.month)::bigint as cumulative,
from months as m
cross join kinds as k
left join signed as s on s.month = m.month and s.requester_kind = k.requester_kind
order by m.month, k.requester_kind
