-- derived_agreement_facts: each agreement with what the shared filters need (built at load time into agreement_facts)
-- params:
-- columns: agreement_id varchar, signed_on date, ends_on date, status varchar, research_area varchar, title varchar, requester_id varchar, requester_kind varchar, requester_sector varchar, hospital_ids varchar[], hospital_regions varchar[], hospitals bigint
with parties as (
    select
        ah.agreement_id,
        list(ah.hospital_id order by ah.hospital_id) as hospital_ids,
        list(distinct h.region_code) as hospital_regions,
        count(*) as hospitals,
    from agreement_hospitals as ah
    join institutions as h on h.institution_id = ah.hospital_id
    group by ah.agreement_id
)

select
    a.agreement_id,
    a.signed_on,
    a.ends_on,
    a.status,
    a.research_area,
    a.title,
    a.requester_id,
    r.kind as requester_kind,
    r.company_sector as requester_sector,
    coalesce(p.hospital_ids, []::varchar[]) as hospital_ids,
    coalesce(p.hospital_regions, []::varchar[]) as hospital_regions,
    coalesce(p.hospitals, 0) as hospitals,
from agreements as a
join institutions as r on r.institution_id = a.requester_id
left join parties as p on p.agreement_id = a.agreement_id
order by a.signed_on, a.agreement_id
