-- institution_kpis: institutions on both sides of the programme in one period: hospitals and requesters in it at the period's end, and those active in the period (an agreement signed, a request made or received)
-- params: $date_from date, $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[], $areas varchar[]
-- columns: hospitals bigint, active_hospitals bigint, requesters bigint, active_requesters bigint
-- Regions here are each institution's own (the hospital's, the requester's): activity is not
-- narrowed to hospitals in the chosen regions (passing [] for regions), so a requester there counts
-- as active with a hospital anywhere.
with hospitals as (
    select institution_id
    from scoped_hospitals($regions)
    where joined_on <= $date_to
),

requesters as (
    select institution_id
    from scoped_institutions($regions, $kinds, $sectors)
    where kind in ('company', 'university', 'research_institute')
        and joined_on <= $date_to
),

-- Activity in the period, of the chosen requester kinds and sectors in the chosen areas.
signed as (
    select agreement_id, requester_id
    from scoped_agreements([], $kinds, $sectors, $areas)
    where signed_on between $date_from and $date_to
),

requested as (
    select requester_id, hospital_id
    from scoped_requests([], $kinds, $sectors, $areas)
    where requested_on between $date_from and $date_to
),

hospital_activity as (
    select ah.hospital_id as institution_id
    from signed
    join agreement_hospitals as ah using (agreement_id)
    union
    select hospital_id from requested
),

requester_activity as (
    select requester_id as institution_id from signed
    union
    select requester_id from requested
)

select
    (select count(*) from hospitals) as hospitals,
    (select count(*) from hospitals semi join hospital_activity using (institution_id)) as active_hospitals,
    (select count(*) from requesters) as requesters,
    (select count(*) from requesters semi join requester_activity using (institution_id)) as active_requesters,
