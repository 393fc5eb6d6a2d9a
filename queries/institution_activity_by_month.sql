-- institution_activity_by_month: one institution's agreements signed, requests made or received, and deliveries, by month from when it joined (or its first activity) up to the period's end
-- params: $institution_id varchar, $date_to date
-- columns: month date, agreements bigint, requests bigint, delivered bigint
with agreements as (
    select date_trunc('month', signed_on)::date as month, count(*) as agreements
    from agreement_facts
    where signed_on <= $date_to
        and (requester_id = $institution_id or list_contains(hospital_ids, $institution_id))
    group by all
),

requests as (
    select date_trunc('month', requested_on)::date as month, count(*) as requests
    from request_facts
    where requested_on <= $date_to
        and (requester_id = $institution_id or hospital_id = $institution_id)
    group by all
),

deliveries as (
    select date_trunc('month', delivered_on)::date as month, count(*) as delivered
    from request_facts
    where delivered_on <= $date_to
        and (requester_id = $institution_id or hospital_id = $institution_id)
    group by all
),

bounds as (
    select least(
        (select date_trunc('month', joined_on)::date from institutions where institution_id = $institution_id),
        (select min(month) from agreements),
        (select min(month) from requests)
    ) as first_month
),

months as (
    select unnest(generate_series(b.first_month, date_trunc('month', $date_to::date), interval 1 month))::date as month
    from bounds as b
    where b.first_month is not null and b.first_month <= $date_to
)

select
    m.month,
    coalesce(a.agreements, 0) as agreements,
    coalesce(r.requests, 0) as requests,
    coalesce(d.delivered, 0) as delivered,
from months as m
left join agreements as a using (month)
left join requests as r using (month)
left join deliveries as d using (month)
order by m.month
