-- The shared filters, written once per fact table: regions, requester kinds, requester sectors
-- and research areas. An empty list means "no filter". The period is not part of a scope: which
-- date counts (signed, requested, delivered, open at the end) differs between queries, so each
-- query states it next to the scope it reads.
-- Created as table macros in the in-memory catalog at connection setup (oversight/db.py), so the
-- read-only dashboard file needs no rebuild; queries pass their $parameters in.

-- Agreements. regions: the region of any hospital party to the agreement (not the requester's
-- own region); kinds and sectors: the requester's; areas: the agreement's research area.
create macro memory.main.scoped_agreements(regions, kinds, sectors, areas) as table
select *
from agreement_facts
where (len(areas) = 0 or list_contains(areas, research_area))
    and (len(kinds) = 0 or list_contains(kinds, requester_kind))
    and (len(sectors) = 0 or list_contains(sectors, requester_sector))
    and (len(regions) = 0 or list_has_any(hospital_regions, regions));

-- Data requests. regions: the region of the hospital that serves the request (not the
-- requester's own region); kinds and sectors: the requester's; areas: the request's research area.
create macro memory.main.scoped_requests(regions, kinds, sectors, areas) as table
select *
from request_facts
where (len(areas) = 0 or list_contains(areas, research_area))
    and (len(kinds) = 0 or list_contains(kinds, requester_kind))
    and (len(sectors) = 0 or list_contains(sectors, requester_sector))
    and (len(regions) = 0 or list_contains(regions, hospital_region));

-- Institutions (as requesters and consultation clients). regions: the institution's own region;
-- kinds: its kind; sectors: a company's sector. Research areas do not apply to an institution.
create macro memory.main.scoped_institutions(regions, kinds, sectors) as table
select *
from institutions
where (len(regions) = 0 or list_contains(regions, region_code))
    and (len(kinds) = 0 or list_contains(kinds, kind))
    and (len(sectors) = 0 or list_contains(sectors, company_sector));
