-- request_funnel: the requests made in the period, by the furthest stage each had reached at the period's end (requested, under review, approved, delivered) and the ones rejected or withdrawn, with where each stood at the period's end
-- params: $date_from date, $date_to date, $regions varchar[], $kinds varchar[], $sectors varchar[], $areas varchar[], $data_types varchar[], $access_modes varchar[], $hospital_ids varchar[]
-- columns: stage varchar, step integer, reached bigint, at_period_end bigint
with cohort as (
    select
        approved_on,
        -- Where the request stood at the period's end. Approval and delivery are dated;
        -- rejection, withdrawal and the start of review are not, so they come from the status.
        case
            when delivered_on <= $date_to then 'delivered'
            when status in ('rejected', 'withdrawn') then status
            when approved_on <= $date_to then 'approved'
            when status = 'requested' then 'requested'
            else 'under_review'
        end as stage,
    from scoped_requests($regions, $kinds, $sectors, $areas)
    where requested_on between $date_from and $date_to
        and (len($data_types) = 0 or list_contains($data_types, data_type))
        and (len($access_modes) = 0 or list_contains($access_modes, access_mode))
        and (len($hospital_ids) = 0 or list_contains($hospital_ids, hospital_id))
),

reached as (
    select
        count(*) as requested,
        -- Every request that left the queue for review, including those later rejected or withdrawn
        count(*) filter (where stage <> 'requested') as under_review,
        count(*) filter (where approved_on <= $date_to) as approved,
        count(*) filter (where stage = 'delivered') as delivered,
        count(*) filter (where stage = 'rejected') as rejected,
        count(*) filter (where stage = 'withdrawn') as withdrawn,
    from cohort
),

standing as (
    select stage, count(*) as requests
    from cohort
    group by stage
),

stages (stage, step) as (
    values
        ('requested', 1),
        ('under_review', 2),
        ('approved', 3),
        ('delivered', 4),
        ('rejected', 5),
        ('withdrawn', 6)
)

select
    s.stage,
    s.step,
    case s.stage
        when 'requested' then r.requested
        when 'under_review' then r.under_review
        when 'approved' then r.approved
        when 'delivered' then r.delivered
        when 'rejected' then r.rejected
        else r.withdrawn
    end as reached,
    coalesce(st.requests, 0) as at_period_end,
from stages as s
cross join reached as r
left join standing as st on st.stage = s.stage
order by s.step
