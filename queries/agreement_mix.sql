-- agreement_mix: agreements signed in the period by research area, by requester group (the company's sector, or the kind of a university or institute) and by current status
-- params: $date_from date, $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[], $areas varchar[]
-- columns: dimension varchar, value varchar, agreements bigint
with signed as (
    select
        research_area,
        status,
        -- a company without a sector is grouped as a company
        case when requester_kind = 'company' then coalesce(requester_sector, 'company') else requester_kind end as requester_group,
    from scoped_agreements($regions, $kinds, $sectors, $areas)
    where signed_on between $date_from and $date_to
)

select 'area' as dimension, research_area as value, count(*) as agreements from signed group by all
union all
select 'requester_group', requester_group, count(*) from signed group by all
union all
select 'status', status, count(*) from signed group by all
order by dimension, agreements desc, value
