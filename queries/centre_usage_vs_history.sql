-- centre_usage_vs_history: each centre designated by the period's end, its latest month reported in the period against the median of its reported months in the six months before, for sessions, researcher hours and researchers
-- params: $date_from date, $date_to date, $regions varchar[]
-- columns: centre_id varchar, name_ko varchar, name_en varchar, safe_centre_since date, metric varchar, month date, value double, trailing_median double, history_months bigint
with centres as (
    select institution_id as centre_id, name_ko, name_en, safe_centre_since
    from scoped_centres($regions)
    where safe_centre_since <= $date_to
),

usage as (
    select centre_id, month, metric, value::double as value
    from centre_usage
    unpivot (value for metric in (sessions, researcher_hours, researchers))
    where month <= $date_to
),

latest as (
    select centre_id, max(month) as month
    from usage
    where month >= date_trunc('month', $date_from::date)
    group by centre_id
),

metrics (metric, metric_order) as (
    values ('sessions', 1), ('researcher_hours', 2), ('researchers', 3)
),

history as (
    select
        l.centre_id,
        u.metric,
        median(u.value) as trailing_median,
        count(*) as history_months,
    from latest as l
    join usage as u
        on u.centre_id = l.centre_id
        and u.month >= l.month - interval 6 month
        and u.month < l.month
    group by l.centre_id, u.metric
)

select
    c.centre_id,
    c.name_ko,
    c.name_en,
    c.safe_centre_since,
    m.metric,
    l.month,
    now_.value,
    h.trailing_median,
    coalesce(h.history_months, 0) as history_months,
from centres as c
cross join metrics as m
left join latest as l on l.centre_id = c.centre_id
left join usage as now_ on now_.centre_id = c.centre_id and now_.month = l.month and now_.metric = m.metric
left join history as h on h.centre_id = c.centre_id and h.metric = m.metric
order by c.safe_centre_since, c.centre_id, m.metric_order
