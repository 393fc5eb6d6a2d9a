-- The shared filters, written once per fact table: regions, requester kinds, requester sectors
-- and research areas. An empty list means "no filter". The period is not part of a scope: which
-- date counts (signed, requested, delivered, open at the end) differs between queries, so each
-- query states it next to the scope it reads.
-- A query that needs another meaning passes [] ("no filter") for that filter and says why under
-- its header. Page-own filters (data types, access modes, centres, topics, statuses) are not
-- scopes: each stays in the queries of its page.
-- Created as table macros in the in-memory catalog at connection setup (oversight/db.py), so the
-- read-only dashboard file needs no rebuild; queries pass their $parameters in.
-- Each macro reads its tables directly (no macro calls another), so a query plus the macros it
-- names is all it reads. Where a fact has its own region column the filter tests it; where the
-- region is its institution's, an `in` test rather than a join lets an unfiltered call skip the
-- lookup (on the medium demo a join added 3 ms to each quality_summary scan, the `in` 1 ms).

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

-- Hospitals (the data holders): regions: the hospital's own region. Kinds and sectors describe
-- requesters, so they never narrow hospitals; areas do not apply to an institution.
create macro memory.main.scoped_hospitals(regions) as table
select *
from institutions
where kind = 'hospital'
    and (len(regions) = 0 or list_contains(regions, region_code));

-- Data-quality results (quality_summary: checks per assessment, category, context and table):
-- regions: the assessed hospital's own region. Kinds and sectors describe requesters and areas
-- describe agreements, so neither applies to a hospital's data quality.
create macro memory.main.scoped_quality_summary(regions) as table
select *
from quality_summary
where len(regions) = 0
    or institution_id in (select institution_id from institutions where list_contains(regions, region_code));

-- Data-quality scores (quality_scores: each assessment scored overall, per category, per
-- context): regions: the assessed hospital's own region, as for quality_summary.
create macro memory.main.scoped_quality_scores(regions) as table
select *
from quality_scores
where len(regions) = 0
    or institution_id in (select institution_id from institutions where list_contains(regions, region_code));

-- Safe utilisation centres (institutions with safe_centre_since, of any kind): regions: the
-- centre's own region. Kinds and sectors describe requesters, so they never narrow centres.
create macro memory.main.scoped_centres(regions) as table
select *
from institutions
where safe_centre_since is not null
    and (len(regions) = 0 or list_contains(regions, region_code));

-- Centre use (centre_usage: sessions, hours and researchers per centre and month): regions: the
-- centre's own region. Kinds, sectors and areas do not apply (the rows name no requester).
create macro memory.main.scoped_centre_usage(regions) as table
select *
from centre_usage
where len(regions) = 0
    or centre_id in (select institution_id from institutions where list_contains(regions, region_code));

-- Consultations: regions, kinds and sectors: those of the institution advised (its own region,
-- its kind, a company's sector). Research areas do not apply to a consultation.
create macro memory.main.scoped_consultations(regions, kinds, sectors) as table
select k.*
from consultations as k
join institutions as i on i.institution_id = k.institution_id
where (len(regions) = 0 or list_contains(regions, i.region_code))
    and (len(kinds) = 0 or list_contains(kinds, i.kind))
    and (len(sectors) = 0 or list_contains(sectors, i.company_sector));
