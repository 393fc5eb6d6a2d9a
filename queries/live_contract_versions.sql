-- live_contract_versions: the contract versions the database a batch is checked against was written with (the loader refuses another)
-- params:
-- columns: contract_version integer
select distinct contract_version from live.dataset_info
