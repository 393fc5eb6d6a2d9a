-- centre_kpis: safe utilisation centres in one period: centres reporting, sessions, researcher hours, researcher-months, and the requests made in the period that were served through a centre
-- params: $date_from date, $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[], $areas varchar[], $centre_ids varchar[]
-- columns: centres_reporting bigint, sessions bigint, researcher_hours double, researcher_months bigint, requests bigint, centre_requests bigint, centre_share double
with usage as (
    select
        count(distinct u.centre_id) as centres_reporting,
        coalesce(sum(u.sessions), 0)::bigint as sessions,
        coalesce(sum(u.researcher_hours), 0)::double as researcher_hours,
        coalesce(sum(u.researchers), 0)::bigint as researcher_months,
    from scoped_centre_usage($regions) as u
    where u.month between date_trunc('month', $date_from::date) and $date_to
        and (len($centre_ids) = 0 or list_contains($centre_ids, u.centre_id))
),

requests as (
    select
        count(*) as requests,
        count(*) filter (
            where access_mode = 'safe_centre'
                and (len($centre_ids) = 0 or list_contains($centre_ids, centre_id))
        ) as centre_requests,
    from scoped_requests($regions, $kinds, $sectors, $areas)
    where requested_on between $date_from and $date_to
)

select
    u.centres_reporting,
    u.sessions,
    u.researcher_hours,
    u.researcher_months,
    r.requests,
    r.centre_requests,
    r.centre_requests / nullif(r.requests, 0) as centre_share,
from usage as u
cross join requests as r
