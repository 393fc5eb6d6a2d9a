-- request_lead_times: lead time per stage by data type or by access mode: request to approval over the requests approved in the period, approval to delivery and request to delivery over those delivered in it (median and 90th percentile, with counts)
-- params: $dimension varchar, $date_from date, $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[], $areas varchar[], $data_types varchar[], $access_modes varchar[], $hospital_ids varchar[]
-- columns: key varchar, approvals bigint, median_days_to_approval double, p90_days_to_approval double, deliveries bigint, median_days_to_delivery double, p90_days_to_delivery double, median_total_days double, p90_total_days double
with in_scope as (
    select
        -- $dimension is 'data_type' or 'access_mode'; a value, never spliced into the text
        case $dimension
            when 'data_type' then data_type
            when 'access_mode' then access_mode
        end as key,
        days_to_approval,
        days_approval_to_delivery,
        lead_days,
        approved_on between $date_from and $date_to as approved_in_period,
        delivered_on between $date_from and $date_to as delivered_in_period,
    from scoped_requests($regions, $kinds, $sectors, $areas)
    where (approved_on between $date_from and $date_to or delivered_on between $date_from and $date_to)
        and (len($data_types) = 0 or list_contains($data_types, data_type))
        and (len($access_modes) = 0 or list_contains($access_modes, access_mode))
        and (len($hospital_ids) = 0 or list_contains($hospital_ids, hospital_id))
)

select
    key,
    count(*) filter (where approved_in_period) as approvals,
    median(days_to_approval) filter (where approved_in_period) as median_days_to_approval,
    quantile_cont(days_to_approval, 0.9) filter (where approved_in_period) as p90_days_to_approval,
    count(*) filter (where delivered_in_period) as deliveries,
    median(days_approval_to_delivery) filter (where delivered_in_period) as median_days_to_delivery,
    quantile_cont(days_approval_to_delivery, 0.9) filter (where delivered_in_period) as p90_days_to_delivery,
    median(lead_days) filter (where delivered_in_period) as median_total_days,
    quantile_cont(lead_days, 0.9) filter (where delivered_in_period) as p90_total_days,
from in_scope
where key is not null
group by key
order by key
