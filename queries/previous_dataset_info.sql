-- previous_dataset_info: what the database said it held before this load (kind, seed, scale, data date), for a load to rewrite it
-- params:
-- columns: kind varchar, seed bigint, scale varchar, data_date date
select kind, seed, scale, data_date from dataset_info limit 1
