-- agreement_kpis: the agreements headline of one period: agreements signed in it, agreements in force at its end, distinct requesters that signed, and hospitals per agreement signed
-- params: $date_from date, $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[], $areas varchar[]
-- columns: signed bigint, in_force bigint, requesters bigint, hospital_links bigint, hospitals_per_agreement double
with in_scope as (
    select *
    from scoped_agreements($regions, $kinds, $sectors, $areas)
    where signed_on <= $date_to
),

signed as (select * from in_scope where signed_on >= $date_from),

-- In force at the period's end: not ended by then. A completed or terminated agreement without
-- an end date has ended at some unknown date, so it does not count.
in_force as (
    select *
    from in_scope
    where (ends_on is null and status in ('signed', 'active'))
        or ends_on >= $date_to
)

select
    (select count(*) from signed) as signed,
    (select count(*) from in_force) as in_force,
    (select count(distinct requester_id) from signed) as requesters,
    (select sum(hospitals) from signed)::bigint as hospital_links,
    (select avg(hospitals) from signed) as hospitals_per_agreement,
