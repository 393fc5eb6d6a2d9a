-- request_lead_times_by_hospital: the hospitals with the slowest (or fastest) median request-to-delivery time in the period, among those with enough deliveries, with each stage's median and 90th percentile and counts
-- params: $date_from date, $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[], $areas varchar[], $data_types varchar[], $access_modes varchar[], $min_deliveries integer, $fastest boolean, $top_n integer
-- columns: hospital_id varchar, name_ko varchar, name_en varchar, region_code varchar, approvals bigint, median_days_to_approval double, p90_days_to_approval double, deliveries bigint, median_days_to_delivery double, p90_days_to_delivery double, median_total_days double, p90_total_days double, ranked_hospitals bigint
with in_scope as (
    select
        hospital_id,
        days_to_approval,
        days_approval_to_delivery,
        lead_days,
        approved_on between $date_from and $date_to as approved_in_period,
        delivered_on between $date_from and $date_to as delivered_in_period,
    from scoped_requests($regions, $kinds, $sectors, $areas)
    where (approved_on between $date_from and $date_to or delivered_on between $date_from and $date_to)
        and (len($data_types) = 0 or list_contains($data_types, data_type))
        and (len($access_modes) = 0 or list_contains($access_modes, access_mode))
),

per_hospital as (
    select
        hospital_id,
        count(*) filter (where approved_in_period) as approvals,
        median(days_to_approval) filter (where approved_in_period) as median_days_to_approval,
        quantile_cont(days_to_approval, 0.9) filter (where approved_in_period) as p90_days_to_approval,
        count(*) filter (where delivered_in_period) as deliveries,
        median(days_approval_to_delivery) filter (where delivered_in_period) as median_days_to_delivery,
        quantile_cont(days_approval_to_delivery, 0.9) filter (where delivered_in_period) as p90_days_to_delivery,
        median(lead_days) filter (where delivered_in_period) as median_total_days,
        quantile_cont(lead_days, 0.9) filter (where delivered_in_period) as p90_total_days,
    from in_scope
    group by hospital_id
),

ranked as (
    select
        *,
        count(*) over () as ranked_hospitals,
        row_number() over (
            order by case when $fastest then median_total_days else -median_total_days end, hospital_id
        ) as rank,
    from per_hospital
    where deliveries >= $min_deliveries
)

select
    r.hospital_id,
    h.name_ko,
    h.name_en,
    h.region_code,
    r.approvals,
    r.median_days_to_approval,
    r.p90_days_to_approval,
    r.deliveries,
    r.median_days_to_delivery,
    r.p90_days_to_delivery,
    r.median_total_days,
    r.p90_total_days,
    r.ranked_hospitals,
from ranked as r
join institutions as h on h.institution_id = r.hospital_id
where r.rank <= $top_n
order by r.rank
