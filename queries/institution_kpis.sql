-- institution_kpis: institutions on both sides of the programme in one period: hospitals and requesters in it at the period's end, and those active in the period (an agreement signed, a request made or received)
-- params: $date_from date, $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[], $areas varchar[]
-- columns: hospitals bigint, active_hospitals bigint, requesters bigint, active_requesters bigint
with hospitals as (
    select institution_id
    from institutions
    where kind = 'hospital'
        and joined_on <= $date_to
        and (len($regions) = 0 or list_contains($regions, region_code))
),

requesters as (
    select institution_id
    from institutions
    where kind in ('company', 'university', 'research_institute')
        and joined_on <= $date_to
        and (len($regions) = 0 or list_contains($regions, region_code))
        and (len($kinds) = 0 or list_contains($kinds, kind))
        and (len($sectors) = 0 or list_contains($sectors, company_sector))
),

-- A hospital's activity counts agreements and requests of the chosen requester kinds and
-- sectors in the chosen areas; a requester's, its own in the chosen areas.
signed as (
    select agreement_id, requester_id, requester_kind, requester_sector
    from agreement_facts
    where signed_on between $date_from and $date_to
        and (len($areas) = 0 or list_contains($areas, research_area))
),

requested as (
    select requester_id, requester_kind, requester_sector, hospital_id
    from request_facts
    where requested_on between $date_from and $date_to
        and (len($areas) = 0 or list_contains($areas, research_area))
),

hospital_activity as (
    select ah.hospital_id as institution_id
    from signed as s
    join agreement_hospitals as ah using (agreement_id)
    where (len($kinds) = 0 or list_contains($kinds, s.requester_kind))
        and (len($sectors) = 0 or list_contains($sectors, s.requester_sector))
    union
    select hospital_id
    from requested
    where (len($kinds) = 0 or list_contains($kinds, requester_kind))
        and (len($sectors) = 0 or list_contains($sectors, requester_sector))
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
