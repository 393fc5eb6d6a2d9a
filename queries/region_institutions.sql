-- region_institutions: institutions in the programme at the period's end, with their coordinates, district and activity within the period: agreements signed that they take part in (as requester or hospital) and data requests delivered to or from them, in the chosen research areas
-- params: $date_from date, $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[], $areas varchar[]
-- columns: institution_id varchar, name_ko varchar, name_en varchar, kind varchar, region_code varchar, district_code varchar, latitude double, longitude double, agreements bigint, requests_delivered bigint
-- Regions, kinds and sectors here are the institution's own: its agreements and deliveries are
-- narrowed by area only (passing [] for the rest), so a hospital's count whoever the requester is.
with in_scope as (
    select *
    from scoped_institutions($regions, $kinds, $sectors)
    where joined_on <= $date_to
),

agreements_in_period as (
    select *
    from scoped_agreements([], [], [], $areas)
    where signed_on between $date_from and $date_to
),

parties as (
    select agreement_id, requester_id as institution_id from agreements_in_period
    union
    select a.agreement_id, party.hospital_id
    from agreements_in_period as a, unnest(a.hospital_ids) as party(hospital_id)
),

taking_part as (
    select institution_id, count(distinct agreement_id) as agreements from parties group by institution_id
),

delivered_in_period as (
    select request_id, hospital_id, requester_id
    from scoped_requests([], [], [], $areas)
    where delivered_on between $date_from and $date_to
),

deliveries as (
    select institution_id, count(distinct request_id) as requests_delivered
    from (
        select request_id, hospital_id as institution_id from delivered_in_period
        union all
        select request_id, requester_id from delivered_in_period
    )
    group by institution_id
)

select
    i.institution_id,
    i.name_ko,
    i.name_en,
    i.kind,
    i.region_code,
    case when d.point_region = i.region_code then d.district_code end as district_code,
    i.latitude,
    i.longitude,
    coalesce(t.agreements, 0) as agreements,
    coalesce(v.requests_delivered, 0) as requests_delivered,
from in_scope as i
left join institution_districts as d on d.institution_id = i.institution_id
left join taking_part as t on t.institution_id = i.institution_id
left join deliveries as v on v.institution_id = i.institution_id
order by i.region_code, i.institution_id
