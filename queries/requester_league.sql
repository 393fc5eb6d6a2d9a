-- requester_league: every requester (company, university, research institute) in the programme at the period's end, of the chosen kinds, sectors and regions, with its agreements signed and requests made in the period, the hospitals it signed with, deliveries with their records and median lead time
-- params: $date_from date, $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[], $areas varchar[]
-- columns: institution_id varchar, name_ko varchar, name_en varchar, kind varchar, company_sector varchar, region_code varchar, joined_on date, agreements bigint, hospitals bigint, requests bigint, delivered bigint, records bigint, median_lead_days double
-- Regions, kinds and sectors here are the requester's own (as for institutions): its agreements
-- and requests are narrowed by area only (passing [] for the rest), wherever their hospitals are.
with requesters as (
    select *
    from scoped_institutions($regions, $kinds, $sectors)
    where kind in ('company', 'university', 'research_institute')
        and joined_on <= $date_to
),

agreements as (
    select
        a.requester_id as institution_id,
        count(distinct a.agreement_id) as agreements,
        count(distinct ah.hospital_id) as hospitals,
    from scoped_agreements([], [], [], $areas) as a
    join agreement_hospitals as ah using (agreement_id)
    where a.signed_on between $date_from and $date_to
    group by all
),

requests as (
    select
        requester_id as institution_id,
        count(*) filter (where requested_on between $date_from and $date_to) as requests,
        count(*) filter (where delivered_on between $date_from and $date_to) as delivered,
        sum(records) filter (where delivered_on between $date_from and $date_to)::bigint as records,
        median(lead_days) filter (where delivered_on between $date_from and $date_to) as median_lead_days,
    from scoped_requests([], [], [], $areas)
    where requested_on between $date_from and $date_to or delivered_on between $date_from and $date_to
    group by all
)

select
    r.institution_id,
    r.name_ko,
    r.name_en,
    r.kind,
    r.company_sector,
    r.region_code,
    r.joined_on,
    coalesce(a.agreements, 0) as agreements,
    coalesce(a.hospitals, 0) as hospitals,
    coalesce(q.requests, 0) as requests,
    coalesce(q.delivered, 0) as delivered,
    coalesce(q.records, 0) as records,
    q.median_lead_days,
from requesters as r
left join agreements as a using (institution_id)
left join requests as q using (institution_id)
order by agreements desc, requests desc, r.institution_id
