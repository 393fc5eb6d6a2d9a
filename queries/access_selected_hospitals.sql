-- access_selected_hospitals: the names of the hospitals chosen as a cross-filter on the data-access page
-- params: $hospital_ids varchar[]
-- columns: institution_id varchar, name_ko varchar, name_en varchar
select institution_id, name_ko, name_en
from institutions
where list_contains($hospital_ids, institution_id)
order by institution_id
