-- centre_requests_by_type: requests made in the period that were served through a safe utilisation centre (all centres, or the chosen ones), by data type: how many, how many were delivered by the period's end and their median lead time
-- params: $date_from date, $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[], $areas varchar[], $centre_ids varchar[]
-- columns: data_type varchar, requests bigint, delivered bigint, median_total_days double
select
    data_type,
    count(*) as requests,
    count(*) filter (where delivered_on <= $date_to) as delivered,
    median(lead_days) filter (where delivered_on <= $date_to) as median_total_days,
from scoped_requests($regions, $kinds, $sectors, $areas)
where requested_on between $date_from and $date_to
    and access_mode = 'safe_centre'
    and (len($centre_ids) = 0 or list_contains($centre_ids, centre_id))
group by data_type
order by requests desc, data_type
