-- agreement_network: who signs with whom: agreements between requesters and hospitals signed in the period (of the chosen statuses), the top-N requesters and top-N hospitals by agreements kept apart (a chosen institution always among them, first) and the rest folded into one "other" node on each side (links only to hospitals in the chosen regions)
-- params: $date_from date, $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[], $areas varchar[], $agreement_statuses varchar[], $party_id varchar, $top_n integer
-- columns: requester_id varchar, requester_ko varchar, requester_en varchar, requester_rank bigint, requester_agreements bigint, requester_members bigint, hospital_id varchar, hospital_ko varchar, hospital_en varchar, hospital_rank bigint, hospital_agreements bigint, hospital_members bigint, agreements bigint
with links as (
    select a.agreement_id, a.requester_id, ah.hospital_id
    from scoped_agreements($regions, $kinds, $sectors, $areas) as a
    join agreement_hospitals as ah using (agreement_id)
    join scoped_hospitals($regions) as h on h.institution_id = ah.hospital_id
    where a.signed_on between $date_from and $date_to
        and (len($agreement_statuses) = 0 or list_contains($agreement_statuses, a.status))
),

-- Rank each side by its agreements, a chosen institution first; ties go to the smaller id so the
-- picture is stable.
requester_ranks as (
    select
        requester_id,
        row_number() over (
            order by requester_id = $party_id desc, count(distinct agreement_id) desc, requester_id
        ) as rank,
    from links
    group by requester_id
),

hospital_ranks as (
    select
        hospital_id,
        row_number() over (
            order by hospital_id = $party_id desc, count(distinct agreement_id) desc, hospital_id
        ) as rank,
    from links
    group by hospital_id
),

-- Each link on its nodes: a node is an institution in the top N, or null for "other".
placed as (
    select
        l.agreement_id,
        l.requester_id,
        l.hospital_id,
        case when r.rank <= $top_n then l.requester_id end as requester_node,
        least(r.rank, $top_n + 1) as requester_rank,
        case when h.rank <= $top_n then l.hospital_id end as hospital_node,
        least(h.rank, $top_n + 1) as hospital_rank,
    from links as l
    join requester_ranks as r using (requester_id)
    join hospital_ranks as h using (hospital_id)
),

requester_nodes as (
    select
        requester_rank,
        count(distinct agreement_id) as agreements,
        count(distinct requester_id) as members,
    from placed
    group by requester_rank
),

hospital_nodes as (
    select
        hospital_rank,
        count(distinct agreement_id) as agreements,
        count(distinct hospital_id) as members,
    from placed
    group by hospital_rank
),

edges as (
    select
        requester_node,
        requester_rank,
        hospital_node,
        hospital_rank,
        count(distinct agreement_id) as agreements,
    from placed
    group by all
)

select
    e.requester_node as requester_id,
    r.name_ko as requester_ko,
    r.name_en as requester_en,
    e.requester_rank,
    rn.agreements as requester_agreements,
    rn.members as requester_members,
    e.hospital_node as hospital_id,
    h.name_ko as hospital_ko,
    h.name_en as hospital_en,
    e.hospital_rank,
    hn.agreements as hospital_agreements,
    hn.members as hospital_members,
    e.agreements,
from edges as e
join requester_nodes as rn using (requester_rank)
join hospital_nodes as hn using (hospital_rank)
left join institutions as r on r.institution_id = e.requester_node
left join institutions as h on h.institution_id = e.hospital_node
order by e.requester_rank, e.hospital_rank
