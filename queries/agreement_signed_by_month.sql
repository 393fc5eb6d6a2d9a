-- agreement_signed_by_month: agreements signed in each month of the period, and the running total of all agreements signed since the programme began up to each month's end (within the period)
-- params: $date_from date, $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[], $areas varchar[]
-- columns: month date, signed bigint, cumulative bigint
with in_scope as (
    select signed_on
    from scoped_agreements($regions, $kinds, $sectors, $areas)
    where signed_on <= $date_to
),

months as (select month from months_between($date_from, $date_to)),

signed_before as (select count(*) as n from in_scope where signed_on < $date_from),

signed as (
    select date_trunc('month', signed_on)::date as month, count(*) as signed
    from in_scope
    where signed_on >= $date_from
    group by all
)

select
    m.month,
    coalesce(s.signed, 0) as signed,
    (b.n + sum(coalesce(s.signed, 0)) over (order by m.month))::bigint as cumulative,
from months as m
cross join signed_before as b
left join signed as s on s.month = m.month
order by m.month
