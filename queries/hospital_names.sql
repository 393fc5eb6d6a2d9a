-- hospital_names: every hospital's id and names, to say which hospital sent a Data Quality Dashboard results file
-- params:
-- columns: institution_id varchar, name_ko varchar, name_en varchar
select
    institution_id,
    name_ko,
    name_en,
from institutions
where kind = 'hospital'
order by institution_id
