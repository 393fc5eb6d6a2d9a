-- centre_usage_by_month: each safe utilisation centre's reported use in each month of the period: sessions, researcher hours and researchers
-- params: $date_from date, $date_to date, $regions varchar[]
-- columns: centre_id varchar, name_ko varchar, name_en varchar, month date, sessions bigint, researcher_hours double, researchers bigint
select
    u.centre_id,
    c.name_ko,
    c.name_en,
    u.month,
    u.sessions,
    u.researcher_hours,
    u.researchers,
from scoped_centre_usage($regions) as u
join institutions as c on c.institution_id = u.centre_id
-- Every month that overlaps the period counts whole (a period starting mid-month takes that month).
where u.month between date_trunc('month', $date_from::date) and $date_to
order by u.centre_id, u.month
