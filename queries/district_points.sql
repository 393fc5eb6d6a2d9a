-- district_points: institutions with coordinates, the input from which the loader computes each one's district (derived table institution_districts)
-- params:
-- columns: institution_id varchar, latitude double, longitude double
select institution_id, latitude, longitude
from institutions
where latitude is not null and longitude is not null
order by institution_id
