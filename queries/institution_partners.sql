-- institution_partners: the institutions on the other side of one institution's agreements up to the period's end (a requester's hospitals, a hospital's requesters), with agreements signed together, requests between them and deliveries
-- params: $institution_id varchar, $date_to date
-- columns: partner_id varchar, name_ko varchar, name_en varchar, kind varchar, region_code varchar, agreements bigint, first_signed_on date, last_signed_on date, requests bigint, delivered bigint
with pairs as (
    select
        a.agreement_id,
        a.signed_on,
        case when a.requester_id = $institution_id then ah.hospital_id else a.requester_id end as partner_id,
    from agreement_facts as a
    join agreement_hospitals as ah using (agreement_id)
    where a.signed_on <= $date_to
        and (a.requester_id = $institution_id or ah.hospital_id = $institution_id)
),

together as (
    select
        partner_id,
        count(distinct agreement_id) as agreements,
        min(signed_on) as first_signed_on,
        max(signed_on) as last_signed_on,
    from pairs
    group by all
),

requests as (
    select
        case when requester_id = $institution_id then hospital_id else requester_id end as partner_id,
        count(*) as requests,
        count(*) filter (where delivered_on <= $date_to) as delivered,
    from request_facts
    where requested_on <= $date_to
        and (requester_id = $institution_id or hospital_id = $institution_id)
    group by all
)

select
    t.partner_id,
    p.name_ko,
    p.name_en,
    p.kind,
    p.region_code,
    t.agreements,
    t.first_signed_on,
    t.last_signed_on,
    coalesce(r.requests, 0) as requests,
    coalesce(r.delivered, 0) as delivered,
from together as t
join institutions as p on p.institution_id = t.partner_id
left join requests as r using (partner_id)
order by t.agreements desc, requests desc, t.partner_id
