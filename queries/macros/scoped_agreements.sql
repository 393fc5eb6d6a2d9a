-- scoped_agreements: the agreements signed in the period that pass the shared filters, written once.
-- What each filter means for an agreement:
--   period  : the date the agreement was signed (signed_on);
--   areas   : the agreement's research area;
--   kinds   : the requester's kind (company, university, institute, ...);
--   sectors : the requester company's sector;
--   regions : the region of any hospital party to the agreement (not the requester's own region).
-- An empty list means "no filter". Created in the in-memory catalog at connection setup
-- (oversight/db.py), so the read-only dashboard file needs no rebuild.
create macro memory.main.scoped_agreements(date_from, date_to, regions, kinds, sectors, areas) as table
select *
from agreement_facts
where signed_on between date_from and date_to
    and (len(areas) = 0 or list_contains(areas, research_area))
    and (len(kinds) = 0 or list_contains(kinds, requester_kind))
    and (len(sectors) = 0 or list_contains(sectors, requester_sector))
    and (len(regions) = 0 or list_has_any(hospital_regions, regions))
