-- institution_agreements: the agreements one institution is party to (as requester or hospital) signed up to the period's end, newest first, with the other parties and the requests under each
-- params: $institution_id varchar, $date_to date
-- columns: agreement_id varchar, signed_on date, ends_on date, status varchar, research_area varchar, title varchar, requester_ko varchar, requester_en varchar, hospitals bigint, hospitals_ko varchar, hospitals_en varchar, requests bigint, delivered bigint
with mine as (
    select *
    from agreement_facts
    where signed_on <= $date_to
        and (requester_id = $institution_id or list_contains(hospital_ids, $institution_id))
),

party_names as (
    select
        ah.agreement_id,
        array_to_string(list_sort(list(coalesce(h.name_ko, h.name_en))), ', ') as hospitals_ko,
        array_to_string(list_sort(list(coalesce(h.name_en, h.name_ko))), ', ') as hospitals_en,
    from agreement_hospitals as ah
    semi join mine using (agreement_id)
    join institutions as h on h.institution_id = ah.hospital_id
    group by ah.agreement_id
),

request_counts as (
    select
        agreement_id,
        count(*) as requests,
        count(*) filter (where delivered_on <= $date_to) as delivered,
    from request_facts
    where requested_on <= $date_to
        and agreement_id in (select agreement_id from mine)
        -- a hospital sees the requests it received; a requester all of its own
        and (requester_id = $institution_id or hospital_id = $institution_id)
    group by all
)

select
    a.agreement_id,
    a.signed_on,
    a.ends_on,
    a.status,
    a.research_area,
    a.title,
    r.name_ko as requester_ko,
    r.name_en as requester_en,
    a.hospitals,
    p.hospitals_ko,
    p.hospitals_en,
    coalesce(c.requests, 0) as requests,
    coalesce(c.delivered, 0) as delivered,
from mine as a
join institutions as r on r.institution_id = a.requester_id
left join party_names as p using (agreement_id)
left join request_counts as c using (agreement_id)
order by a.signed_on desc, a.agreement_id
