-- centre_designations: the safe utilisation centres and when each was designated
-- params:
-- columns: institution_id varchar, name_ko varchar, name_en varchar, region_code varchar, safe_centre_since date
select institution_id, name_ko, name_en, region_code, safe_centre_since
from institutions
where safe_centre_since is not null
order by safe_centre_since, institution_id
