-- demo_quality_checks: the demo's quality check results of one slice of hospitals, every check of the catalogue per assessment (oversight/demo.py stages demo_assessments and demo_checks)
-- params: $seed bigint, $slice bigint, $batch_id varchar, $absent_share double, $empty_share double
-- writes: quality_checks
-- staged: demo_assessments, demo_checks
-- Every assessment runs every check of the catalogue. Outcomes follow the assessment's failing
-- rate and the check's difficulty; violated_rows is drawn to agree with the outcome against the
-- threshold, in integers so that the dashboard's 100 * violated / denominator > threshold holds
-- exactly as intended. A denominator is steady per hospital and check and grows with the
-- hospital's database.
insert into quality_checks (
    institution_id, assessed_on, check_id, category, context, cdm_table,
    violated_rows, denominator_rows, threshold_pct, not_applicable, batch_id
)
with pairs as (
    select
        a.institution_id,
        a.assessed_on,
        c.check_id,
        c.category,
        c.context,
        c.cdm_table,
        c.threshold,
        c.concept_level,
        (a.missing_tables & c.table_bit) <> 0 as table_missing,
        a.persons * c.row_factor as expected_rows,
        least(a.fail_rate * c.difficulty, 0.9) as fail_probability,
        -- hash() of ids and the seed: reproducible at any parallelism, unlike random()
        hash(a.assessment_no, c.check_no, $seed) as run_bits,
        hash(a.hospital_rank, c.check_no, $seed) as site_bits,
        a.hospital_rank,
        c.check_no,
    from demo_assessments as a
    cross join demo_checks as c
    where a.slice = $slice
),

draws as (
    select
        *,
        (run_bits & 1048575) / 1048576 as u_run,
        ((run_bits >> 40) & 1048575) / 1048576 as u_excess,
        (site_bits & 1048575) / 1048576 as u_site,
        ((site_bits >> 20) & 1048575) / 1048576 as u_presence,
        ((site_bits >> 40) & 1048575) / 1048576 as u_size,
        -- Three in four (hospital, check) pairs keep failing while the hospital's quality is
        -- poor, as real problems do; the rest pass or fail independently each time.
        (site_bits >> 62) = 0 as independent,
    from pairs
),

sized as (
    select
        *,
        table_missing or (concept_level and u_presence < $absent_share) as is_not_applicable,
        case
            when table_missing or (concept_level and u_presence < $absent_share) then 0
            when concept_level and u_presence < $absent_share + $empty_share then 0
            else greatest(1, round(expected_rows * (0.97 + 0.06 * u_size)))
        end::bigint as denominator_rows,
    from draws
),

judged as (
    select
        *,
        not is_not_applicable
            and denominator_rows > 0
            and (case when independent then u_run else u_site end) < fail_probability as failed,
        threshold * denominator_rows // 100 as allowed,
    from sized
)

select
    institution_id,
    assessed_on,
    check_id,
    category,
    context,
    cdm_table,
    case
        when failed then least(
            denominator_rows,
            allowed + 1 + floor((denominator_rows - allowed - 1) * pow(u_excess, 4) * 0.5)::bigint
        )
        else floor(allowed * u_excess * u_excess)::bigint
    end as violated_rows,
    denominator_rows,
    threshold::double as threshold_pct,
    is_not_applicable as not_applicable,
    $batch_id as batch_id,
from judged
-- Hospital by hospital (zone maps serve per-hospital queries), then check by check: the same
-- check_id repeats in a run, which halves the file against assessment-by-assessment order
-- (thousands of distinct check ids overflow a block's string dictionary).
order by hospital_rank, check_no, assessed_on
