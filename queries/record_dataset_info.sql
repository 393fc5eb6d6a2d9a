-- record_dataset_info: what the database holds now (demo, submitted or mixed), its data date and contract version
-- params: $kind varchar, $seed bigint, $scale varchar, $built_at timestamp, $data_date date, $contract_version integer
-- writes: dataset_info
insert into dataset_info (kind, seed, scale, built_at, data_date, contract_version)
values ($kind, $seed, $scale, $built_at, $data_date, $contract_version)
