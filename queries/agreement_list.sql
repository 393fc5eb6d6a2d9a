-- agreement_list: the agreements signed in the period (of the chosen statuses, with one institution as a party when one is chosen) that match a search (id, requester, hospital or title, in either language), in a chosen order, at most a number of rows, with the count of all matches
-- params: $date_from date, $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[], $areas varchar[], $agreement_statuses varchar[], $party_id varchar, $search varchar, $agreement_order varchar, $row_limit integer
-- columns: agreement_id varchar, signed_on date, ends_on date, status varchar, research_area varchar, title varchar, requester_id varchar, requester_ko varchar, requester_en varchar, requester_kind varchar, requester_sector varchar, hospitals bigint, hospitals_ko varchar, hospitals_en varchar, requests bigint, delivered bigint, matches bigint
with in_scope as (
    select *
    from scoped_agreements($regions, $kinds, $sectors, $areas)
    where signed_on between $date_from and $date_to
        and (len($agreement_statuses) = 0 or list_contains($agreement_statuses, status))
        and (len($party_id) = 0 or requester_id = $party_id or list_contains(hospital_ids, $party_id))
),

-- Hospital names in each language (the other standing in where one is missing), sorted by name;
-- an ordered string_agg costs ten times as much here.
party_names as (
    select
        ah.agreement_id,
        array_to_string(list_sort(list(coalesce(h.name_ko, h.name_en))), ', ') as hospitals_ko,
        array_to_string(list_sort(list(coalesce(h.name_en, h.name_ko))), ', ') as hospitals_en,
    from agreement_hospitals as ah
    semi join in_scope as a using (agreement_id)
    join institutions as h on h.institution_id = ah.hospital_id
    group by ah.agreement_id
),

-- Requests under each agreement up to the period's end.
request_counts as (
    select
        agreement_id,
        count(*) filter (where requested_on <= $date_to) as requests,
        count(*) filter (where delivered_on <= $date_to) as delivered,
    from request_facts
    where agreement_id in (select agreement_id from in_scope)
    group by agreement_id
),

listed as (
    select
        a.agreement_id,
        a.signed_on,
        a.ends_on,
        a.status,
        a.research_area,
        a.title,
        a.requester_id,
        r.name_ko as requester_ko,
        r.name_en as requester_en,
        a.requester_kind,
        a.requester_sector,
        a.hospitals,
        p.hospitals_ko,
        p.hospitals_en,
        coalesce(c.requests, 0) as requests,
        coalesce(c.delivered, 0) as delivered,
    from in_scope as a
    join institutions as r on r.institution_id = a.requester_id
    left join party_names as p using (agreement_id)
    left join request_counts as c using (agreement_id)
),

-- A plain substring match, case-insensitive: the search text is a value, never a pattern.
matched as (
    select *
    from listed
    where len(trim($search)) = 0
        or contains(
            lower(concat_ws(' ', agreement_id, requester_ko, requester_en, hospitals_ko, hospitals_en, title)),
            lower(trim($search))
        )
)

select *, count(*) over () as matches,
from matched
order by
    case when $agreement_order = 'oldest' then signed_on end asc,
    case when $agreement_order = 'hospitals' then hospitals end desc,
    case when $agreement_order = 'requests' then requests end desc,
    case when $agreement_order = 'id' then agreement_id end asc,
    signed_on desc,
    agreement_id
limit $row_limit
