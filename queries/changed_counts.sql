-- changed_counts: how many rows of one table a batch adds and how many it replaces (read from the loader's staged changes)
-- params:
-- columns: new bigint, changed bigint
-- staged: changed
select
    count(*) filter (where not _replaces) as new,
    count(*) filter (where _replaces) as changed,
from changed
