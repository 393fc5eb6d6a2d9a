-- centre_share_by_month: each month of the period, the requests made and how many of them were served through a safe utilisation centre (all centres, or the chosen ones), and that share
-- params: $date_from date, $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[], $areas varchar[], $centre_ids varchar[]
-- columns: month date, requests bigint, centre_requests bigint, share double
with months as (select month from months_between($date_from, $date_to)),

made as (
    select
        date_trunc('month', requested_on)::date as month,
        count(*) as requests,
        count(*) filter (
            where access_mode = 'safe_centre'
                and (len($centre_ids) = 0 or list_contains($centre_ids, centre_id))
        ) as centre_requests,
    from scoped_requests($regions, $kinds, $sectors, $areas)
    where requested_on between $date_from and $date_to
    group by all
)

select
    m.month,
    coalesce(d.requests, 0) as requests,
    coalesce(d.centre_requests, 0) as centre_requests,
    d.centre_requests / nullif(d.requests, 0) as share,
from months as m
left join made as d on d.month = m.month
order by m.month
