-- institution_name: one institution's names in both languages and its kind, to label a selection
-- params: $institution_id varchar
-- columns: institution_id varchar, name_ko varchar, name_en varchar, kind varchar
select institution_id, name_ko, name_en, kind
from institutions
where institution_id = $institution_id
