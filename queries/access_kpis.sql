-- access_kpis: the data-access headline figures of one period: requests made, requests delivered with their median and 90th-percentile lead time, records and patients delivered, and the requests still open at the period's end
-- params: $date_from date, $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[], $areas varchar[], $data_types varchar[], $access_modes varchar[], $hospital_ids varchar[]
-- columns: requests_made bigint, delivered bigint, median_lead_days double, p90_lead_days double, records_delivered bigint, patients_delivered bigint, open_pipeline bigint
with in_scope as (
    select
        requested_on,
        status,
        lead_days,
        records,
        patients,
        delivered_on between $date_from and $date_to as is_delivered,
        -- Open at the period's end: not delivered by then and not closed. Rejections and
        -- withdrawals carry no date, so they count as closed whenever they happened.
        (delivered_on is null or delivered_on > $date_to)
            and status not in ('rejected', 'withdrawn') as is_open,
    from scoped_requests($regions, $kinds, $sectors, $areas)
    where requested_on <= $date_to
        and (len($data_types) = 0 or list_contains($data_types, data_type))
        and (len($access_modes) = 0 or list_contains($access_modes, access_mode))
        and (len($hospital_ids) = 0 or list_contains($hospital_ids, hospital_id))
)

select
    count(*) filter (where requested_on >= $date_from) as requests_made,
    count(*) filter (where is_delivered) as delivered,
    median(lead_days) filter (where is_delivered) as median_lead_days,
    quantile_cont(lead_days, 0.9) filter (where is_delivered) as p90_lead_days,
    coalesce(sum(records) filter (where is_delivered), 0)::bigint as records_delivered,
    coalesce(sum(patients) filter (where is_delivered), 0)::bigint as patients_delivered,
    count(*) filter (where is_open) as open_pipeline,
from in_scope
