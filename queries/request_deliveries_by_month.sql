-- request_deliveries_by_month: requests delivered each month of the period, with the records and patients they delivered (months without deliveries included)
-- params: $date_from date, $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[], $areas varchar[], $data_types varchar[], $access_modes varchar[], $hospital_ids varchar[]
-- columns: month date, deliveries bigint, records bigint, patients bigint
with months as (select month from months_between($date_from, $date_to)),

delivered as (
    select
        date_trunc('month', delivered_on)::date as month,
        count(*) as deliveries,
        sum(records) as records,
        sum(patients) as patients,
    from scoped_requests($regions, $kinds, $sectors, $areas)
    where delivered_on between $date_from and $date_to
        and (len($data_types) = 0 or list_contains($data_types, data_type))
        and (len($access_modes) = 0 or list_contains($access_modes, access_mode))
        and (len($hospital_ids) = 0 or list_contains($hospital_ids, hospital_id))
    group by all
)

select
    m.month,
    coalesce(d.deliveries, 0) as deliveries,
    coalesce(d.records, 0)::bigint as records,
    coalesce(d.patients, 0)::bigint as patients,
from months as m
left join delivered as d on d.month = m.month
order by m.month
