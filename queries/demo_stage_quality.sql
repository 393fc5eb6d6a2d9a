-- demo_stage_quality: the demo's assessments and check catalogue as temporary tables, for demo_quality_checks to draw results from
-- params:
-- writes: demo_assessments, demo_checks
create temp table demo_assessments as select * from assessment_rows;
create temp table demo_checks as select * from check_rows;
