-- institution_centre_usage: one safe utilisation centre's use by month up to the period's end: sessions, researcher hours and researchers as it reported them, and the requests made that month to be served through it (a month with requests but no report shows empty use)
-- params: $institution_id varchar, $date_to date
-- columns: month date, sessions bigint, researcher_hours double, researchers bigint, requests bigint
with used as (
    select month, sessions, researcher_hours, researchers
    from centre_usage
    where centre_id = $institution_id
        and month <= $date_to
),

served as (
    select date_trunc('month', requested_on)::date as month, count(*) as requests
    from request_facts
    where centre_id = $institution_id
        and access_mode = 'safe_centre'
        and requested_on <= $date_to
    group by all
)

select
    month,
    u.sessions,
    u.researcher_hours,
    u.researchers,
    coalesce(s.requests, 0) as requests,
from used as u
full join served as s using (month)
order by month
